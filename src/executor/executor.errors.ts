// Errors of the executor stage.
import { BallastError } from '../common/index.js';

/** Thrown when an execution is asked for while another has not finished. Retry after it ends, or stop it. */
export class ExecutionInProgressError extends BallastError {
  readonly code = 'EXECUTION_IN_PROGRESS';

  constructor(
    readonly executionId: string,
    readonly operation: string,
  ) {
    super(
      `Execution ${executionId} (${operation}) is still in progress: wait for it, or stop it with POST /kafkacruisecontrol/stop_proposal_execution (or stop_ongoing_execution=true)`,
    );
  }
}
