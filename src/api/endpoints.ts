// Cruise Control's endpoint names (the spec's paths under /kafkacruisecontrol/), and which of them
// run as async user tasks, as in Cruise Control.
export const CRUISE_CONTROL_ENDPOINTS = [
  'bootstrap',
  'train',
  'load',
  'partition_load',
  'proposals',
  'state',
  'kafka_cluster_state',
  'user_tasks',
  'review_board',
  'permissions',
  'add_broker',
  'remove_broker',
  'fix_offline_replicas',
  'rebalance',
  'stop_proposal_execution',
  'pause_sampling',
  'resume_sampling',
  'demote_broker',
  'admin',
  'review',
  'topic_configuration',
  'rightsize',
  'remove_disks',
] as const;

export type CruiseControlEndpoint = (typeof CRUISE_CONTROL_ENDPOINTS)[number];

/** The endpoints Cruise Control answers through user tasks (202 + User-Task-ID when slow). */
export const ASYNC_ENDPOINTS: readonly CruiseControlEndpoint[] = [
  'load',
  'partition_load',
  'proposals',
  'state',
  'add_broker',
  'remove_broker',
  'fix_offline_replicas',
  'rebalance',
  'demote_broker',
  'topic_configuration',
  'remove_disks',
];
