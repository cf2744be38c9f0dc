// Cruise Control's POST /rightsize asks a provisioner for more brokers or partitions. Ballast has
// no provisioner: the request is validated and answered, in the spec's shape, with what was asked
// and that nothing was provisioned.
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidParameterError } from './api.errors.js';
import { parseQuery, topicPattern } from './query-params.js';
import type { ReviewResultJson } from './review/review.responses.js';
import { ReviewService } from './review/review.service.js';
import { RIGHTSIZE_PARAMS } from './endpoint-params.js';

export interface RightsizeJson {
  version: 1;
  numBrokersToAdd?: number;
  partitionCount?: number;
  topic?: string;
  provisionerState: string;
}

export function rightsizeAnswer(query: Record<string, unknown>): { json: boolean; body: RightsizeJson } {
  const p = parseQuery('POST /kafkacruisecontrol/rightsize', RIGHTSIZE_PARAMS, query);
  if (p.num_brokers_to_add === undefined && p.partition_count === undefined) {
    throw new InvalidParameterError(
      'num_brokers_to_add',
      "Parameter 'num_brokers_to_add' or 'partition_count' is required: what to rightsize towards",
    );
  }
  if (p.topic !== undefined && p.partition_count === undefined) {
    throw new InvalidParameterError('topic', "Parameter 'topic' goes with 'partition_count'");
  }
  topicPattern(p.topic, 'topic');
  const asked = [
    p.num_brokers_to_add !== undefined ? `${p.num_brokers_to_add} more broker(s)` : undefined,
    p.partition_count !== undefined
      ? `${p.partition_count} partitions for topics matching ${p.topic ?? '.*'}`
      : undefined,
  ].filter((s) => s !== undefined);
  return {
    json: p.json,
    body: {
      version: 1,
      ...(p.num_brokers_to_add !== undefined ? { numBrokersToAdd: p.num_brokers_to_add } : {}),
      ...(p.partition_count !== undefined ? { partitionCount: p.partition_count } : {}),
      ...(p.topic !== undefined ? { topic: p.topic } : {}),
      provisionerState: `ABORTED: Ballast has no provisioner, so nothing was provisioned (asked for ${asked.join(' and ')}). Add brokers or partitions with your own tooling, then use add_broker or rebalance.`,
    },
  };
}

@Controller('kafkacruisecontrol')
export class RightsizeController {
  constructor(private readonly reviews: ReviewService) {}

  @Post('rightsize')
  @HttpCode(200)
  rightsize(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): RightsizeJson | ReviewResultJson | string {
    const answer = rightsizeAnswer(query);
    const review = this.reviews.hold('rightsize', request, response, answer.json);
    if (review !== undefined) return review;
    if (answer.json) return answer.body;
    response.type('text/plain');
    return `${answer.body.provisionerState}\n`;
  }
}
