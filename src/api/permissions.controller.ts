// Cruise Control's GET /permissions. Ballast has no authentication yet: every caller may do
// everything, which the answer says plainly instead of pretending to know who asked.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseQuery } from './query-params.js';

export const PERMISSIONS_PARAMS = {
  json: { kind: 'boolean', default: false },
  reason: { kind: 'string' },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

/** Cruise Control's roles, weakest first; without security every caller holds all of them. */
export const ROLES = ['VIEWER', 'USER', 'ADMIN'] as const;

export interface UserPermissionsJson {
  version: 1;
  roles: string[];
  /** Ballast's addition: why these roles. */
  message: string;
}

export function permissionsAnswer(query: Record<string, unknown>): { json: boolean; body: UserPermissionsJson } {
  const p = parseQuery('GET /kafkacruisecontrol/permissions', PERMISSIONS_PARAMS, query);
  return {
    json: p.json,
    body: {
      version: 1,
      roles: [...ROLES],
      message:
        'Security is disabled: Ballast does not authenticate callers, so every caller is anonymous and has every role (VIEWER, USER, ADMIN).',
    },
  };
}

@Controller('kafkacruisecontrol')
export class PermissionsController {
  @Get('permissions')
  permissions(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): UserPermissionsJson | string {
    const answer = permissionsAnswer(query);
    if (answer.json) return answer.body;
    response.type('text/plain');
    return `${answer.body.message}\nRoles: ${answer.body.roles.join(', ')}\n`;
  }
}
