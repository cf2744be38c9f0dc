// Errors of the analyzer service. They name what the request asked for in the analyzer's terms
// (the operation's fields); the API turns them into the HTTP parameter the client sent.
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

/** Which brokers of a request: the operation's own (removed, added, demoted), its destinations, its excluded ones, or a log dir's. */
export type BrokerRole = 'brokers' | 'destinationBrokers' | 'excludedBrokers' | 'logDirBrokers';

const ROLE_TEXT: Readonly<Record<BrokerRole, string>> = {
  brokers: 'The brokers of the operation',
  destinationBrokers: 'The destination brokers',
  excludedBrokers: 'The excluded brokers',
  logDirBrokers: 'The log dirs to remove',
};

/** Thrown when a request names brokers the cluster does not have. Not retryable. */
export class UnknownBrokerError extends BallastError {
  readonly code = 'UNKNOWN_BROKER';

  constructor(
    readonly role: BrokerRole,
    readonly brokerIds: number[],
    /** The request parameter that named them (`destination_broker_ids`), once the API has told it. */
    readonly parameter?: string,
  ) {
    super(
      parameter === undefined
        ? `${ROLE_TEXT[role]} name broker(s) the cluster does not have: ${brokerIds.join(', ')}`
        : `Parameter '${parameter}' names broker(s) the cluster does not have: ${brokerIds.join(', ')}`,
    );
  }

  /** The same refusal, told as the request parameter that named the brokers. */
  forParameter(parameter: string): UnknownBrokerError {
    return new UnknownBrokerError(this.role, this.brokerIds, parameter);
  }
}

/** Thrown when a request names log dirs the cluster's brokers do not have. Not retryable. */
export class UnknownLogDirError extends BallastError {
  readonly code = 'UNKNOWN_LOG_DIR';

  constructor(
    /** `<broker id>-<log dir>` of each. */
    readonly logDirs: string[],
    readonly detail = 'the cluster has no such log dir',
    /** The request parameter that named them (`brokerid_and_logdirs`), once the API has told it. */
    readonly parameter?: string,
  ) {
    super(
      parameter === undefined
        ? `The log dirs to remove name ${logDirs.join(', ')}: ${detail}`
        : `Parameter '${parameter}' names ${logDirs.join(', ')}: ${detail}`,
    );
  }

  /** The same refusal, told as the request parameter that named the log dirs. */
  forParameter(parameter: string): UnknownLogDirError {
    return new UnknownLogDirError(this.logDirs, this.detail, parameter);
  }
}
