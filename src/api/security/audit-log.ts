// The audit log: one structured line (logger context 'Audit') per mutating request — every POST
// to /kafkacruisecontrol/ — once its answer is sent: who, which endpoint, the parameters (secrets
// redacted), Cruise Control's `reason`, and the outcome, refusals (401, 403, 400) included.
import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authOutcomeOf, type AuthOutcome } from './principal.js';
import { REDACTED } from './redaction.js';

// Parameter names whose values are never logged, should a client send one by mistake.
const SECRET_PARAMETER = /pass(word)?|secret|token|credential|authorization|api[_-]?key/i;
// A regex parameter can be long; the audit line keeps its start.
const MAX_VALUE_CHARS = 512;

export interface AuditInput {
  method: string;
  endpoint: string;
  query: Record<string, unknown>;
  status: number;
  /** False when the client went away before the answer was complete. */
  completed: boolean;
  auth: AuthOutcome | undefined;
  userTaskId: string | undefined;
  clientIp: string | undefined;
  durationMs: number;
}

/** The audit line for one request (pure, for tests). */
export function auditRecord(input: AuditInput): Record<string, unknown> {
  const parameters = auditParameters(input.query);
  const reasonKey = Object.keys(parameters).find((k) => k.toLowerCase() === 'reason');
  const principal = input.auth?.principal;
  return {
    msg: 'audit',
    user: principal?.name ?? 'anonymous',
    ...(principal ? { authentication: principal.scheme, roles: principal.roles } : {}),
    method: input.method,
    endpoint: input.endpoint,
    parameters,
    reason: reasonKey === undefined ? null : parameters[reasonKey],
    status: input.status,
    outcome: !input.completed ? 'aborted' : outcomeOf(input.status),
    ...(input.auth?.failure ? { refusedBecause: input.auth.failure } : {}),
    ...(input.userTaskId ? { userTaskId: input.userTaskId } : {}),
    clientIp: input.clientIp ?? 'unknown',
    durationMs: input.durationMs,
  };
}

function outcomeOf(status: number): string {
  if (status === 401 || status === 403) return 'refused';
  if (status === 202) return 'accepted';
  if (status < 400) return 'ok';
  return status < 500 ? 'rejected' : 'failed';
}

/** The query parameters as sent, secret-named ones redacted and long values cut. */
export function auditParameters(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (SECRET_PARAMETER.test(name)) out[name] = REDACTED;
    else if (typeof value === 'string') out[name] = cut(value);
    else if (Array.isArray(value)) out[name] = value.map((v) => (typeof v === 'string' ? cut(v) : '[object]'));
    else out[name] = '[object]';
  }
  return out;
}

function cut(value: string): string {
  return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…(${value.length} chars)` : value;
}

@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  /** Writes the request's audit line when its answer has been sent (or the client has gone). */
  watch(request: Request, response: Response, endpoint: string): void {
    const startMs = Date.now();
    response.once('close', () => {
      const userTaskId = response.getHeader('User-Task-ID');
      this.logger.log(
        auditRecord({
          method: request.method,
          endpoint,
          query: request.query,
          status: response.statusCode,
          completed: response.writableFinished,
          auth: authOutcomeOf(request),
          userTaskId: typeof userTaskId === 'string' ? userTaskId : undefined,
          clientIp: request.ip,
          durationMs: Date.now() - startMs,
        }),
      );
    });
  }
}
