// Cruise Control's GET /permissions: the caller's roles. With security on, the roles of the
// authenticated caller (nested: an ADMIN is also USER and VIEWER) and the endpoints they open;
// without it, Ballast does not authenticate, so every caller is anonymous with every role, and
// the answer says so plainly instead of pretending to know who asked.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CRUISE_CONTROL_ENDPOINTS } from './endpoints.js';
import { parseQuery } from './query-params.js';
import { principalOf, type Principal } from './security/principal.js';
import { allowedEndpoints, effectiveRoles, ROLES } from './security/roles.js';
import { PERMISSIONS_PARAMS } from './endpoint-params.js';

export { ROLES };

/** The spec's UserPermissions ({version, roles}) with Ballast's additions. */
export interface UserPermissionsJson {
  version: 1;
  /** The caller's roles, strongest first, including those a stronger role implies. */
  roles: string[];
  /** Ballast's addition: who asked (absent when security is off). */
  user?: string;
  /** Ballast's addition: how the caller authenticated (absent when security is off). */
  authentication?: 'basic' | 'bearer';
  /** Ballast's addition: the Cruise Control endpoints these roles may call. */
  allowedEndpoints: string[];
  /** Ballast's addition: why these roles. */
  message: string;
}

export function permissionsAnswer(
  query: Record<string, unknown>,
  principal?: Principal,
): { json: boolean; body: UserPermissionsJson } {
  const p = parseQuery('GET /kafkacruisecontrol/permissions', PERMISSIONS_PARAMS, query);
  if (principal === undefined) {
    return {
      json: p.json,
      body: {
        version: 1,
        roles: [...ROLES],
        allowedEndpoints: [...CRUISE_CONTROL_ENDPOINTS],
        message:
          'Security is disabled: Ballast does not authenticate callers, so every caller is anonymous and has every role (VIEWER, USER, ADMIN).',
      },
    };
  }
  const roles = effectiveRoles(principal.roles);
  return {
    json: p.json,
    body: {
      version: 1,
      roles,
      user: principal.name,
      authentication: principal.scheme,
      allowedEndpoints: allowedEndpoints(principal.roles, CRUISE_CONTROL_ENDPOINTS),
      message:
        roles.length === 0
          ? `User '${principal.name}' is authenticated but holds none of the roles VIEWER, USER, ADMIN.`
          : `User '${principal.name}' (${principal.scheme} authentication) has the roles ${roles.join(', ')}.`,
    },
  };
}

@Controller('kafkacruisecontrol')
export class PermissionsController {
  @Get('permissions')
  permissions(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
    // Optional so the controller can be called without a request in unit tests (security off).
    @Req() request?: Request,
  ): UserPermissionsJson | string {
    const answer = permissionsAnswer(query, request === undefined ? undefined : principalOf(request));
    if (answer.json) return answer.body;
    response.type('text/plain');
    return `${answer.body.message}\nRoles: ${answer.body.roles.join(', ')}\n`;
  }
}
