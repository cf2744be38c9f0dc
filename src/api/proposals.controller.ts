// Cruise Control's GET /proposals: the optimization proposal for the current workload (a dry run;
// nothing is executed).
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnalyzerService } from '../analyzer/index.js';
import { InvalidParameterError } from './api.errors.js';
import { topicPattern } from './kafka-cluster-state.controller.js';
import { optimizationResult, optimizationResultText, type OptimizationResultJson } from './optimization-result.js';
import { parseQuery } from './query-params.js';
import { UserTaskService } from './user-tasks/user-task.service.js';

export const PROPOSALS_PARAMS = {
  kafka_assigner: { kind: 'boolean', default: false },
  destination_broker_ids: { kind: 'integerList', min: 0, max: 2_147_483_647 },
  ignore_proposal_cache: { kind: 'boolean', default: false },
  rebalance_disk: { kind: 'boolean', default: false },
  data_from: { kind: 'enum', values: ['VALID_WINDOWS', 'VALID_PARTITIONS'] },
  use_ready_default_goals: { kind: 'boolean', default: false },
  excluded_topics: { kind: 'string' },
  exclude_recently_removed_brokers: { kind: 'boolean', default: false },
  goals: { kind: 'string' },
  allow_capacity_estimation: { kind: 'boolean', default: true },
  verbose: { kind: 'boolean', default: false },
  exclude_recently_demoted_brokers: { kind: 'boolean', default: false },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  fast_mode: { kind: 'boolean', default: true },
  reason: { kind: 'string' },
  // Ballast's addition (Cruise Control's name from POST /rebalance): estimate the execution time at this rate.
  replication_throttle: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
} as const;

@Controller('kafkacruisecontrol')
export class ProposalsController {
  constructor(
    private readonly analyzer: AnalyzerService,
    private readonly userTasks: UserTaskService,
  ) {}

  @Get('proposals')
  async proposals(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('GET /kafkacruisecontrol/proposals', PROPOSALS_PARAMS, query);
    if (p.kafka_assigner) {
      throw new InvalidParameterError(
        'kafka_assigner',
        "Parameter 'kafka_assigner' is not supported: Ballast has no Kafka-assigner mode",
      );
    }
    if (p.data_from === 'VALID_PARTITIONS') {
      throw new InvalidParameterError('data_from', "Parameter 'data_from' supports only VALID_WINDOWS so far");
    }
    const excludedTopics = topicPattern(p.excluded_topics, 'excluded_topics');
    const goals = p.goals
      ?.split(',')
      .map((g) => g.trim())
      .filter((g) => g.length > 0);
    return this.userTasks.respond('proposals', p.json, request, response, (task) => {
      task.step('OPTIMIZING', 'Computing the proposal from the current workload model.');
      return this.answer(p.json, p.verbose, p.replication_throttle, excludedTopics, {
        goals,
        rebalanceDisk: p.rebalance_disk,
        excludedTopics,
        destinationBrokerIds: p.destination_broker_ids,
        allowCapacityEstimation: p.allow_capacity_estimation,
        ignoreProposalCache: p.ignore_proposal_cache,
        skipHardGoalCheck: false,
      });
    });
  }

  private async answer(
    json: boolean,
    verbose: boolean,
    replicationThrottle: number | undefined,
    excludedTopics: RegExp | undefined,
    options: Parameters<AnalyzerService['proposals']>[0],
  ): Promise<OptimizationResultJson | string> {
    const proposal = await this.analyzer.proposals(options);
    const result = optimizationResult(proposal, {
      verbose,
      excludedTopics: excludedTopics
        ? proposal.before.model.tables.topicNames.filter((t) => excludedTopics.test(t))
        : [],
      replicationThrottle,
    });
    return json ? result : optimizationResultText(result);
  }
}
