// Ballast's goals by Cruise Control name, in Cruise Control's default priority order (default.goals),
// and the contract a goal implements. One goal per file; families share goals/support/.
import { cpuCapacityGoal } from './cpu-capacity.goal.js';
import { cpuUsageDistributionGoal } from './cpu-usage-distribution.goal.js';
import { diskCapacityGoal } from './disk-capacity.goal.js';
import { diskUsageDistributionGoal } from './disk-usage-distribution.goal.js';
import { leaderReplicaDistributionGoal } from './leader-replica-distribution.goal.js';
import { networkInboundCapacityGoal } from './network-inbound-capacity.goal.js';
import { networkInboundUsageDistributionGoal } from './network-inbound-usage-distribution.goal.js';
import { networkOutboundCapacityGoal } from './network-outbound-capacity.goal.js';
import { networkOutboundUsageDistributionGoal } from './network-outbound-usage-distribution.goal.js';
import { rackAwareGoal } from './rack-aware.goal.js';
import { replicaCapacityGoal } from './replica-capacity.goal.js';
import { replicaDistributionGoal } from './replica-distribution.goal.js';
import type { Goal } from './support/goal.js';

export {
  DEFAULT_THRESHOLDS,
  type Goal,
  type GoalContext,
  type GoalStatus,
  type GoalThresholds,
  type Move,
} from './support/goal.js';

/**
 * The goals built so far, in Cruise Control's default order. Not built yet (so absent here):
 * RackAwareDistributionGoal, BrokerSetAwareGoal, MinTopicLeadersPerBrokerGoal, PotentialNwOutGoal,
 * TopicReplicaDistributionGoal, LeaderBytesInDistributionGoal, PreferredLeaderElectionGoal, the
 * intra-broker goals and FailureBudgetGoal.
 */
export const DEFAULT_GOALS: readonly Goal[] = [
  rackAwareGoal,
  replicaCapacityGoal,
  diskCapacityGoal,
  networkInboundCapacityGoal,
  networkOutboundCapacityGoal,
  cpuCapacityGoal,
  replicaDistributionGoal,
  diskUsageDistributionGoal,
  networkInboundUsageDistributionGoal,
  networkOutboundUsageDistributionGoal,
  cpuUsageDistributionGoal,
  leaderReplicaDistributionGoal,
];

/** Every known goal by its Cruise Control name. */
export const GOALS_BY_NAME: ReadonlyMap<string, Goal> = new Map(DEFAULT_GOALS.map((g) => [g.name, g]));
