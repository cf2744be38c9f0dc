// Errors of the load monitor service: not enough data yet, and capacities that had to be guessed.
import { BallastError } from '../common/index.js';

/**
 * Thrown when the load monitor has too little data for what was asked (no snapshot yet, too few
 * valid windows, too few valid partitions). Retryable: sampling fills the windows over time.
 */
export class LoadMonitorNotReadyError extends BallastError {
  readonly code = 'LOAD_MONITOR_NOT_READY';

  constructor(
    /** One sentence per cause, as `/state` reports them. */
    readonly reasons: string[],
  ) {
    super(`The load monitor does not have enough data yet: ${reasons.join('; ')}`, { retryable: true });
  }
}

/**
 * Thrown when a request forbids capacity estimation (`allow_capacity_estimation=false`) and some
 * broker's capacity is estimated. Not retryable: the capacity file has to cover the brokers.
 */
export class CapacityEstimationNotAllowedError extends BallastError {
  readonly code = 'CAPACITY_ESTIMATED';

  constructor(readonly brokerIds: number[]) {
    super(
      `Capacity of broker${brokerIds.length > 1 ? 's' : ''} ${brokerIds.join(', ')} is estimated (no capacity file entry ` +
        'covers it) and the request set allow_capacity_estimation=false; add the broker to monitor.capacity.file',
    );
  }
}
