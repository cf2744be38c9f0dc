// Ballast's OpenAPI document: a valid OpenAPI 3.0 structure, every Cruise Control endpoint with its
// method, and parameter schemas that accept exactly what the controllers' validator accepts.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CRUISE_CONTROL_ENDPOINTS, ENDPOINTS, type EndpointTable } from '../../../src/api/endpoints.js';
import { buildOpenApiDocument, parameterSchema } from '../../../src/api/openapi/openapi-document.js';
import { PARAMETER_DESCRIPTIONS } from '../../../src/api/openapi/parameter-descriptions.js';
import { parseQuery, type ParamSpec } from '../../../src/api/query-params.js';

const ENDPOINT_DOCS: EndpointTable = ENDPOINTS;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by key
const document = buildOpenApiDocument({ version: '9.9.9' }) as any;

// OpenAPI's own formats: names for numeric widths and string kinds, nothing for Ajv to check.
const OPENAPI_FORMATS = { int32: true, int64: true, uuid: true, binary: true } as const;

/** The parts of the OpenAPI 3.0 schema the document uses, strict where a typo would hide. */
const OPENAPI_30 = {
  $defs: {
    schemaOrRef: { type: 'object' },
    mediaTypes: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['schema'],
        properties: { schema: { $ref: '#/$defs/schemaOrRef' } },
        additionalProperties: false,
      },
    },
    header: {
      type: 'object',
      required: ['schema'],
      properties: { description: { type: 'string' }, schema: { $ref: '#/$defs/schemaOrRef' } },
      additionalProperties: false,
    },
    response: {
      type: 'object',
      required: ['description'],
      properties: {
        description: { type: 'string', minLength: 1 },
        headers: { type: 'object', additionalProperties: { $ref: '#/$defs/header' } },
        content: { $ref: '#/$defs/mediaTypes' },
      },
      additionalProperties: false,
    },
    parameter: {
      type: 'object',
      required: ['name', 'in', 'schema'],
      properties: {
        name: { type: 'string', minLength: 1 },
        in: { enum: ['query', 'header', 'path', 'cookie'] },
        required: { type: 'boolean' },
        description: { type: 'string' },
        schema: { $ref: '#/$defs/schemaOrRef' },
        style: { enum: ['form', 'simple'] },
        explode: { type: 'boolean' },
      },
      // A path parameter must be required (OpenAPI 3.0.3, Parameter Object).
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
      additionalProperties: false,
    },
    operation: {
      type: 'object',
      required: ['operationId', 'responses'],
      properties: {
        operationId: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
        tags: { type: 'array', items: { type: 'string' } },
        summary: { type: 'string' },
        description: { type: 'string' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9][0-9]|default)$' },
          additionalProperties: { $ref: '#/$defs/response' },
        },
      },
      additionalProperties: false,
    },
  },
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.0\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] },
        additionalProperties: { $ref: '#/$defs/operation' },
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type', 'scheme'],
            properties: { type: { const: 'http' }, scheme: { enum: ['basic', 'bearer'] } },
          },
        },
      },
    },
    security: { type: 'array', items: { type: 'object' } },
    tags: { type: 'array', items: { type: 'object', required: ['name'] } },
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Operation = any;

function operations(): { path: string; method: string; op: Operation }[] {
  return Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );
}

function refs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refs(value, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('has the structure of an OpenAPI 3.0 document', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, formats: OPENAPI_FORMATS });
    const validate = ajv.compile(OPENAPI_30);
    expect(validate(document), ajv.errorsText(validate.errors, { separator: '\n' })).toBe(true);
    expect(document.info.version).toBe('9.9.9');
  });

  it('resolves every $ref to a component schema and uses unique operation ids', () => {
    const schemas = Object.keys(document.components.schemas as object);
    for (const target of refs(document.paths)) {
      expect(target).toMatch(/^#\/components\/schemas\//);
      expect(schemas).toContain(target.replace('#/components/schemas/', ''));
    }
    const ids = operations().map((o) => o.op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('compiles every parameter and component schema as JSON Schema', () => {
    const ajv = new Ajv({ strict: false, formats: OPENAPI_FORMATS });
    for (const { op } of operations()) {
      for (const p of op.parameters ?? []) expect(() => ajv.compile(p.schema as object), String(p.name)).not.toThrow();
    }
    for (const [name, schema] of Object.entries(document.components.schemas as Record<string, object>)) {
      expect(() => ajv.compile(schema), name).not.toThrow();
    }
  });

  it('lists every Cruise Control endpoint once, with its method, and no other path under /kafkacruisecontrol', () => {
    const ccPaths = Object.keys(document.paths as object).filter((p) => p.startsWith('/kafkacruisecontrol/'));
    expect(ccPaths.sort()).toEqual(CRUISE_CONTROL_ENDPOINTS.map((e) => `/kafkacruisecontrol/${e}`).sort());
    for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
      const item = document.paths[`/kafkacruisecontrol/${endpoint}`] as object;
      expect(Object.keys(item), endpoint).toEqual([ENDPOINT_DOCS[endpoint].method.toLowerCase()]);
    }
    expect(document.paths['/kafkacruisecontrol/rebalance'].post.parameters).toContainEqual(
      expect.objectContaining({ name: 'dryrun', in: 'query', schema: { type: 'boolean', default: true } }),
    );
  });

  it('documents the 202 and the User-Task-ID header exactly on the async endpoints', () => {
    const asyncOps = operations().filter(({ op }) => op.responses['202'] !== undefined);
    expect(asyncOps.map((o) => o.path)).toContain('/kafkacruisecontrol/proposals');
    expect(asyncOps.map((o) => o.path)).not.toContain('/kafkacruisecontrol/admin');
    for (const { op } of asyncOps) {
      expect(op.responses['202'].headers).toHaveProperty('User-Task-ID');
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'User-Task-ID', in: 'header' }));
    }
  });

  it('documents every parameter of every table, with a description, and marks the required ones', () => {
    for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
      const doc = ENDPOINT_DOCS[endpoint];
      const op = document.paths[`/kafkacruisecontrol/${endpoint}`][doc.method.toLowerCase()];
      const queryParams = (op.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query');
      expect(queryParams.map((p) => p.name).sort(), endpoint).toEqual(Object.keys(doc.params).sort());
      for (const p of op.parameters as { name: string; description: string; required: boolean }[]) {
        expect(p.description.trim().length, `${endpoint} ${p.name}`).toBeGreaterThan(0);
        expect(p.required, `${endpoint} ${p.name}`).toBe(doc.required?.includes(p.name) ?? false);
      }
      for (const name of doc.required ?? []) expect(Object.keys(doc.params), endpoint).toContain(name);
      for (const name of Object.keys(doc.descriptions ?? {})) expect(Object.keys(doc.params), endpoint).toContain(name);
    }
  });

  it('keeps no description of a parameter that no endpoint accepts', () => {
    const accepted = new Set(Object.values(ENDPOINT_DOCS).flatMap((d) => Object.keys(d.params)));
    expect(Object.keys(PARAMETER_DESCRIPTIONS).filter((name) => !accepted.has(name))).toEqual([]);
  });
});

/** Raw values worth probing for a spec: inside, on and beyond each bound, and malformed. */
function probes(spec: ParamSpec): string[] {
  switch (spec.kind) {
    case 'boolean':
      return ['true', 'false', 'yes', '1', ''];
    case 'string':
      return ['x', 'a,b'];
    case 'enum':
      return [...spec.values, 'NOT_A_VALUE', ''];
    case 'enumList':
      return [spec.values.join(','), spec.values[0]!, `${spec.values[0]!},nope`, ''];
    case 'integer':
    case 'integerList': {
      const values = [spec.min, spec.max, spec.min - 1, spec.max + 1].map(String);
      const list = spec.kind === 'integerList' ? [`${spec.min},${spec.max}`, `${spec.min},x`] : [];
      return [...values, '1.5', 'abc', '', ...list];
    }
    case 'number':
      return [String(spec.min), String(spec.max), String(spec.min - 0.5), String(spec.max + 0.5), 'abc', ''];
  }
}

/** How an OpenAPI client serializes a value, read back: form style, lists not exploded. */
function deserialize(spec: ParamSpec, raw: string): unknown {
  const scalar = (s: string, kind: string): unknown => {
    if (kind === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
    if (kind === 'integer') return /^-?\d+$/.test(s) ? Number(s) : s;
    if (kind === 'number') return s !== '' && Number.isFinite(Number(s)) ? Number(s) : s;
    return s;
  };
  if (spec.kind === 'enumList') return raw === '' ? [] : raw.split(',');
  if (spec.kind === 'integerList') return raw === '' ? [] : raw.split(',').map((s) => scalar(s, 'integer'));
  return scalar(raw, spec.kind);
}

describe('parameter schemas against the validator', () => {
  const ajv = new Ajv({ strict: false, formats: OPENAPI_FORMATS });

  for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
    it(`${endpoint}: the schema accepts a value exactly when parseQuery does`, () => {
      const { params } = ENDPOINT_DOCS[endpoint];
      for (const [name, spec] of Object.entries(params)) {
        const validate = ajv.compile(parameterSchema(spec));
        for (const raw of probes(spec)) {
          let accepted = true;
          try {
            parseQuery(endpoint, params, { [name]: raw });
          } catch {
            accepted = false;
          }
          expect(validate(deserialize(spec, raw)), `${endpoint} ${name}=${raw}`).toBe(accepted);
        }
      }
    });
  }
});
