// Every Cruise Control endpoint Ballast answers, with the very parameter table its controller
// validates with (imported, never copied), so the OpenAPI document cannot drift from what is
// accepted. test/unit/api/openapi-sync.test.ts checks each controller hands this table to
// parseQuery and that the routes' methods match.
import { ADMIN_PARAMS } from '../admin.controller.js';
import { ASYNC_ENDPOINTS, CRUISE_CONTROL_ENDPOINTS, type CruiseControlEndpoint } from '../endpoints.js';
import {
  ADD_BROKER_PARAMS,
  DEMOTE_BROKER_PARAMS,
  FIX_OFFLINE_REPLICAS_PARAMS,
  REBALANCE_PARAMS,
  REMOVE_BROKER_PARAMS,
  REMOVE_DISKS_PARAMS,
  STOP_PARAMS,
  TOPIC_CONFIGURATION_PARAMS,
} from '../execution.controller.js';
import { KAFKA_CLUSTER_STATE_PARAMS } from '../kafka-cluster-state.controller.js';
import { BOOTSTRAP_PARAMS, TRAIN_PARAMS } from '../load-model.controller.js';
import { LOAD_PARAMS, PARTITION_LOAD_PARAMS } from '../load.controller.js';
import { PERMISSIONS_PARAMS } from '../permissions.controller.js';
import { PROPOSALS_PARAMS } from '../proposals.controller.js';
import type { ParamSpec } from '../query-params.js';
import { REVIEW_BOARD_PARAMS, REVIEW_PARAMS } from '../review.controller.js';
import { RIGHTSIZE_PARAMS } from '../rightsize.controller.js';
import { SAMPLING_PARAMS } from '../sampling.controller.js';
import { STATE_PARAMS } from '../state.controller.js';
import { USER_TASKS_PARAMS } from '../user-tasks/user-tasks.controller.js';

export interface EndpointDoc {
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

export const ENDPOINT_DOCS: Readonly<Record<CruiseControlEndpoint, EndpointDoc>> = {
  bootstrap: {
    method: 'GET',
    summary: 'Bootstrap the load monitor. Ballast has no bootstrap mode and answers that nothing was done.',
    params: BOOTSTRAP_PARAMS,
    responseSchema: 'BootstrapResult',
  },
  train: {
    method: 'GET',
    summary: 'Train the CPU regression model. Ballast has no such model and answers that nothing was done.',
    params: TRAIN_PARAMS,
    responseSchema: 'TrainResult',
  },
  load: {
    method: 'GET',
    summary: 'Load and capacity per broker and host, from the workload model.',
    params: LOAD_PARAMS,
    descriptions: WINDOW,
    responseSchema: 'BrokerStats',
  },
  partition_load: {
    method: 'GET',
    summary: 'Load per partition, busiest first.',
    params: PARTITION_LOAD_PARAMS,
    descriptions: { ...WINDOW, brokerid: 'Comma-separated broker ids: only partitions with a replica on them.' },
    responseSchema: 'PartitionLoadState',
  },
  proposals: {
    method: 'GET',
    summary: 'The proposal for the configured goals (a dry run), with the N-1 failure budget check.',
    params: PROPOSALS_PARAMS,
    descriptions: {
      replication_throttle: "Ballast's addition: estimate the execution time at this rate, bytes per second.",
    },
    responseSchema: 'OptimizationResult',
  },
  state: {
    method: 'GET',
    summary: 'The state of the load monitor, executor, analyzer and anomaly detector.',
    params: STATE_PARAMS,
    responseSchema: 'CruiseControlState',
  },
  kafka_cluster_state: {
    method: 'GET',
    summary: 'The cluster as Kafka reports it: brokers, log dirs, and partitions that are not healthy.',
    params: KAFKA_CLUSTER_STATE_PARAMS,
    responseSchema: 'KafkaClusterState',
  },
  user_tasks: {
    method: 'GET',
    summary: 'The async requests (user tasks) Ballast keeps, with their status.',
    params: USER_TASKS_PARAMS,
    descriptions: { entries: 'Return at most this many tasks.' },
    responseSchema: 'UserTaskState',
  },
  review_board: {
    method: 'GET',
    summary: 'Requests held for review (two-step verification).',
    params: REVIEW_BOARD_PARAMS,
    responseSchema: 'ReviewResult',
  },
  permissions: {
    method: 'GET',
    summary: "The caller's roles.",
    params: PERMISSIONS_PARAMS,
    responseSchema: 'UserPermissions',
  },
  add_broker: {
    method: 'POST',
    summary: 'Move replicas onto new brokers (dry run unless dryrun=false).',
    params: ADD_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to fill.' },
    responseSchema: 'OptimizationResult',
  },
  remove_broker: {
    method: 'POST',
    summary: 'Move every replica off brokers before they are decommissioned (dry run unless dryrun=false).',
    params: REMOVE_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to empty.' },
    responseSchema: 'OptimizationResult',
  },
  fix_offline_replicas: {
    method: 'POST',
    summary: 'Move offline replicas onto healthy brokers and disks (dry run unless dryrun=false).',
    params: FIX_OFFLINE_REPLICAS_PARAMS,
    responseSchema: 'OptimizationResult',
  },
  rebalance: {
    method: 'POST',
    summary: 'Rebalance the cluster for the goals (dry run unless dryrun=false).',
    params: REBALANCE_PARAMS,
    responseSchema: 'OptimizationResult',
  },
  stop_proposal_execution: {
    method: 'POST',
    summary: 'Stop the running execution: pending moves dropped, moves in flight cancelled where safe.',
    params: STOP_PARAMS,
    responseSchema: 'StopProposalResult',
  },
  pause_sampling: {
    method: 'POST',
    summary: 'Pause metric sampling.',
    params: SAMPLING_PARAMS,
    responseSchema: 'PauseSamplingResult',
  },
  resume_sampling: {
    method: 'POST',
    summary: 'Resume metric sampling.',
    params: SAMPLING_PARAMS,
    responseSchema: 'ResumeSamplingResult',
  },
  demote_broker: {
    method: 'POST',
    summary: 'Move leadership off brokers and make them the last choice for leadership (dry run unless dryrun=false).',
    params: DEMOTE_BROKER_PARAMS,
    required: ['brokerid'],
    descriptions: { brokerid: 'Comma-separated ids of the brokers to demote.' },
    responseSchema: 'OptimizationResult',
  },
  admin: {
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
    method: 'POST',
    summary: 'Approve or discard requests held for review (two-step verification).',
    params: REVIEW_PARAMS,
    responseSchema: 'ReviewResult',
  },
  topic_configuration: {
    method: 'POST',
    summary: 'Change the replication factor of the matching topics (dry run unless dryrun=false).',
    params: TOPIC_CONFIGURATION_PARAMS,
    required: ['topic', 'replication_factor'],
    responseSchema: 'OptimizationResult',
  },
  rightsize: {
    method: 'POST',
    summary: 'Ask a provisioner for brokers or partitions. Ballast has none and says so.',
    params: RIGHTSIZE_PARAMS,
    descriptions: { topic: 'Regular expression of the topics partition_count applies to.' },
    responseSchema: 'RightsizeResult',
  },
  remove_disks: {
    method: 'POST',
    summary: 'Empty log dirs into the other log dirs of their brokers (dry run unless dryrun=false).',
    params: REMOVE_DISKS_PARAMS,
    required: ['brokerid_and_logdirs'],
    responseSchema: 'OptimizationResult',
  },
};

/** The endpoints in the spec's order, each with its documentation. */
export function endpointDocs(): { name: CruiseControlEndpoint; doc: EndpointDoc; async: boolean }[] {
  return CRUISE_CONTROL_ENDPOINTS.map((name) => ({
    name,
    doc: ENDPOINT_DOCS[name],
    async: ASYNC_ENDPOINTS.includes(name),
  }));
}
