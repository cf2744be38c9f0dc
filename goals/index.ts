// Ballast's goals by Cruise Control name, in Cruise Control's default priority order (default.goals),
// and the contract a goal implements. One goal per file; families share goals/support/.
import { brokerSetAwareGoal } from './broker-set-aware.goal.js';
import { cpuCapacityGoal } from './cpu-capacity.goal.js';
import { cpuUsageDistributionGoal } from './cpu-usage-distribution.goal.js';
import { diskCapacityGoal } from './disk-capacity.goal.js';
import { diskUsageDistributionGoal } from './disk-usage-distribution.goal.js';
import { failureBudgetGoal } from './failure-budget.goal.js';
import { intraBrokerDiskCapacityGoal } from './intra-broker-disk-capacity.goal.js';
import { intraBrokerDiskUsageDistributionGoal } from './intra-broker-disk-usage-distribution.goal.js';
import { leaderBytesInDistributionGoal } from './leader-bytes-in-distribution.goal.js';
import { leaderReplicaDistributionGoal } from './leader-replica-distribution.goal.js';
import { minTopicLeadersPerBrokerGoal } from './min-topic-leaders-per-broker.goal.js';
import { networkInboundCapacityGoal } from './network-inbound-capacity.goal.js';
import { networkInboundUsageDistributionGoal } from './network-inbound-usage-distribution.goal.js';
import { networkOutboundCapacityGoal } from './network-outbound-capacity.goal.js';
import { networkOutboundUsageDistributionGoal } from './network-outbound-usage-distribution.goal.js';
import { potentialNwOutGoal } from './potential-nw-out.goal.js';
import { preferredLeaderElectionGoal } from './preferred-leader-election.goal.js';
import { rackAwareDistributionGoal } from './rack-aware-distribution.goal.js';
import { rackAwareGoal } from './rack-aware.goal.js';
import { replicaCapacityGoal } from './replica-capacity.goal.js';
import { replicaDistributionGoal } from './replica-distribution.goal.js';
import { topicReplicaDistributionGoal } from './topic-replica-distribution.goal.js';
import type { Goal } from './support/goal.js';
export { FAILOVER_RESOURCES, FailoverLedger, liveReplicas, minInsyncOf } from './support/failover-ledger.js';
// The move a pre-goal step builds to re-home a replica (the analyzer's drain).
export { replicaMove } from './support/model-queries.js';

export {
  DEFAULT_THRESHOLDS,
  type Goal,
  type GoalContext,
  type GoalState,
  type GoalStatus,
  type GoalThresholds,
  type Move,
} from './support/goal.js';

/**
 * The default chain: Cruise Control's 16 default goals in its order (default.goals; the hard ones
 * are its hard.goals), Ballast's FailureBudgetGoal after the capacity goals it builds on, and
 * PreferredLeaderElectionGoal last. `analyzer.goals` replaces it.
 */
export const DEFAULT_GOALS: readonly Goal[] = [
  rackAwareGoal,
  minTopicLeadersPerBrokerGoal,
  replicaCapacityGoal,
  diskCapacityGoal,
  networkInboundCapacityGoal,
  networkOutboundCapacityGoal,
  cpuCapacityGoal,
  // Ballast's N-1 check, hard: after the capacity goals it protects, before any balancing goal.
  failureBudgetGoal,
  replicaDistributionGoal,
  potentialNwOutGoal,
  diskUsageDistributionGoal,
  networkInboundUsageDistributionGoal,
  networkOutboundUsageDistributionGoal,
  cpuUsageDistributionGoal,
  topicReplicaDistributionGoal,
  leaderReplicaDistributionGoal,
  leaderBytesInDistributionGoal,
  preferredLeaderElectionGoal,
];

/** Goals Cruise Control runs only for `rebalance_disk=true` (moves between the disks of a broker). */
export const INTRA_BROKER_GOALS: readonly Goal[] = [intraBrokerDiskCapacityGoal, intraBrokerDiskUsageDistributionGoal];

/**
 * Goals a request or the configuration may name that are not in the default chain, as in Cruise
 * Control: RackAwareDistributionGoal (instead of RackAwareGoal when RF exceeds the racks) and
 * BrokerSetAwareGoal (needs analyzer.brokerSetsFile).
 */
export const OPTIONAL_GOALS: readonly Goal[] = [rackAwareDistributionGoal, brokerSetAwareGoal];

/** Every known goal by its Cruise Control name. */
export const GOALS_BY_NAME: ReadonlyMap<string, Goal> = new Map(
  [...DEFAULT_GOALS, ...OPTIONAL_GOALS, ...INTRA_BROKER_GOALS].map((g) => [g.name, g]),
);
