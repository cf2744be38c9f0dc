// Cruise Control's GET /review_board and POST /review (two-step verification). With
// api.twoStepVerification.enabled off both validate the request and refuse it, as Cruise Control
// does (there with a 500; here a 400 saying why).
import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidParameterError, TwoStepVerificationDisabledError } from './api.errors.js';
import { parseQuery } from './query-params.js';
import type { ReviewResultJson } from './review/review.responses.js';
import { ReviewService } from './review/review.service.js';
import { REVIEW_BOARD_PARAMS, REVIEW_PARAMS } from './endpoint-params.js';

@Controller('kafkacruisecontrol')
export class ReviewController {
  constructor(private readonly reviews: ReviewService) {}

  /** The reviews on the board (those named by `review_ids`, else all), oldest first. */
  @Get('review_board')
  reviewBoard(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): ReviewResultJson | string {
    const p = parseQuery('GET /kafkacruisecontrol/review_board', REVIEW_BOARD_PARAMS, query);
    if (!this.reviews.enabled) throw new TwoStepVerificationDisabledError('REVIEW_BOARD');
    return this.reviews.answer(this.reviews.board.list(p.review_ids), p.json, response);
  }

  /** Approves and discards held requests; answers with the reviewed ones. */
  @Post('review')
  @HttpCode(200)
  review(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): ReviewResultJson | string {
    const p = parseQuery('POST /kafkacruisecontrol/review', REVIEW_PARAMS, query);
    if (!this.reviews.enabled) throw new TwoStepVerificationDisabledError('REVIEW');
    const approve = p.approve ?? [];
    const discard = p.discard ?? [];
    if (approve.length === 0 && discard.length === 0) {
      throw new InvalidParameterError(
        'approve',
        "Parameter 'approve' or 'discard' is required: the review ids to decide on",
      );
    }
    const reason =
      p.reason?.trim() || (discard.length === 0 ? 'Approved.' : approve.length === 0 ? 'Discarded.' : 'Reviewed.');
    return this.reviews.answer(this.reviews.board.review({ approve, discard, reason }), p.json, response);
  }
}
