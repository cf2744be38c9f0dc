// Cruise Control's POST /kafkacruisecontrol/admin: self-healing switched per anomaly type at run
// time (enable_self_healing_for / disable_self_healing_for). The spec's other admin parameters
// change things this version of Ballast does not keep, and are refused naming the parameter.
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnomalyDetectorService, type AnomalyType } from '../detector/index.js';
import { InvalidParameterError } from './api.errors.js';
import { parseQuery } from './query-params.js';
import { ReviewService } from './review/review.service.js';
import { ADMIN_PARAMS } from './endpoint-params.js';

/** The anomaly types the spec's admin parameters accept. */
const ADMIN_ANOMALY_TYPES = [
  'GOAL_VIOLATION',
  'BROKER_FAILURE',
  'METRIC_ANOMALY',
  'DISK_FAILURE',
  'TOPIC_ANOMALY',
] as const;

/** Spec parameters Ballast does not act on, and what to do instead. */
const NOT_SUPPORTED: Partial<Record<keyof typeof ADMIN_PARAMS, string>> = {
  concurrent_partition_movements_per_broker: 'give it to the request that starts the execution',
  max_partition_movements_in_cluster: 'give it to the request that starts the execution',
  concurrent_intra_broker_partition_movements: 'give it to the request that starts the execution',
  concurrent_leader_movements: 'give it to the request that starts the execution',
  broker_concurrent_leader_movements: 'give it to the request that starts the execution',
  drop_recently_removed_brokers: 'Ballast keeps no recently removed brokers',
  drop_recently_demoted_brokers: 'Ballast keeps no recently demoted brokers',
  execution_progress_check_interval_ms: 'set executor.stepIntervalMs',
  review_id: 'it submits a reviewed request, with api.twoStepVerification.enabled only',
  disable_concurrency_adjuster_for: 'Ballast has no concurrency adjuster',
  enable_concurrency_adjuster_for: 'Ballast has no concurrency adjuster',
  min_isr_based_concurrency_adjustment: 'Ballast has no concurrency adjuster',
};

export interface AdminRequest {
  enable: AnomalyType[];
  disable: AnomalyType[];
  json: boolean;
}

/**
 * The validated admin request.
 * @throws InvalidParameterError naming the parameter: unknown names, unknown anomaly types, a type both enabled and disabled, or a spec parameter Ballast does not support.
 */
export function parseAdminRequest(query: Record<string, unknown>): AdminRequest {
  const p = parseQuery('POST /kafkacruisecontrol/admin', ADMIN_PARAMS, query);
  for (const [name, instead] of Object.entries(NOT_SUPPORTED)) {
    if (p[name as keyof typeof p] !== undefined) {
      throw new InvalidParameterError(
        name,
        `Parameter '${name}' is not supported by this version of Ballast: ${instead}`,
      );
    }
  }
  const enable = anomalyTypes('enable_self_healing_for', p.enable_self_healing_for);
  const disable = anomalyTypes('disable_self_healing_for', p.disable_self_healing_for);
  const both = enable.filter((t) => disable.includes(t));
  if (both.length > 0) {
    throw new InvalidParameterError(
      'disable_self_healing_for',
      `Parameter 'disable_self_healing_for' names ${both.join(', ')}, which enable_self_healing_for also names`,
    );
  }
  return { enable, disable, json: p.json };
}

function anomalyTypes(name: string, raw: string | undefined): AnomalyType[] {
  if (raw === undefined) return [];
  const items = raw
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0);
  const bad = items.filter((s) => !(ADMIN_ANOMALY_TYPES as readonly string[]).includes(s));
  if (items.length === 0 || bad.length > 0) {
    throw new InvalidParameterError(
      name,
      `Parameter '${name}' accepts a comma-separated list of ${ADMIN_ANOMALY_TYPES.join(', ')}; got '${raw}'`,
    );
  }
  return [...new Set(items)] as AnomalyType[];
}

@Controller('kafkacruisecontrol')
export class AdminController {
  constructor(
    private readonly detector: AnomalyDetectorService,
    private readonly reviews: ReviewService,
  ) {}

  @Post('admin')
  @HttpCode(200)
  async admin(
    @Query() query: Record<string, unknown>,
    @Req() http: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<object | string> {
    const request = parseAdminRequest(query);
    const review = this.reviews.hold('admin', http, response, request.json);
    if (review !== undefined) return review;
    const { before, after } = await this.detector.switchSelfHealing(request);
    if (request.json) return { version: 1, selfHealingEnabledBefore: before, selfHealingEnabledAfter: after };
    response.type('text/plain');
    return `Self healing enabled before: ${JSON.stringify(before)}\nSelf healing enabled after: ${JSON.stringify(after)}\n`;
  }
}
