// Errors of two-step verification (Cruise Control's review board). All map to 400: the request
// names a review that cannot be used the way it asks; retrying the same request cannot help.
import { BallastError } from '../../common/index.js';

/**
 * Thrown when a request names a review id the board does not hold (never created, or dropped after
 * api.twoStepVerification.reviewRetentionMs or beyond maxReviews). Maps to 400; not retryable.
 */
export class UnknownReviewError extends BallastError {
  readonly code = 'UNKNOWN_REVIEW';

  constructor(
    /** The parameter that named the ids: `review_id`, `approve` or `discard`. */
    readonly parameter: string,
    readonly reviewIds: readonly number[],
  ) {
    super(
      `Parameter '${parameter}' names review(s) ${reviewIds.join(', ')} that the review board does not hold: never created, or expired. GET /kafkacruisecontrol/review_board lists the current ones`,
    );
  }
}

/**
 * Thrown when a review cannot move the way a request asks: approving a discarded review, submitting
 * one not yet approved or already submitted, submitting it to another endpoint. Maps to 400; not retryable.
 */
export class ReviewStateError extends BallastError {
  readonly code = 'REVIEW_STATE';

  constructor(
    /** The parameter that asked for the move: `review_id`, `approve` or `discard`. */
    readonly parameter: string,
    readonly reviewId: number,
    message: string,
  ) {
    super(message);
  }
}
