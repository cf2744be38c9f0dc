// The global guard in front of every controller: Cruise Control's endpoints (routes of the
// `kafkacruisecontrol` controllers) need an authenticated caller whose role allows the endpoint
// when security is on; /health, /ready, /metrics and Ballast's other own routes stay open. It
// also starts the audit line of every POST, so refusals are audited as well as answers.
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuditLog } from './audit-log.js';
import { setAuthOutcome } from './principal.js';
import { mayCall, requiredRole } from './roles.js';
import { AccessDeniedError, AuthenticationError, TooManyFailedLoginsError } from './security.errors.js';
import { SecurityService } from './security.service.js';

/** The controller path under which Cruise Control's endpoints live. */
export const CRUISE_CONTROL_PREFIX = 'kafkacruisecontrol';

@Injectable()
export class SecurityGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly security: SecurityService,
    private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const endpoint = this.cruiseControlEndpoint(context);
    if (endpoint === undefined) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (request.method === 'POST') this.audit.watch(request, response, endpoint);
    if (!this.security.enabled) return true;
    let principal;
    try {
      // Express's `ip` is the socket's address, as Ballast sets no 'trust proxy': a client could
      // write anything into X-Forwarded-For, and a limit by that would limit nobody.
      principal = await this.security.authenticate(request.headers.authorization, request.ip);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        setAuthOutcome(request, { failure: error.message });
        response.setHeader('WWW-Authenticate', this.security.challenges(error));
      }
      if (error instanceof TooManyFailedLoginsError) setAuthOutcome(request, { failure: error.message });
      throw error;
    }
    if (!mayCall(principal.roles, endpoint)) {
      const denied = new AccessDeniedError(principal.name, `${request.method} ${endpoint}`, requiredRole(endpoint));
      setAuthOutcome(request, { principal, failure: denied.message });
      throw denied;
    }
    setAuthOutcome(request, { principal });
    return true;
  }

  /** The Cruise Control endpoint a route serves (from its route metadata, not the raw URL), if any. */
  private cruiseControlEndpoint(context: ExecutionContext): string | undefined {
    const controllerPaths = pathsOf(this.reflector.get<unknown>(PATH_METADATA, context.getClass()));
    if (!controllerPaths.some((p) => p.replace(/^\/+|\/+$/g, '').toLowerCase() === CRUISE_CONTROL_PREFIX)) {
      return undefined;
    }
    const handlerPath = pathsOf(this.reflector.get<unknown>(PATH_METADATA, context.getHandler()))[0] ?? '';
    return handlerPath.replace(/^\/+|\/+$/g, '').toLowerCase();
  }
}

function pathsOf(metadata: unknown): string[] {
  if (typeof metadata === 'string') return [metadata];
  return Array.isArray(metadata) ? metadata.filter((p): p is string => typeof p === 'string') : [];
}
