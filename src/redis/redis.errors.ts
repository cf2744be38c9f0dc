// Errors of the Redis connection.
import { BallastError } from '../common/index.js';

/** Thrown when Redis does not answer in time. Retryable. */
export class RedisUnavailableError extends BallastError {
  readonly code = 'REDIS_UNAVAILABLE';

  constructor(url: string, reason: string, cause?: unknown) {
    super(`Redis (${url}) is not reachable: ${reason}`, { cause, retryable: true });
  }
}
