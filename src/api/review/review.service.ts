// Two-step verification over HTTP: holds POST requests for review while
// api.twoStepVerification.enabled, and turns the submit of an approved review (the same POST with
// review_id) back into the request as it was reviewed. The board itself is in memory.
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BallastConfig } from '../../config/index.js';
import { InvalidParameterError } from '../api.errors.js';
import type { CruiseControlEndpoint } from '../endpoints.js';
import { principalOf } from '../security/principal.js';
import { ReviewBoard, type Review } from './review-board.js';
import { reviewResult, reviewResultText, type ReviewResultJson } from './review.responses.js';

/** Parameters that shape only the answer, so a submit may set them anew. */
const ANSWER_PARAMS = ['json', 'get_response_schema'];

@Injectable()
export class ReviewService {
  readonly enabled: boolean;
  readonly board: ReviewBoard;
  /** Requests that are the submit (or a poll of it) of an approved review, with its id. */
  private readonly submitted = new WeakMap<Request, number>();

  constructor(config: BallastConfig) {
    const options = config.api.twoStepVerification;
    this.enabled = options.enabled;
    this.board = new ReviewBoard({ retentionMs: options.reviewRetentionMs, maxReviews: options.maxReviews });
  }

  /**
   * Called by a reviewed endpoint once its parameters are valid. With two-step verification on, and
   * unless the request is the submit of an approved review, the request is held: the answer is its
   * new review (PENDING_REVIEW), to send instead of acting. Otherwise undefined: act.
   */
  hold(
    endpoint: CruiseControlEndpoint,
    request: Request,
    response: Response,
    json: boolean,
  ): ReviewResultJson | string | undefined {
    if (!this.enabled || this.submitted.has(request)) return undefined;
    // The controller has checked the parameters: every value is a single string.
    const query = Object.fromEntries(
      Object.entries(request.query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    const review = this.board.add({ endpoint, query, submitter: submitterOf(request) });
    return this.answer([review], json, response);
  }

  /**
   * Turns the submit of review `reviewId` into the reviewed request: checks the review may run
   * (approved, this endpoint, not yet submitted unless this is a poll of its user task) and that
   * the request adds nothing but answer-format parameters, then returns the query to run.
   * @throws InvalidParameterError, UnknownReviewError, ReviewStateError
   */
  submit(
    endpoint: CruiseControlEndpoint,
    request: Request,
    reviewId: number,
    pollUserTaskId?: string,
  ): Record<string, string> {
    const review = this.board.get(reviewId);
    const overrides = checkSameParameters(review, request.query);
    this.board.submit(reviewId, endpoint, pollUserTaskId);
    this.submitted.set(request, reviewId);
    const reviewed = Object.entries(review.query).filter(([k]) => !Object.hasOwn(overrides, k.toLowerCase()));
    return { ...Object.fromEntries(reviewed), ...overrides };
  }

  /** After a submit answered: remembers the user task it started, which later polls name. */
  afterSubmit(request: Request, userTaskId: string | undefined): void {
    const id = this.submitted.get(request);
    if (id !== undefined && userTaskId !== undefined) this.board.recordUserTask(id, userTaskId);
  }

  answer(reviews: readonly Review[], json: boolean, response: Response): ReviewResultJson | string {
    const result = reviewResult(reviews);
    if (json) return result;
    response.type('text/plain');
    return reviewResultText(result);
  }
}

/** The authenticated user when there is one, else the client address (Cruise Control's client identity). */
function submitterOf(request: Request): string {
  return principalOf(request)?.name ?? request.ip ?? 'unknown';
}

/**
 * A submit runs what was reviewed: it may repeat reviewed parameters with the same values, and set
 * answer-format ones, nothing else. Returns the answer-format parameters it sets, by lower-case name.
 */
function checkSameParameters(review: Review, query: Record<string, unknown>): Record<string, string> {
  const reviewed = new Map(Object.entries(review.query).map(([k, v]) => [k.toLowerCase(), v]));
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    const key = name.toLowerCase();
    if (key === 'review_id') continue;
    if (typeof value !== 'string') {
      throw new InvalidParameterError(name, `Parameter '${name}' is given more than once`);
    }
    if (ANSWER_PARAMS.includes(key)) {
      // Checked here, not by the controller: a bad value must not use up the review.
      if (!['true', 'false'].includes(value.trim().toLowerCase())) {
        throw new InvalidParameterError(name, `Parameter '${name}' must be true or false, got '${value}'`);
      }
      overrides[key] = value;
      continue;
    }
    const before = reviewed.get(key);
    if (before === undefined || before.trim() !== value.trim()) {
      throw new InvalidParameterError(
        name,
        before === undefined
          ? `Parameter '${name}' was not part of review ${review.id}: a submit runs the request exactly as it was reviewed, so send review_id alone (json may be added)`
          : `Parameter '${name}' is '${value}' but review ${review.id} was approved with '${before}': a submit runs the request exactly as it was reviewed, so send review_id alone (json may be added)`,
      );
    }
  }
  return overrides;
}
