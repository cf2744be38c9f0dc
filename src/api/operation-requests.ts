// Each operation endpoint's query, validated and turned into the operation to run, how to run it
// and how to answer: Cruise Control's parameters on one side, Ballast's Operation on the other.
// Every check happens here, before a review is made or anything runs.
import { isReplicaMovementStrategy } from '../executor/index.js';
import type { BrokerLogDir, Operation, RunOptions } from '../operations/index.js';
import { InvalidParameterError } from './api.errors.js';
import { ENDPOINTS, type CruiseControlEndpoint } from './endpoints.js';
import { COMMON_OPERATION_PARAMS } from './endpoint-params.js';
import { parseBrokerLogDirs, parseQuery, topicPattern } from './query-params.js';

/** The endpoints that propose (and maybe execute) an operation. */
export type OperationEndpoint = Extract<
  CruiseControlEndpoint,
  | 'proposals'
  | 'rebalance'
  | 'add_broker'
  | 'remove_broker'
  | 'fix_offline_replicas'
  | 'remove_disks'
  | 'demote_broker'
  | 'topic_configuration'
>;

/** How the answer is shaped: Cruise Control's OptimizationResult, JSON or text. */
export interface AnswerOptions {
  json: boolean;
  verbose: boolean;
  replicationThrottle?: number;
  excludedTopics?: RegExp;
}

export interface OperationRequest {
  endpoint: OperationEndpoint;
  operation: Operation;
  run: RunOptions;
  answer: AnswerOptions;
}

type CommonParams = ReturnType<typeof parseQuery<typeof COMMON_OPERATION_PARAMS>>;

const route = (endpoint: CruiseControlEndpoint) => `${ENDPOINTS[endpoint].method} /kafkacruisecontrol/${endpoint}`;

/** GET /proposals: a rebalance, never executed. */
export function proposalsRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('proposals'), ENDPOINTS.proposals.params, query);
  if (p.kafka_assigner) {
    throw new InvalidParameterError(
      'kafka_assigner',
      "Parameter 'kafka_assigner' is not supported: Ballast has no Kafka-assigner mode",
    );
  }
  refuseValidPartitions(p.data_from);
  const excludedTopics = topicPattern(p.excluded_topics, 'excluded_topics');
  return {
    endpoint: 'proposals',
    operation: {
      kind: 'rebalance',
      goals: goalNames(p.goals),
      rebalanceDisk: p.rebalance_disk,
      excludedTopics,
      destinationBrokerIds: p.destination_broker_ids,
      allowCapacityEstimation: p.allow_capacity_estimation,
      ignoreProposalCache: p.ignore_proposal_cache,
      skipHardGoalCheck: false,
    },
    run: { dryrun: true, reason: p.reason ?? 'proposals' },
    answer: { json: p.json, verbose: p.verbose, replicationThrottle: p.replication_throttle, excludedTopics },
  };
}

export function rebalanceRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('rebalance'), ENDPOINTS.rebalance.params, query);
  return optimizing('rebalance', p, {
    operation: {
      kind: 'rebalance',
      rebalanceDisk: p.rebalance_disk,
      destinationBrokerIds: p.destination_broker_ids,
      ignoreProposalCache: p.ignore_proposal_cache,
    },
    intraBrokerMovements: p.concurrent_intra_broker_partition_movements,
    throttle: true,
  });
}

/** New brokers take replicas from the others; nothing moves between the old ones. */
export function addBrokerRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('add_broker'), ENDPOINTS.add_broker.params, query);
  return optimizing('add_broker', p, {
    operation: { kind: 'add_broker', brokerIds: requireBrokers(p.brokerid) },
    throttle: p.throttle_added_broker,
  });
}

/** Every replica leaves the named brokers, onto `destination_broker_ids` when given. */
export function removeBrokerRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('remove_broker'), ENDPOINTS.remove_broker.params, query);
  return optimizing('remove_broker', p, {
    operation: {
      kind: 'remove_broker',
      brokerIds: requireBrokers(p.brokerid),
      destinationBrokerIds: p.destination_broker_ids,
    },
    throttle: p.throttle_removed_broker,
  });
}

/** Only the hard goals run unless `goals` names others: a repair moves as little as it can. */
export function fixOfflineReplicasRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('fix_offline_replicas'), ENDPOINTS.fix_offline_replicas.params, query);
  return optimizing(
    'fix_offline_replicas',
    { ...p, kafka_assigner: false },
    { operation: { kind: 'fix_offline_replicas' }, throttle: true },
  );
}

/** Every other parameter at Cruise Control's default. */
export function removeDisksRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('remove_disks'), ENDPOINTS.remove_disks.params, query);
  const disks: BrokerLogDir[] = parseBrokerLogDirs(p.brokerid_and_logdirs);
  const common = { ...defaultCommonParams(), ...p };
  return executing(
    'remove_disks',
    common,
    {
      kind: 'remove_disks',
      disks,
      allowCapacityEstimation: common.allow_capacity_estimation,
      ignoreProposalCache: false,
    },
    { throttle: true },
  );
}

/** Leader moves only, no data is copied; the brokers go last in every replica list. */
export function demoteBrokerRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('demote_broker'), ENDPOINTS.demote_broker.params, query);
  if (p.brokerid_and_logdirs !== undefined) {
    throw new InvalidParameterError(
      'brokerid_and_logdirs',
      "Parameter 'brokerid_and_logdirs' (demoting single disks) is not supported by this version of Ballast: demote the broker, or use remove_disks",
    );
  }
  const brokerIds = requireBrokers(p.brokerid);
  return executing(
    'demote_broker',
    { ...defaultCommonParams(), ...p },
    {
      kind: 'demote_broker',
      brokerIds,
      skipUrpDemotion: p.skip_urp_demotion,
      excludeFollowerDemotion: p.exclude_follower_demotion,
      allowCapacityEstimation: p.allow_capacity_estimation,
    },
    { throttle: false },
  );
}

/** A new replication factor for the topics matching `topic` (whole names) but not `excluded_topics`. */
export function topicConfigurationRequest(query: Record<string, unknown>): OperationRequest {
  const p = parseQuery(route('topic_configuration'), ENDPOINTS.topic_configuration.params, query);
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
  return executing(
    'topic_configuration',
    { ...p, kafka_assigner: false },
    {
      kind: 'topic_configuration',
      topicPattern: combinedTopicPattern(p.topic, p.excluded_topics),
      replicationFactor: p.replication_factor,
      allowCapacityEstimation: p.allow_capacity_estimation,
      skipRackAwarenessCheck: p.skip_rack_awareness_check,
    },
    { throttle: true },
  );
}

/** The operations the goals run for. */
type OptimizingOperation = Extract<
  Operation,
  { kind: 'rebalance' | 'add_broker' | 'remove_broker' | 'fix_offline_replicas' }
>;
/** Fields every optimizing operation takes from the common parameters. */
type SharedField = 'goals' | 'excludedTopics' | 'allowCapacityEstimation' | 'skipHardGoalCheck' | 'ignoreProposalCache';
/** An optimizing operation's own fields (ignoreProposalCache false unless given), per kind. */
type OwnFields<O> = O extends OptimizingOperation ? Omit<O, SharedField> & { ignoreProposalCache?: boolean } : never;

/** An optimizing operation: the goals and data parameters every such POST shares, then {@link executing}. */
function optimizing(
  endpoint: OperationEndpoint,
  p: CommonParams,
  extra: { operation: OwnFields<OptimizingOperation>; intraBrokerMovements?: number; throttle: boolean },
): OperationRequest {
  const operation: Operation = {
    ignoreProposalCache: false,
    ...extra.operation,
    goals: goalNames(p.goals),
    excludedTopics: topicPattern(p.excluded_topics, 'excluded_topics'),
    allowCapacityEstimation: p.allow_capacity_estimation,
    skipHardGoalCheck: p.skip_hard_goal_check,
  };
  return executing(endpoint, p, operation, extra);
}

/** What every proposal-executing POST shares: dry run or not, the execution's limits and throttle. */
function executing(
  endpoint: OperationEndpoint,
  p: CommonParams,
  operation: Operation,
  extra: { intraBrokerMovements?: number; throttle: boolean },
): OperationRequest {
  // review_id never gets here over HTTP: ReviewInterceptor turns a submit into the reviewed request.
  for (const name of ['kafka_assigner', 'review_id'] as const) {
    if (p[name] !== undefined && p[name] !== false) {
      throw new InvalidParameterError(name, `Parameter '${name}' is not supported here`);
    }
  }
  refuseValidPartitions(p.data_from);
  const excludedTopics = topicPattern(p.excluded_topics, 'excluded_topics');
  return {
    endpoint,
    operation,
    run: {
      dryrun: p.dryrun,
      reason: p.reason ?? endpoint,
      stopOngoingExecution: p.stop_ongoing_execution,
      overrides: {
        concurrentPartitionMovementsPerBroker: p.concurrent_partition_movements_per_broker,
        maxPartitionMovementsInCluster: p.max_partition_movements_in_cluster,
        concurrentIntraBrokerPartitionMovements: extra.intraBrokerMovements,
        concurrentLeaderMovements: p.concurrent_leader_movements,
        strategies: (p.replica_movement_strategies ?? []).filter(isReplicaMovementStrategy),
        replicationThrottleBytesPerSecond: p.replication_throttle,
        throttle: extra.throttle,
      },
    },
    answer: { json: p.json, verbose: p.verbose, replicationThrottle: p.replication_throttle, excludedTopics },
  };
}

/** The common parameters at Cruise Control's defaults, for the endpoints that take only some of them. */
function defaultCommonParams(): CommonParams {
  return parseQuery(route('rebalance'), COMMON_OPERATION_PARAMS, {});
}

function refuseValidPartitions(dataFrom: string | undefined): void {
  if (dataFrom === 'VALID_PARTITIONS') {
    throw new InvalidParameterError('data_from', "Parameter 'data_from' supports only VALID_WINDOWS so far");
  }
}

function goalNames(goals: string | undefined): string[] | undefined {
  return goals
    ?.split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

/** The `brokerid` list add_broker, remove_broker and demote_broker require. */
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
