// Cruise Control's endpoint names: the spec's paths under /kafkacruisecontrol/, in its order.
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
