// Errors of the window aggregator: an unusable configuration, and persisted state that cannot be resumed.
import { BallastError } from '../../common/pure.js';

/** Thrown for an invalid aggregator configuration or completeness requirement. Not retryable: the config has to change. */
export class AggregatorConfigError extends BallastError {
  readonly code = 'MONITOR_AGGREGATOR_CONFIG_INVALID';

  constructor(message: string) {
    super(message);
  }
}

/**
 * Thrown by `WindowAggregator.fromJSON` when the saved state is malformed or was written with a
 * different window length or metric list; the caller should start cold. Not retryable.
 */
export class AggregatorStateError extends BallastError {
  readonly code = 'MONITOR_AGGREGATOR_STATE_INVALID';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}
