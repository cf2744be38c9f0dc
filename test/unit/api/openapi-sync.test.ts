// Keeps the OpenAPI document and the controllers in step: every route of the API module is in the
// document with its method, and each Cruise Control handler validates with exactly the table the
// registry documents (caught by watching what the handler hands to parseQuery) and refuses to go
// without the parameters the registry marks required.
import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { RequestMethod } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { ApiModule } from '../../../src/api/api.module.js';
import { InvalidParameterError } from '../../../src/api/api.errors.js';
import { CRUISE_CONTROL_ENDPOINTS, ENDPOINTS, type EndpointTable } from '../../../src/api/endpoints.js';
import { buildOpenApiDocument } from '../../../src/api/openapi/openapi-document.js';
import type { ParamSpec } from '../../../src/api/query-params.js';

const ENDPOINT_DOCS: EndpointTable = ENDPOINTS;

const seen = vi.hoisted(() => ({ calls: [] as { spec: object; query: object }[] }));

// Our own module, wrapped to record each (table, query) pair; it still validates for real.
vi.mock('../../../src/api/query-params.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/api/query-params.js')>();
  return {
    ...actual,
    parseQuery: (endpoint: string, spec: Record<string, ParamSpec>, query: Record<string, unknown>) => {
      seen.calls.push({ spec, query });
      return actual.parseQuery(endpoint, spec, query);
    },
  };
});

type Handler = (...args: unknown[]) => unknown;

interface Route {
  method: string;
  path: string;
  call: (query: Record<string, unknown>) => Promise<unknown>;
}

/** Every route the API module declares, callable with a query and inert request/response stand-ins. */
function routes(): Route[] {
  const controllers = Reflect.getMetadata('controllers', ApiModule) as (new (...args: never[]) => object)[];
  return controllers.flatMap((controller) => {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '/');
    const proto = controller.prototype as Record<string, Handler>;
    return Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[name]!) !== undefined)
      .map((name) => {
        const path = String(Reflect.getMetadata(PATH_METADATA, proto[name]!));
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, proto[name]!) as number]!;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number }
        >;
        return {
          method,
          path: `/${[prefix, path]
            .map((p) => p.replace(/^\/|\/$/g, ''))
            .filter((p) => p !== '')
            .join('/')}`,
          call: (query: Record<string, unknown>) => {
            // No dependencies: a handler must validate before it uses a service.
            const instance = Object.create(proto) as Record<string, Handler>;
            const values: unknown[] = [];
            for (const [key, { index }] of Object.entries(args)) {
              const type = Number(key.split(':')[0]) as RouteParamtypes;
              values[index] =
                type === RouteParamtypes.QUERY
                  ? query
                  : type === RouteParamtypes.REQUEST
                    ? { method, query, header: () => undefined, path, originalUrl: path, ip: '127.0.0.1' }
                    : type === RouteParamtypes.RESPONSE
                      ? {}
                      : undefined;
            }
            // A synchronous throw becomes a rejection, like Nest turns it into a response.
            return new Promise((resolve) => resolve(instance[name]!(...values)));
          },
        };
      });
  });
}

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const document = buildOpenApiDocument({ version: 'test' }) as { paths: Record<string, Record<string, unknown>> };

describe('the OpenAPI document against the controllers', () => {
  const all = routes();

  it('documents every route the API module serves, with its method, and nothing it does not serve', () => {
    const served = all.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
    it(`${endpoint}: the handler validates with the registry's table and refuses unknown parameters`, async () => {
      const doc = ENDPOINT_DOCS[endpoint];
      const route = all.find((r) => r.path === `/kafkacruisecontrol/${endpoint}`);
      expect(route?.method).toBe(doc.method);
      const query = { not_a_parameter_probe: 'x' };
      seen.calls.length = 0;
      const error = await rejection(() => route!.call(query));
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).parameter).toBe('not_a_parameter_probe');
      const used = seen.calls.filter((c) => c.query === query).map((c) => c.spec);
      expect(used).toHaveLength(1);
      expect(used[0], `${endpoint} validates with a table the registry does not list`).toBe(doc.params);
    });
  }

  for (const [endpoint, doc] of Object.entries(ENDPOINT_DOCS).filter(([, d]) => d.required !== undefined)) {
    it(`${endpoint}: each required parameter, left out, is refused by name`, async () => {
      const route = all.find((r) => r.path === `/kafkacruisecontrol/${endpoint}`)!;
      for (const missing of doc.required!) {
        const query = Object.fromEntries(
          doc.required!.filter((n) => n !== missing).map((n) => [n, validSample(doc.params[n]!)]),
        );
        const error = await rejection(() => route.call(query));
        expect(error, `${endpoint} without ${missing}`).toBeInstanceOf(InvalidParameterError);
        expect((error as InvalidParameterError).parameter).toBe(missing);
      }
    });
  }
});

function validSample(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'integer':
    case 'integerList':
    case 'number':
      return String(Math.max(spec.min, 1));
    case 'boolean':
      return 'true';
    case 'enum':
    case 'enumList':
      return spec.values[0]!;
    case 'string':
      return 'x';
  }
}
