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

/**
 * Thrown by review_board and review while two-step verification (api.twoStepVerification.enabled)
 * is off: POST requests execute directly (within their dryrun setting), so there is nothing to
 * review. Maps to 400; not retryable.
 */
export class TwoStepVerificationDisabledError extends BallastError {
  readonly code = 'TWO_STEP_VERIFICATION_DISABLED';

  constructor(readonly endpoint: string) {
    super(
      `Attempt to access ${endpoint} endpoint without two-step verification: it is off (api.twoStepVerification.enabled), so POST requests execute directly (within their dryrun setting) and there is nothing to review`,
    );
  }
}
