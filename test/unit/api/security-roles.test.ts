// The authorization matrix as pure logic: for every endpoint of CRUISE_CONTROL_ENDPOINTS and
// every role, whether the call is allowed. The expectation is derived independently of
// ENDPOINT_ROLES: each endpoint's HTTP method comes from Cruise Control's OpenAPI spec, and the
// rule is Cruise Control's DefaultRoleSecurityProvider (VIEWER: kafka_cluster_state, user_tasks,
// review_board, plus permissions; USER: every GET but bootstrap and train; ADMIN: everything).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ApiModule } from '../../../src/api/index.js';
import { CRUISE_CONTROL_ENDPOINTS } from '../../../src/api/endpoints.js';
import {
  ENDPOINT_ROLES,
  allowedEndpoints,
  effectiveRoles,
  mayCall,
  parseRole,
  requiredRole,
  type Role,
} from '../../../src/api/security/roles.js';
import { CRUISE_CONTROL_OPENAPI_DIR } from '../../support/openapi.js';

/** Each endpoint's HTTP method, as Cruise Control's spec declares it. */
function specMethods(): Map<string, 'GET' | 'POST'> {
  const base = parse(readFileSync(join(CRUISE_CONTROL_OPENAPI_DIR, 'base.yaml'), 'utf8')) as {
    paths: Record<string, { $ref: string }>;
  };
  const methods = new Map<string, 'GET' | 'POST'>();
  for (const [path, { $ref }] of Object.entries(base.paths)) {
    const [file, pointer] = $ref.split('#/');
    const doc = parse(readFileSync(join(CRUISE_CONTROL_OPENAPI_DIR, file!), 'utf8')) as Record<string, object>;
    const operations = Object.keys(doc[pointer!]!);
    expect(operations.length, path).toBe(1);
    methods.set(path.slice(1), operations[0]!.toUpperCase() as 'GET' | 'POST');
  }
  return methods;
}

const VIEWER_ENDPOINTS = ['kafka_cluster_state', 'user_tasks', 'review_board', 'permissions'];
const ADMIN_ONLY_GETS = ['bootstrap', 'train'];

function expectedRole(endpoint: string, method: 'GET' | 'POST'): Role {
  if (method === 'POST' || ADMIN_ONLY_GETS.includes(endpoint)) return 'ADMIN';
  return VIEWER_ENDPOINTS.includes(endpoint) ? 'VIEWER' : 'USER';
}

const CALLERS: { name: string; roles: Role[]; strength: number }[] = [
  { name: 'no role', roles: [], strength: -1 },
  { name: 'VIEWER', roles: ['VIEWER'], strength: 0 },
  { name: 'USER', roles: ['USER'], strength: 1 },
  { name: 'ADMIN', roles: ['ADMIN'], strength: 2 },
  { name: 'VIEWER+ADMIN', roles: ['VIEWER', 'ADMIN'], strength: 2 },
];
const STRENGTH: Record<Role, number> = { VIEWER: 0, USER: 1, ADMIN: 2 };

describe('the authorization matrix', () => {
  const methods = specMethods();

  it('covers exactly the endpoints of the spec', () => {
    expect([...CRUISE_CONTROL_ENDPOINTS].sort()).toEqual([...methods.keys()].sort());
    expect(Object.keys(ENDPOINT_ROLES).sort()).toEqual([...CRUISE_CONTROL_ENDPOINTS].sort());
  });

  const cases = CRUISE_CONTROL_ENDPOINTS.flatMap((endpoint) =>
    CALLERS.map((caller) => [endpoint, caller.name, caller] as const),
  );
  it.each(cases)('%s called by %s', (endpoint, _name, caller) => {
    const needed = expectedRole(endpoint, methods.get(endpoint)!);
    expect(requiredRole(endpoint)).toBe(needed);
    expect(mayCall(caller.roles, endpoint)).toBe(caller.strength >= STRENGTH[needed]);
  });

  it('lets a VIEWER call only the monitoring endpoints and a USER every GET but bootstrap and train', () => {
    expect(allowedEndpoints(['VIEWER'], CRUISE_CONTROL_ENDPOINTS).sort()).toEqual([...VIEWER_ENDPOINTS].sort());
    const userGets = [...methods].filter(([e, m]) => m === 'GET' && !ADMIN_ONLY_GETS.includes(e)).map(([e]) => e);
    expect(allowedEndpoints(['USER'], CRUISE_CONTROL_ENDPOINTS).sort()).toEqual(userGets.sort());
    expect(allowedEndpoints(['ADMIN'], CRUISE_CONTROL_ENDPOINTS)).toEqual([...CRUISE_CONTROL_ENDPOINTS]);
    expect(allowedEndpoints([], CRUISE_CONTROL_ENDPOINTS)).toEqual([]);
  });

  it('closes an unknown endpoint under /kafkacruisecontrol/ to all but ADMIN', () => {
    expect(requiredRole('drop_everything')).toBe('ADMIN');
    expect(requiredRole('__proto__')).toBe('ADMIN');
    expect(mayCall(['USER'], 'drop_everything')).toBe(false);
  });

  it('nests roles and parses their names case-insensitively', () => {
    expect(effectiveRoles(['ADMIN'])).toEqual(['ADMIN', 'USER', 'VIEWER']);
    expect(effectiveRoles(['USER', 'VIEWER'])).toEqual(['USER', 'VIEWER']);
    expect(effectiveRoles([])).toEqual([]);
    expect(parseRole(' admin ')).toBe('ADMIN');
    expect(parseRole('root')).toBeUndefined();
  });
});

describe("the API's routes", () => {
  it('serve each Cruise Control endpoint under kafkacruisecontrol with the method the spec gives it', () => {
    const methods = specMethods();
    const controllers = Reflect.getMetadata('controllers', ApiModule) as (new (...args: never[]) => object)[];
    const routes = new Map<string, string>();
    for (const controller of controllers) {
      if (Reflect.getMetadata(PATH_METADATA, controller) !== 'kafkacruisecontrol') continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        routes.set(path, String(RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]));
      }
    }
    expect(Object.fromEntries(routes)).toEqual(Object.fromEntries(methods));
  });
});
