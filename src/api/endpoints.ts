// Every Cruise Control endpoint Ballast answers and its facts, in one table: method, parameters
// (the very table its controller validates with), the ones it requires, whether it answers through
// a user task and whether two-step verification holds it for review, and its documentation. The
// controllers, the OpenAPI document, the user tasks and the review board all read it.
// test/unit/api/openapi-sync.test.ts checks each controller hands this table to parseQuery.
import { CRUISE_CONTROL_ENDPOINTS, type CruiseControlEndpoint } from './endpoint-names.js';
import {
  ADD_BROKER_PARAMS,
  ADMIN_PARAMS,
  BOOTSTRAP_PARAMS,
  DEMOTE_BROKER_PARAMS,
  FIX_OFFLINE_REPLICAS_PARAMS,
  KAFKA_CLUSTER_STATE_PARAMS,
  LOAD_PARAMS,
  PARTITION_LOAD_PARAMS,
  PERMISSIONS_PARAMS,
  PROPOSALS_PARAMS,
  REBALANCE_PARAMS,
  REMOVE_BROKER_PARAMS,
  REMOVE_DISKS_PARAMS,
  REVIEW_BOARD_PARAMS,
  REVIEW_PARAMS,
  RIGHTSIZE_PARAMS,
  SAMPLING_PARAMS,
  STATE_PARAMS,
  STOP_PARAMS,
  TOPIC_CONFIGURATION_PARAMS,
  TRAIN_PARAMS,
  USER_TASKS_PARAMS,
} from './endpoint-params.js';
import type { ParamSpec } from './query-params.js';

export { CRUISE_CONTROL_ENDPOINTS, type CruiseControlEndpoint };

export interface EndpointFacts {
  /** Answered through a user task (202 + User-Task-ID when slow), as Cruise Control does. */
  async: boolean;
  /** Held for review while two-step verification is on (every POST but `review`). */
  reviewed: boolean;
  method: 'GET' | 'POST';
  summary: string;
  /** The controller's own table: what parseQuery accepts. */
  params: Readonly<Record<string, ParamSpec>>;
  /** Parameters the controller refuses to go without (it answers 400 naming them). */
  required?: readonly string[];
  /** Texts that differ from PARAMETER_DESCRIPTIONS on this endpoint. */
  descriptions?: Readonly<Record<string, string>>;
  /** The name of Cruise Control's schema for the json=true answer (its spec's responses/ folder). */
  responseSchema: string;
}

const WINDOW = {
  start: 'Earliest window to use, epoch ms (-1 or absent: from the oldest window).',
  end: 'Latest window to use, epoch ms; now when absent.',
};

/** Every endpoint's facts by name, each seen as the common shape. */
export type EndpointTable = Readonly<Record<CruiseControlEndpoint, EndpointFacts>>;

export const ENDPOINTS = {
  bootstrap: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: 'Bootstrap the load monitor. Ballast has no bootstrap mode and answers that nothing was done.',
    params: BOOTSTRAP_PARAMS,
    responseSchema: 'BootstrapResult',
  },
  train: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: 'Train the CPU regression model. Ballast has no such model and answers that nothing was done.',
    params: TRAIN_PARAMS,
    responseSchema: 'TrainResult',
  },
  load: {
    async: true,
    reviewed: false,
    method: 'GET',
    summary: 'Load and capacity per broker and host, from the workload model.',
    params: LOAD_PARAMS,
    descriptions: WINDOW,
    responseSchema: 'BrokerStats',
  },
  partition_load: {
    async: true,
    reviewed: false,
    method: 'GET',
    summary: 'Load per partition, busiest first.',
    params: PARTITION_LOAD_PARAMS,
    descriptions: { ...WINDOW, brokerid: 'Comma-separated broker ids: only partitions with a replica on them.' },
    responseSchema: 'PartitionLoadState',
  },
  proposals: {
    async: true,
    reviewed: false,
    method: 'GET',
    summary: 'The proposal for the configured goals (a dry run), with the N-1 failure budget check.',
    params: PROPOSALS_PARAMS,
    descriptions: {
      replication_throttle: "Ballast's addition: estimate the execution time at this rate, bytes per second.",
    },
    responseSchema: 'OptimizationResult',
  },
  state: {
    async: true,
    reviewed: false,
    method: 'GET',
    summary: 'The state of the load monitor, executor, analyzer and anomaly detector.',
    params: STATE_PARAMS,
    responseSchema: 'CruiseControlState',
  },
  kafka_cluster_state: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: 'The cluster as Kafka reports it: brokers, log dirs, and partitions that are not healthy.',
    params: KAFKA_CLUSTER_STATE_PARAMS,
    responseSchema: 'KafkaClusterState',
  },
  user_tasks: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: 'The async requests (user tasks) Ballast keeps, with their status.',
    params: USER_TASKS_PARAMS,
    descriptions: { entries: 'Return at most this many tasks.' },
    responseSchema: 'UserTaskState',
  },
  review_board: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: 'Requests held for review (two-step verification).',
    params: REVIEW_BOARD_PARAMS,
    responseSchema: 'ReviewResult',
  },
  permissions: {
    async: false,
    reviewed: false,
    method: 'GET',
    summary: "The caller's roles.",
    params: PERMISSIONS_PARAMS,
    responseSchema: 'UserPermissions',
  },
  add_broker: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Move replicas onto new brokers (dry run unless dryrun=false).',
    params: ADD_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to fill.' },
    responseSchema: 'OptimizationResult',
  },
  remove_broker: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Move every replica off brokers before they are decommissioned (dry run unless dryrun=false).',
    params: REMOVE_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to empty.' },
    responseSchema: 'OptimizationResult',
  },
  fix_offline_replicas: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Move offline replicas onto healthy brokers and disks (dry run unless dryrun=false).',
    params: FIX_OFFLINE_REPLICAS_PARAMS,
    responseSchema: 'OptimizationResult',
  },
  rebalance: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Rebalance the cluster for the goals (dry run unless dryrun=false).',
    params: REBALANCE_PARAMS,
    responseSchema: 'OptimizationResult',
  },
  stop_proposal_execution: {
    async: false,
    reviewed: true,
    method: 'POST',
    summary: 'Stop the running execution: pending moves dropped, moves in flight cancelled where safe.',
    params: STOP_PARAMS,
    responseSchema: 'StopProposalResult',
  },
  pause_sampling: {
    async: false,
    reviewed: true,
    method: 'POST',
    summary: 'Pause metric sampling.',
    params: SAMPLING_PARAMS,
    responseSchema: 'PauseSamplingResult',
  },
  resume_sampling: {
    async: false,
    reviewed: true,
    method: 'POST',
    summary: 'Resume metric sampling.',
    params: SAMPLING_PARAMS,
    responseSchema: 'ResumeSamplingResult',
  },
  demote_broker: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Move leadership off brokers and make them the last choice for leadership (dry run unless dryrun=false).',
    params: DEMOTE_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to demote.' },
    responseSchema: 'OptimizationResult',
  },
  admin: {
    async: false,
    reviewed: true,
    method: 'POST',
    summary: 'Change settings at run time: self-healing per anomaly type.',
    params: ADMIN_PARAMS,
    descriptions: {
      concurrent_partition_movements_per_broker: 'Refused: give it to the request that starts the execution.',
      max_partition_movements_in_cluster: 'Refused: give it to the request that starts the execution.',
      concurrent_intra_broker_partition_movements: 'Refused: give it to the request that starts the execution.',
      concurrent_leader_movements: 'Refused: give it to the request that starts the execution.',
      broker_concurrent_leader_movements: 'Refused: give it to the request that starts the execution.',
      execution_progress_check_interval_ms: 'Refused: set executor.stepIntervalMs.',
    },
    responseSchema: 'AdminResult',
  },
  review: {
    async: false,
    reviewed: false,
    method: 'POST',
    summary: 'Approve or discard requests held for review (two-step verification).',
    params: REVIEW_PARAMS,
    responseSchema: 'ReviewResult',
  },
  topic_configuration: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Change the replication factor of the matching topics (dry run unless dryrun=false).',
    params: TOPIC_CONFIGURATION_PARAMS,
    required: ['topic', 'replication_factor'],
    responseSchema: 'OptimizationResult',
  },
  rightsize: {
    async: false,
    reviewed: true,
    method: 'POST',
    summary: 'Ask a provisioner for brokers or partitions. Ballast has none and says so.',
    params: RIGHTSIZE_PARAMS,
    descriptions: { topic: 'Regular expression of the topics partition_count applies to.' },
    responseSchema: 'RightsizeResult',
  },
  remove_disks: {
    async: true,
    reviewed: true,
    method: 'POST',
    summary: 'Empty log dirs into the other log dirs of their brokers (dry run unless dryrun=false).',
    params: REMOVE_DISKS_PARAMS,
    required: ['brokerid_and_logdirs'],
    responseSchema: 'OptimizationResult',
  },
} as const satisfies EndpointTable;

/** The endpoints two-step verification holds for review. */
export const REVIEWED_ENDPOINTS: readonly CruiseControlEndpoint[] = CRUISE_CONTROL_ENDPOINTS.filter(
  (e) => ENDPOINTS[e].reviewed,
);
