// Cruise Control's POST /pause_sampling and POST /resume_sampling.
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LoadMonitorService } from '../monitor/index.js';
import { InvalidParameterError } from './api.errors.js';
import { parseQuery } from './query-params.js';
import { ReviewService } from './review/review.service.js';
import { SAMPLING_PARAMS } from './endpoint-params.js';

@Controller('kafkacruisecontrol')
export class SamplingController {
  constructor(
    private readonly monitor: LoadMonitorService,
    private readonly reviews: ReviewService,
  ) {}

  @Post('pause_sampling')
  @HttpCode(200)
  pause(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): object | string {
    const p = parseQuery('POST /kafkacruisecontrol/pause_sampling', SAMPLING_PARAMS, query);
    rejectReview(p.review_id);
    const review = this.reviews.hold('pause_sampling', request, response, p.json);
    if (review !== undefined) return review;
    this.monitor.pause(p.reason ?? 'no reason given');
    return answer('Metric sampling paused.', p.json, response);
  }

  @Post('resume_sampling')
  @HttpCode(200)
  resume(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): object | string {
    const p = parseQuery('POST /kafkacruisecontrol/resume_sampling', SAMPLING_PARAMS, query);
    rejectReview(p.review_id);
    const review = this.reviews.hold('resume_sampling', request, response, p.json);
    if (review !== undefined) return review;
    this.monitor.resume(p.reason ?? 'no reason given');
    return answer('Metric sampling resumed.', p.json, response);
  }
}

// Two-step verification is not built yet: a review id cannot refer to anything.
function rejectReview(reviewId: number | undefined): void {
  if (reviewId !== undefined) {
    throw new InvalidParameterError(
      'review_id',
      "Parameter 'review_id' needs two-step verification, which is not enabled",
    );
  }
}

function answer(message: string, json: boolean, response: Response): object | string {
  if (json) return { version: 1, message };
  response.type('text/plain');
  return `${message}\n`;
}
