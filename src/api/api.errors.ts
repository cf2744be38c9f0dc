// Errors of the REST layer.
import { BallastError } from '../common/index.js';

/** Thrown when a request parameter is unknown, repeated or has a bad value. Maps to 400. */
export class InvalidParameterError extends BallastError {
  readonly code = 'INVALID_PARAMETER';

  constructor(
    /** The offending parameter, as the client spelled it. */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}
