// Cruise Control's POST /rebalance, /add_broker, /remove_broker, /fix_offline_replicas and
// /remove_disks (dryrun=true by default: the proposal only) and POST /stop_proposal_execution. A rebalance that executes answers with the proposal it started;
// progress is in the executor part of GET /state.
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnalyzerService, type Proposal } from '../analyzer/index.js';
import { ExecutorService, isReplicaMovementStrategy, REPLICA_MOVEMENT_STRATEGIES } from '../executor/index.js';
import { InvalidParameterError } from './api.errors.js';
import { topicPattern } from './kafka-cluster-state.controller.js';
import { optimizationResult, optimizationResultText, type OptimizationResultJson } from './optimization-result.js';
import { parseBrokerLogDirs, parseQuery } from './query-params.js';
import type { CruiseControlEndpoint } from './endpoints.js';
import type { UserTaskProgress } from './user-tasks/user-task.manager.js';
import { ReviewService } from './review/review.service.js';
import type { ReviewResultJson } from './review/review.responses.js';
import { UserTaskService } from './user-tasks/user-task.service.js';

const INT = { kind: 'integer', min: 1, max: 2_147_483_647 } as const;

/** Parameters every proposal-executing POST takes (Cruise Control's). */
const COMMON_PARAMS = {
  dryrun: { kind: 'boolean', default: true },
  goals: { kind: 'string' },
  allow_capacity_estimation: { kind: 'boolean', default: true },
  stop_ongoing_execution: { kind: 'boolean', default: false },
  concurrent_partition_movements_per_broker: INT,
  max_partition_movements_in_cluster: INT,
  concurrent_leader_movements: INT,
  broker_concurrent_leader_movements: INT,
  json: { kind: 'boolean', default: false },
  skip_hard_goal_check: { kind: 'boolean', default: false },
  excluded_topics: { kind: 'string' },
  use_ready_default_goals: { kind: 'boolean', default: false },
  data_from: { kind: 'enum', values: ['VALID_WINDOWS', 'VALID_PARTITIONS'] },
  verbose: { kind: 'boolean', default: false },
  exclude_recently_demoted_brokers: { kind: 'boolean', default: false },
  exclude_recently_removed_brokers: { kind: 'boolean', default: false },
  replica_movement_strategies: { kind: 'enumList', values: Object.keys(REPLICA_MOVEMENT_STRATEGIES) },
  kafka_assigner: { kind: 'boolean', default: false },
  review_id: { kind: 'integer', min: 0, max: 2_147_483_647 },
  replication_throttle: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
  execution_progress_check_interval_ms: { kind: 'integer', min: 1, max: 2_147_483_647 },
  reason: { kind: 'string' },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  fast_mode: { kind: 'boolean', default: true },
} as const;

const BROKER_IDS = { kind: 'integerList', min: 0, max: 2_147_483_647 } as const;

export const REBALANCE_PARAMS = {
  ...COMMON_PARAMS,
  concurrent_intra_broker_partition_movements: INT,
  ignore_proposal_cache: { kind: 'boolean', default: false },
  destination_broker_ids: BROKER_IDS,
  rebalance_disk: { kind: 'boolean', default: false },
} as const;

export const ADD_BROKER_PARAMS = {
  ...COMMON_PARAMS,
  brokerid: BROKER_IDS,
  throttle_added_broker: { kind: 'boolean', default: true },
} as const;

export const REMOVE_BROKER_PARAMS = {
  ...COMMON_PARAMS,
  brokerid: BROKER_IDS,
  throttle_removed_broker: { kind: 'boolean', default: true },
  destination_broker_ids: BROKER_IDS,
} as const;

// Cruise Control's fix_offline_replicas takes the common parameters but not kafka_assigner.
const { kafka_assigner: _notForFixOffline, ...fixOfflineReplicasParams } = COMMON_PARAMS;
export const FIX_OFFLINE_REPLICAS_PARAMS = fixOfflineReplicasParams;

export const REMOVE_DISKS_PARAMS = {
  dryrun: { kind: 'boolean', default: true },
  stop_ongoing_execution: { kind: 'boolean', default: false },
  reason: { kind: 'string' },
  brokerid_and_logdirs: { kind: 'string' },
  json: { kind: 'boolean', default: false },
} as const;

export const DEMOTE_BROKER_PARAMS = {
  brokerid: BROKER_IDS,
  dryrun: { kind: 'boolean', default: true },
  concurrent_leader_movements: INT,
  broker_concurrent_leader_movements: INT,
  allow_capacity_estimation: { kind: 'boolean', default: true },
  json: { kind: 'boolean', default: false },
  skip_urp_demotion: { kind: 'boolean', default: true },
  exclude_follower_demotion: { kind: 'boolean', default: false },
  verbose: { kind: 'boolean', default: false },
  exclude_recently_demoted_brokers: { kind: 'boolean', default: false },
  replica_movement_strategies: COMMON_PARAMS.replica_movement_strategies,
  brokerid_and_logdirs: { kind: 'string' },
  replication_throttle: COMMON_PARAMS.replication_throttle,
  reason: { kind: 'string' },
  execution_progress_check_interval_ms: INT,
  stop_ongoing_execution: { kind: 'boolean', default: false },
  review_id: COMMON_PARAMS.review_id,
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const TOPIC_CONFIGURATION_PARAMS = {
  ...FIX_OFFLINE_REPLICAS_PARAMS,
  topic: { kind: 'string' },
  replication_factor: { kind: 'integer', min: 1, max: 32_767 },
  skip_rack_awareness_check: { kind: 'boolean', default: false },
} as const;

type CommonParams = ReturnType<typeof parseQuery<typeof COMMON_PARAMS>>;

export const STOP_PARAMS = {
  force_stop: { kind: 'boolean', default: false },
  stop_external_agent: { kind: 'boolean', default: true },
  review_id: { kind: 'integer', min: 0, max: 2_147_483_647 },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

/** The `brokerid` list add_broker and remove_broker require. */
function requireBrokers(ids: number[] | undefined): number[] {
  if (ids === undefined || ids.length === 0) {
    throw new InvalidParameterError('brokerid', "Parameter 'brokerid' is required: the Kafka ids of the brokers");
  }
  return ids;
}

/**
 * `topic` without `excluded_topics`, as one pattern of whole names. Each compiles alone (checked
 * before), yet together they may not: the same named group in both is a syntax error.
 */
function combinedTopicPattern(topic: string, excluded: string | undefined): RegExp {
  try {
    return new RegExp(excluded ? `^(?!(?:${excluded})$)(?:${topic})$` : `^(?:${topic})$`);
  } catch (error) {
    throw new InvalidParameterError(
      'excluded_topics',
      `Parameters 'topic' and 'excluded_topics' do not combine into one regular expression (${error instanceof Error ? error.message : String(error)}): use different group names, or non-capturing groups`,
    );
  }
}

/** How long `stop_ongoing_execution=true` waits for the running execution to stop. */
const STOP_WAIT_MS = 60_000;

@Controller('kafkacruisecontrol')
export class ExecutionController {
  constructor(
    private readonly analyzer: AnalyzerService,
    private readonly executor: ExecutorService,
    private readonly userTasks: UserTaskService,
    private readonly reviews: ReviewService,
  ) {}

  /** With two-step verification on, answers the request's new review instead of acting; true when it did. */
  private held(endpoint: CruiseControlEndpoint, json: boolean, request: Request, response: Response): boolean {
    const review = this.reviews.hold(endpoint, request, response, json);
    if (review === undefined) return false;
    if (typeof review === 'string') response.status(200).send(review);
    else response.status(200).json(review);
    return true;
  }

  @Post('rebalance')
  async rebalance(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('POST /kafkacruisecontrol/rebalance', REBALANCE_PARAMS, query);
    if (this.held('rebalance', p.json, request, response)) return;
    return this.userTasks.respond('rebalance', p.json, request, response, (task) =>
      this.run('rebalance', p, task, {
        destinationBrokerIds: p.destination_broker_ids,
        rebalanceDisk: p.rebalance_disk,
        ignoreProposalCache: p.ignore_proposal_cache,
        intraBrokerMovements: p.concurrent_intra_broker_partition_movements,
        throttle: true,
      }),
    );
  }

  /** New brokers take replicas from the others; nothing moves between the old ones (Cruise Control's add_broker). */
  @Post('add_broker')
  async addBroker(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('POST /kafkacruisecontrol/add_broker', ADD_BROKER_PARAMS, query);
    const brokerIds = requireBrokers(p.brokerid);
    if (this.held('add_broker', p.json, request, response)) return;
    return this.userTasks.respond('add_broker', p.json, request, response, (task) =>
      this.run('add_broker', p, task, {
        destinationBrokerIds: brokerIds,
        throttle: p.throttle_added_broker,
      }),
    );
  }

  /** Every replica leaves the named brokers, onto `destination_broker_ids` when given (Cruise Control's remove_broker). */
  @Post('remove_broker')
  async removeBroker(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('POST /kafkacruisecontrol/remove_broker', REMOVE_BROKER_PARAMS, query);
    const brokerIds = requireBrokers(p.brokerid);
    if (this.held('remove_broker', p.json, request, response)) return;
    return this.userTasks.respond('remove_broker', p.json, request, response, (task) =>
      this.run('remove_broker', p, task, {
        brokersToRemove: brokerIds,
        destinationBrokerIds: p.destination_broker_ids,
        throttle: p.throttle_removed_broker,
      }),
    );
  }

  /**
   * Moves the replicas Kafka reports offline (dead brokers, failed log dirs) to healthy brokers.
   * Only the hard goals run unless `goals` names others: a repair moves as little as it can.
   */
  @Post('fix_offline_replicas')
  async fixOfflineReplicas(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('POST /kafkacruisecontrol/fix_offline_replicas', FIX_OFFLINE_REPLICAS_PARAMS, query);
    if (this.held('fix_offline_replicas', p.json, request, response)) return;
    return this.userTasks.respond('fix_offline_replicas', p.json, request, response, (task) =>
      this.run('fix_offline_replicas', { ...p, kafka_assigner: false }, task, {
        defaultGoals: 'hard',
        throttle: true,
      }),
    );
  }

  /** Empties the named log dirs into the other dirs of their brokers (Cruise Control's remove_disks). */
  @Post('remove_disks')
  async removeDisks(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const endpoint = 'POST /kafkacruisecontrol/remove_disks';
    const p = parseQuery(endpoint, REMOVE_DISKS_PARAMS, query);
    const disksToRemove = parseBrokerLogDirs(p.brokerid_and_logdirs);
    // Every other parameter at Cruise Control's default.
    if (this.held('remove_disks', p.json, request, response)) return;
    return this.userTasks.respond('remove_disks', p.json, request, response, (task) =>
      this.run('remove_disks', { ...parseQuery(endpoint, COMMON_PARAMS, {}), ...p }, task, {
        disksToRemove,
        defaultGoals: 'none',
        throttle: true,
      }),
    );
  }

  /**
   * Moves leadership off the named brokers and puts them last in every replica list (Cruise
   * Control's demote_broker): leader moves only, no data is copied.
   */
  @Post('demote_broker')
  async demoteBroker(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const endpoint = 'POST /kafkacruisecontrol/demote_broker';
    const p = parseQuery(endpoint, DEMOTE_BROKER_PARAMS, query);
    if (p.brokerid_and_logdirs !== undefined) {
      throw new InvalidParameterError(
        'brokerid_and_logdirs',
        "Parameter 'brokerid_and_logdirs' (demoting single disks) is not supported by this version of Ballast: demote the broker, or use remove_disks",
      );
    }
    const brokerIds = requireBrokers(p.brokerid);
    if (this.held('demote_broker', p.json, request, response)) return;
    return this.userTasks.respond('demote_broker', p.json, request, response, (task) =>
      this.run('demote_broker', { ...parseQuery(endpoint, COMMON_PARAMS, {}), ...p }, task, {
        throttle: false,
        propose: () =>
          this.analyzer.demotion({
            brokerIds,
            skipUrpDemotion: p.skip_urp_demotion,
            excludeFollowerDemotion: p.exclude_follower_demotion,
            allowCapacityEstimation: p.allow_capacity_estimation,
          }),
      }),
    );
  }

  /** Changes the replication factor of the matching topics (Cruise Control's topic_configuration). */
  @Post('topic_configuration')
  async topicConfiguration(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const p = parseQuery('POST /kafkacruisecontrol/topic_configuration', TOPIC_CONFIGURATION_PARAMS, query);
    if (p.topic === undefined || p.topic.trim() === '') {
      throw new InvalidParameterError('topic', "Parameter 'topic' is required: a regular expression of topic names");
    }
    if (p.replication_factor === undefined) {
      throw new InvalidParameterError('replication_factor', "Parameter 'replication_factor' is required");
    }
    if (p.goals !== undefined) {
      throw new InvalidParameterError(
        'goals',
        "Parameter 'goals' is not supported by topic_configuration: new replicas go rack-aware onto the brokers with the most free disk",
      );
    }
    // Whole names, as Cruise Control matches; excluded topics are cut out of the same pattern.
    topicPattern(p.topic, 'topic');
    topicPattern(p.excluded_topics, 'excluded_topics');
    const pattern = combinedTopicPattern(p.topic, p.excluded_topics);
    const replicationFactor = p.replication_factor;
    if (this.held('topic_configuration', p.json, request, response)) return;
    return this.userTasks.respond('topic_configuration', p.json, request, response, (task) =>
      this.run('topic_configuration', { ...p, kafka_assigner: false }, task, {
        throttle: true,
        propose: () =>
          this.analyzer.replicationFactor({
            topicPattern: pattern,
            replicationFactor,
            allowCapacityEstimation: p.allow_capacity_estimation,
            skipRackAwarenessCheck: p.skip_rack_awareness_check,
          }),
      }),
    );
  }

  /** Proposes, and unless `dryrun`, executes: the one path of every proposal-executing POST. */
  private async run(
    operation: string,
    p: CommonParams,
    task: UserTaskProgress,
    extra: {
      destinationBrokerIds?: number[];
      brokersToRemove?: number[];
      rebalanceDisk?: boolean;
      ignoreProposalCache?: boolean;
      intraBrokerMovements?: number;
      defaultGoals?: 'all' | 'hard' | 'none';
      disksToRemove?: { brokerId: number; logDir: string }[];
      /** Builds the proposal when the operation is not an optimization (demotion, replication factor). */
      propose?: () => Proposal | Promise<Proposal>;
      /** False when the request turned the throttle off for this operation. */
      throttle: boolean;
    },
  ): Promise<OptimizationResultJson | string> {
    // review_id never gets here over HTTP: ReviewInterceptor turns a submit into the reviewed request.
    for (const name of ['kafka_assigner', 'review_id'] as const) {
      if (p[name] !== undefined && p[name] !== false) {
        throw new InvalidParameterError(name, `Parameter '${name}' is not supported here`);
      }
    }
    if (p.data_from === 'VALID_PARTITIONS') {
      throw new InvalidParameterError('data_from', "Parameter 'data_from' supports only VALID_WINDOWS so far");
    }
    const strategies = (p.replica_movement_strategies ?? []).filter(isReplicaMovementStrategy);
    const excludedTopics = topicPattern(p.excluded_topics, 'excluded_topics');
    await this.analyzer.refreshClusterView();
    task.step('OPTIMIZING', 'Computing the proposal from the current workload model.');
    const proposal = await (extra.propose?.() ??
      this.analyzer.proposals({
        goals: p.goals
          ?.split(',')
          .map((g) => g.trim())
          .filter((g) => g.length > 0),
        rebalanceDisk: extra.rebalanceDisk ?? false,
        excludedTopics,
        destinationBrokerIds: extra.destinationBrokerIds,
        brokersToRemove: extra.brokersToRemove,
        defaultGoals: extra.defaultGoals,
        disksToRemove: extra.disksToRemove,
        allowCapacityEstimation: p.allow_capacity_estimation,
        // An execution starts from a fresh proposal; a dry run may use the cached one.
        ignoreProposalCache: (extra.ignoreProposalCache ?? false) || !p.dryrun,
        skipHardGoalCheck: p.skip_hard_goal_check,
      }));
    const json = optimizationResult(proposal, {
      verbose: p.verbose,
      excludedTopics: excludedTopics
        ? proposal.before.model.tables.topicNames.filter((t) => excludedTopics.test(t))
        : [],
      replicationThrottle: p.replication_throttle,
    });
    if (!p.dryrun) {
      task.step('STARTING_EXECUTION', 'Starting the execution of the proposal.');
      task.inExecution();
      if (p.stop_ongoing_execution) await this.stopAndWait(p.reason ?? 'stop_ongoing_execution=true');
      await this.executor.executeProposal({
        operation,
        reason: p.reason ?? operation,
        proposal,
        overrides: {
          partitionMovementsPerBroker: p.concurrent_partition_movements_per_broker,
          partitionMovementsInCluster: p.max_partition_movements_in_cluster,
          intraBrokerMovementsPerBroker: extra.intraBrokerMovements,
          leaderMovements: p.concurrent_leader_movements,
          strategies,
          replicationThrottleBytesPerSecond: p.replication_throttle,
          throttle: extra.throttle,
        },
      });
    }
    return p.json ? json : optimizationResultText(json);
  }

  @Post('stop_proposal_execution')
  @HttpCode(200)
  async stop(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ version: 1; message: string } | ReviewResultJson | string> {
    const p = parseQuery('POST /kafkacruisecontrol/stop_proposal_execution', STOP_PARAMS, query);
    const review = this.reviews.hold('stop_proposal_execution', request, response, p.json);
    if (review !== undefined) return review;
    const record = await this.executor.stop(p.reason ?? 'stop_proposal_execution');
    const message =
      record === null
        ? 'No proposal execution in progress.'
        : `Proposal execution ${record.id} is stopping: pending moves dropped, moves in flight cancelled where all original replicas are alive, throttles removed.`;
    if (p.json) return { version: 1, message };
    response.type('text/plain');
    return `${message}\n`;
  }

  private async stopAndWait(reason: string): Promise<void> {
    if ((await this.executor.stop(reason)) === null) return;
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Date.now() < deadline) {
      const status = this.executor.lastKnown()?.status;
      if (status !== 'IN_PROGRESS' && status !== 'STOPPING') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Still stopping: starting now is refused with ExecutionInProgressError, which says what to do.
  }
}
