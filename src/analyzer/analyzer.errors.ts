// Errors of the analyzer service.
import { BallastError } from '../common/ballast.error.js';

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
