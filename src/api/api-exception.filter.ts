// The one place where errors become HTTP responses, in Cruise Control's error shape
// ({version, errorMessage, stackTrace}) plus Ballast's stable `code` and the offending `parameter`.
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BallastError, describeError } from '../common/index.js';
import { ExecutionInProgressError } from '../executor/index.js';
import {
  BelowMinInsyncReplicasError,
  InvalidReplicationFactorError,
  NoMatchingTopicError,
  ReplicationFactorAboveRacksError,
  DiskRemovalError,
  DrainError,
  HardGoalViolationError,
  UnknownBrokerError,
  UnknownGoalError,
  UnknownLogDirError,
} from '../analyzer/index.js';
import { KafkaUnavailableError } from '../kafka/index.js';
import { CapacityEstimationNotAllowedError, LoadMonitorNotReadyError, MissingCapacityError } from '../monitor/index.js';
import { RedisUnavailableError } from '../redis/index.js';
import { InvalidParameterError, TwoStepVerificationDisabledError } from './api.errors.js';
import {
  HeadersTooLargeError,
  MalformedRequestError,
  MethodNotAllowedError,
  RequestTimeoutError,
} from './http.errors.js';
import { ReviewStateError, UnknownReviewError } from './review/review.errors.js';
import { AccessDeniedError, AuthenticationError, TooManyFailedLoginsError } from './security/security.errors.js';
import { TooManyUserTasksError, UnknownUserTaskError } from './user-tasks/user-task.errors.js';

/** The HTTP status of an error; also used for answers written straight to a socket (http-refusals.ts). */
export function statusOf(error: unknown): number {
  // The guard has set WWW-Authenticate on the response before a 401.
  if (error instanceof AuthenticationError) return HttpStatus.UNAUTHORIZED;
  if (error instanceof TooManyFailedLoginsError) return HttpStatus.TOO_MANY_REQUESTS;
  if (error instanceof MethodNotAllowedError) return HttpStatus.METHOD_NOT_ALLOWED;
  if (error instanceof MalformedRequestError) return HttpStatus.BAD_REQUEST;
  if (error instanceof HeadersTooLargeError) return 431; // Request Header Fields Too Large (RFC 6585), not in HttpStatus
  if (error instanceof RequestTimeoutError) return HttpStatus.REQUEST_TIMEOUT;
  if (error instanceof AccessDeniedError) return HttpStatus.FORBIDDEN;
  if (
    error instanceof InvalidParameterError ||
    error instanceof TwoStepVerificationDisabledError ||
    error instanceof UnknownUserTaskError ||
    error instanceof UnknownReviewError ||
    error instanceof ReviewStateError ||
    error instanceof UnknownGoalError ||
    error instanceof UnknownBrokerError ||
    error instanceof UnknownLogDirError ||
    error instanceof InvalidReplicationFactorError ||
    error instanceof NoMatchingTopicError ||
    error instanceof BelowMinInsyncReplicasError ||
    error instanceof ReplicationFactorAboveRacksError
  )
    return HttpStatus.BAD_REQUEST;
  // The cluster as it is cannot meet a hard goal: not the request's fault, nor a transient one.
  if (error instanceof HardGoalViolationError || error instanceof DrainError || error instanceof DiskRemovalError)
    return HttpStatus.CONFLICT;
  // The client may retry once one of its running user tasks has finished.
  if (error instanceof TooManyUserTasksError) return HttpStatus.TOO_MANY_REQUESTS;
  // One execution at a time: the request is fine, the moment is not.
  if (error instanceof ExecutionInProgressError) return HttpStatus.CONFLICT;
  if (
    error instanceof KafkaUnavailableError ||
    error instanceof RedisUnavailableError ||
    error instanceof LoadMonitorNotReadyError
  )
    return HttpStatus.SERVICE_UNAVAILABLE;
  // The capacity file does not cover what the request needs: the file has to change, not the request.
  if (error instanceof CapacityEstimationNotAllowedError || error instanceof MissingCapacityError)
    return HttpStatus.CONFLICT;
  if (error instanceof HttpException) return error.getStatus();
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

/** Headers an error's answer needs besides the body: when to retry, which methods to use. */
export function errorHeaders(error: unknown): Record<string, string> {
  if (error instanceof TooManyFailedLoginsError) return { 'Retry-After': String(Math.ceil(error.retryAfterMs / 1000)) };
  if (error instanceof MethodNotAllowedError) return { Allow: error.allowed.join(', ') };
  return {};
}

/** The JSON body of an error answer, in Cruise Control's shape plus Ballast's code and parameter. */
export function errorBody(error: unknown, status: number): Record<string, unknown> {
  return {
    version: 1,
    errorMessage: describeError(error),
    // Cruise Control returns a Java stack trace here; Ballast returns the error chain, never file paths.
    stackTrace: errorChain(error),
    code: error instanceof BallastError ? error.code : status === 404 ? 'NOT_FOUND' : 'INTERNAL',
    ...(error instanceof InvalidParameterError ? { parameter: error.parameter } : {}),
    ...(error instanceof UnknownGoalError ? { parameter: 'goals' } : {}),
    ...(hasParameter(error) ? { parameter: error.parameter } : {}),
  };
}

const logger = new Logger('Api');

/** Answers `error` on an Express response: the filter's answer, also used by middleware that runs before Nest's routes. */
export function sendError(error: unknown, request: Request, response: Response): void {
  const status = statusOf(error);
  const message = describeError(error);
  if (status >= 500) logger.error({ msg: 'request failed', path: request.path, status, error: message });
  if (response.headersSent) return;
  for (const [name, value] of Object.entries(errorHeaders(error))) response.setHeader(name, value);
  if (wantsPlainText(request)) {
    response.status(status).type('text/plain').send(`Error: ${message}\n`);
  } else {
    response.status(status).json(errorBody(error, status));
  }
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/** Ballast errors that blame one request parameter carry its name. */
function hasParameter(error: unknown): error is BallastError & { parameter: string } {
  return error instanceof BallastError && typeof (error as { parameter?: unknown }).parameter === 'string';
}

function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : describeError(e));
  }
  return parts.join('\nCaused by: ');
}

// Cruise Control endpoints answer plain text unless json=true; Ballast's own endpoints are JSON.
function wantsPlainText(request: Request): boolean {
  if (!request.path.startsWith('/kafkacruisecontrol/')) return false;
  const json = Object.entries(request.query).find(([k]) => k.toLowerCase() === 'json')?.[1];
  return typeof json !== 'string' || json.trim().toLowerCase() !== 'true';
}
