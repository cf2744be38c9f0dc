// Every Cruise Control endpoint's parameter table: what its handler accepts, with kinds, ranges and
// defaults. The endpoint table (endpoints.ts) holds them with the rest of each endpoint's facts;
// the controllers validate with them and the OpenAPI document is generated from them.
import { REPLICA_MOVEMENT_STRATEGIES } from '../executor/index.js';
import { CRUISE_CONTROL_ENDPOINTS } from './endpoint-names.js';
import { PARTITION_LOAD_RESOURCES } from './partition-load.js';
import type { UserTaskStatus } from './user-tasks/user-task.manager.js';

const EPOCH_MS = { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER } as const;
const REVIEW_IDS = { kind: 'integerList', min: 0, max: 2_147_483_647 } as const;
/** The answer-format parameters of the read-only endpoints. */
const ANSWER = {
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

/** GET /state's substates, in Cruise Control's order. */
export const SUBSTATES = ['executor', 'analyzer', 'monitor', 'anomaly_detector'] as const;

/** The spec's `types` values, and the status each names. */
export const USER_TASK_TYPES: Record<string, UserTaskStatus> = {
  active: 'Active',
  in_execution: 'InExecution',
  completed: 'Completed',
  completed_with_error: 'CompletedWithError',
};

export const LOAD_PARAMS = {
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  time: EPOCH_MS,
  allow_capacity_estimation: { kind: 'boolean', default: true },
  populate_disk_info: { kind: 'boolean', default: false },
  capacity_only: { kind: 'boolean', default: false },
  ...ANSWER,
} as const;

export const PARTITION_LOAD_PARAMS = {
  resource: { kind: 'enum', values: PARTITION_LOAD_RESOURCES },
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  entries: { kind: 'integer', min: 1, max: 2_147_483_647 },
  topic: { kind: 'string' },
  partition: { kind: 'string' },
  min_valid_partition_ratio: { kind: 'number', min: 0, max: 1 },
  allow_capacity_estimation: { kind: 'boolean', default: false },
  max_load: { kind: 'boolean', default: false },
  avg_load: { kind: 'boolean', default: false },
  brokerid: { kind: 'integerList', min: 0, max: 2_147_483_647 },
  ...ANSWER,
} as const;

export const BOOTSTRAP_PARAMS = {
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  clearmetrics: { kind: 'boolean', default: false },
  developer_mode: { kind: 'boolean', default: false },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const TRAIN_PARAMS = {
  start: { kind: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER },
  end: EPOCH_MS,
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const KAFKA_CLUSTER_STATE_PARAMS = {
  topic: { kind: 'string' },
  verbose: { kind: 'boolean', default: false },
  json: { kind: 'boolean', default: false },
  // Accepted for compatibility; Ballast does not send a schema header.
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

export const ADMIN_PARAMS = {
  enable_self_healing_for: { kind: 'string' },
  disable_self_healing_for: { kind: 'string' },
  concurrent_partition_movements_per_broker: { kind: 'string' },
  max_partition_movements_in_cluster: { kind: 'string' },
  concurrent_intra_broker_partition_movements: { kind: 'string' },
  concurrent_leader_movements: { kind: 'string' },
  broker_concurrent_leader_movements: { kind: 'string' },
  drop_recently_removed_brokers: { kind: 'string' },
  drop_recently_demoted_brokers: { kind: 'string' },
  execution_progress_check_interval_ms: { kind: 'string' },
  review_id: { kind: 'string' },
  disable_concurrency_adjuster_for: { kind: 'string' },
  enable_concurrency_adjuster_for: { kind: 'string' },
  min_isr_based_concurrency_adjustment: { kind: 'string' },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

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

export const SAMPLING_PARAMS = {
  reason: { kind: 'string' },
  review_id: { kind: 'integer', min: 0, max: 2_147_483_647 },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const PERMISSIONS_PARAMS = {
  json: { kind: 'boolean', default: false },
  reason: { kind: 'string' },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const STATE_PARAMS = {
  substates: { kind: 'enumList', values: SUBSTATES },
  json: { kind: 'boolean', default: false },
  verbose: { kind: 'boolean', default: false },
  super_verbose: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

export const RIGHTSIZE_PARAMS = {
  num_brokers_to_add: { kind: 'integer', min: 1, max: 2_147_483_647 },
  partition_count: { kind: 'integer', min: 1, max: 2_147_483_647 },
  topic: { kind: 'string' },
  doas: { kind: 'string' },
  get_response_schema: { kind: 'boolean', default: false },
  json: { kind: 'boolean', default: false },
  reason: { kind: 'string' },
} as const;

export const USER_TASKS_PARAMS = {
  client_ids: { kind: 'string' },
  endpoints: { kind: 'enumList', values: CRUISE_CONTROL_ENDPOINTS },
  entries: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  types: { kind: 'enumList', values: Object.keys(USER_TASK_TYPES) },
  user_task_ids: { kind: 'string' },
  json: { kind: 'boolean', default: false },
  fetch_completed_task: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

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

const INT = { kind: 'integer', min: 1, max: 2_147_483_647 } as const;

/** Parameters every proposal-executing POST takes (Cruise Control's). */
export const COMMON_OPERATION_PARAMS = {
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
  ...COMMON_OPERATION_PARAMS,
  concurrent_intra_broker_partition_movements: INT,
  ignore_proposal_cache: { kind: 'boolean', default: false },
  destination_broker_ids: BROKER_IDS,
  rebalance_disk: { kind: 'boolean', default: false },
} as const;

export const ADD_BROKER_PARAMS = {
  ...COMMON_OPERATION_PARAMS,
  brokerid: BROKER_IDS,
  throttle_added_broker: { kind: 'boolean', default: true },
} as const;

export const REMOVE_BROKER_PARAMS = {
  ...COMMON_OPERATION_PARAMS,
  brokerid: BROKER_IDS,
  throttle_removed_broker: { kind: 'boolean', default: true },
  destination_broker_ids: BROKER_IDS,
} as const;

// Cruise Control's fix_offline_replicas takes the common parameters but not kafka_assigner.
const { kafka_assigner: _notForFixOffline, ...fixOfflineReplicasParams } = COMMON_OPERATION_PARAMS;
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
  replica_movement_strategies: COMMON_OPERATION_PARAMS.replica_movement_strategies,
  brokerid_and_logdirs: { kind: 'string' },
  replication_throttle: COMMON_OPERATION_PARAMS.replication_throttle,
  reason: { kind: 'string' },
  execution_progress_check_interval_ms: INT,
  stop_ongoing_execution: { kind: 'boolean', default: false },
  review_id: COMMON_OPERATION_PARAMS.review_id,
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
} as const;

export const TOPIC_CONFIGURATION_PARAMS = {
  ...FIX_OFFLINE_REPLICAS_PARAMS,
  topic: { kind: 'string' },
  replication_factor: { kind: 'integer', min: 1, max: 32_767 },
  skip_rack_awareness_check: { kind: 'boolean', default: false },
} as const;

export const STOP_PARAMS = {
  force_stop: { kind: 'boolean', default: false },
  stop_external_agent: { kind: 'boolean', default: true },
  review_id: { kind: 'integer', min: 0, max: 2_147_483_647 },
  json: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;
