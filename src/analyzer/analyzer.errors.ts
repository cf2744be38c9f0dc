// Errors of the analyzer service.
import { BallastError } from '../common/pure.js';

/** Thrown when a request names goals Ballast does not have. Not retryable. */
export class UnknownGoalError extends BallastError {
  readonly code = 'UNKNOWN_GOAL';

  constructor(
    readonly unknown: string[],
    known: string[],
  ) {
    super(`Unknown goal(s) ${unknown.join(', ')}; known goals: ${known.join(', ')}`);
  }
}

/** Thrown when a request names brokers the cluster does not have. Not retryable. */
export class UnknownBrokerError extends BallastError {
  readonly code = 'UNKNOWN_BROKER';

  constructor(
    /** The request parameter that named them, e.g. `destination_broker_ids`. */
    readonly parameter: string,
    readonly brokerIds: number[],
  ) {
    super(`Parameter '${parameter}' names broker(s) the cluster does not have: ${brokerIds.join(', ')}`);
  }
}

/** Thrown when a request names log dirs the cluster's brokers do not have. Not retryable. */
export class UnknownLogDirError extends BallastError {
  readonly code = 'UNKNOWN_LOG_DIR';

  constructor(
    /** The request parameter that named them, e.g. `brokerid_and_logdirs`. */
    readonly parameter: string,
    readonly logDirs: string[],
    readonly detail = 'the cluster has no such log dir',
  ) {
    super(`Parameter '${parameter}' names ${logDirs.join(', ')}: ${detail}`);
  }
}
