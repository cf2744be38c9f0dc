// Errors for capacity files: a file that cannot be used, and a broker no entry covers.
import { BallastError } from '../../common/index.js';

/** One thing wrong in a capacity file. */
export interface CapacityProblem {
  /** Where in the file, JSON-path style, e.g. `brokerCapacities[1].capacity.NW_IN`; `(root)` for the file as a whole. */
  path: string;
  message: string;
}

/** Thrown when a capacity file is unreadable or invalid; lists every problem at once. Not retryable. */
export class CapacityFileError extends BallastError {
  readonly code = 'CAPACITY_INVALID';

  constructor(
    /** The file (or other source name) the problems are in. */
    readonly source: string,
    readonly problems: CapacityProblem[],
    options: { cause?: unknown } = {},
  ) {
    super(
      `Invalid capacity file ${source}:\n${problems.map((p) => `  - ${source}: ${p.path}: ${p.message}`).join('\n')}`,
      options,
    );
  }
}

/**
 * Thrown when no capacity entry covers a broker, or covers it only partly (JBOD log dirs without
 * a figure). Not retryable: the file has to change.
 */
export class MissingCapacityError extends BallastError {
  readonly code = 'CAPACITY_MISSING';

  constructor(
    readonly brokerId: number,
    /** Log dirs of the broker with no capacity entry; empty when the whole broker is missing. */
    readonly missingLogDirs: string[],
    message: string,
  ) {
    super(message);
  }
}
