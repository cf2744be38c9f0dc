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
import { ReviewStateError, UnknownReviewError } from './review/review.errors.js';
import { AccessDeniedError, AuthenticationError } from './security/security.errors.js';
import { TooManyUserTasksError, UnknownUserTaskError } from './user-tasks/user-task.errors.js';

function statusOf(error: unknown): number {
  // The guard has set WWW-Authenticate on the response before a 401.
  if (error instanceof AuthenticationError) return HttpStatus.UNAUTHORIZED;
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

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const status = statusOf(error);
    const message = describeError(error);
    if (status >= 500) this.logger.error({ msg: 'request failed', path: request.path, status, error: message });
    const body = {
      version: 1,
      errorMessage: message,
      // Cruise Control returns a Java stack trace here; Ballast returns the error chain, never file paths.
      stackTrace: errorChain(error),
      code: error instanceof BallastError ? error.code : status === 404 ? 'NOT_FOUND' : 'INTERNAL',
      ...(error instanceof InvalidParameterError ? { parameter: error.parameter } : {}),
      ...(error instanceof UnknownGoalError ? { parameter: 'goals' } : {}),
      ...(hasParameter(error) ? { parameter: error.parameter } : {}),
    };
    if (response.headersSent) return;
    if (wantsPlainText(request)) {
      response.status(status).type('text/plain').send(`Error: ${message}\n`);
    } else {
      response.status(status).json(body);
    }
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
