// Errors of Cruise Control style async user tasks.
import { BallastError } from '../../common/index.js';

/**
 * Thrown when a request carries a `User-Task-ID` header that names no task Ballast still keeps
 * (never existed, expired, or belongs to another endpoint). Maps to 400; not retryable.
 */
export class UnknownUserTaskError extends BallastError {
  readonly code = 'UNKNOWN_USER_TASK';
  /** The request header to blame. */
  readonly parameter = 'User-Task-ID';

  constructor(
    readonly userTaskId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when an async request arrives while `api.maxActiveUserTasks` tasks are still running.
 * Maps to 429; retryable once one of them finishes.
 */
export class TooManyUserTasksError extends BallastError {
  readonly code = 'TOO_MANY_USER_TASKS';

  constructor(readonly maxActiveTasks: number) {
    super(
      `There are already ${maxActiveTasks} active user tasks, the limit (api.maxActiveUserTasks): poll them by their User-Task-ID or wait for one to finish, then retry`,
      { retryable: true },
    );
  }
}
