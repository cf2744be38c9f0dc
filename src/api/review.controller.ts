// Cruise Control's GET /review_board and POST /review. Two-step verification is not built, so
// both validate the request and then refuse it, as Cruise Control does when
// two.step.verification.enabled is false (there with a 500; here a 400 saying why).
import { Controller, Get, Post, Query } from '@nestjs/common';
import { TwoStepVerificationDisabledError } from './api.errors.js';
import { parseQuery } from './query-params.js';

const REVIEW_IDS = { kind: 'integerList', min: 0, max: 2_147_483_647 } as const;

export const REVIEW_BOARD_PARAMS = {
  review_ids: REVIEW_IDS,
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const REVIEW_PARAMS = {
  approve: REVIEW_IDS,
  discard: REVIEW_IDS,
  reason: { kind: 'string' },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

@Controller('kafkacruisecontrol')
export class ReviewController {
  @Get('review_board')
  reviewBoard(@Query() query: Record<string, unknown>): never {
    parseQuery('GET /kafkacruisecontrol/review_board', REVIEW_BOARD_PARAMS, query);
    throw new TwoStepVerificationDisabledError('REVIEW_BOARD');
  }

  @Post('review')
  review(@Query() query: Record<string, unknown>): never {
    parseQuery('POST /kafkacruisecontrol/review', REVIEW_PARAMS, query);
    throw new TwoStepVerificationDisabledError('REVIEW');
  }
}
