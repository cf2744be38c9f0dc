// Errors of leader election.
import { BallastError } from '../common/index.js';

/** Thrown (and handed to the onLost callback) when this instance no longer holds the leader lock, or cannot prove it still will in time. Not retryable: the process must stop acting. */
export class LeadershipLostError extends BallastError {
  readonly code = 'LEADERSHIP_LOST';

  constructor(
    readonly instanceId: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`instance ${instanceId} lost the leader lock: ${reason}`, { cause });
  }
}

/** Thrown by the wait for leadership when start-up is cancelled (SIGTERM while standing by). */
export class LeadershipWaitAbortedError extends BallastError {
  readonly code = 'LEADERSHIP_WAIT_ABORTED';

  constructor() {
    super('stopped waiting for the leader lock');
  }
}
