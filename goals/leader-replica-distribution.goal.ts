// LeaderReplicaDistributionGoal: leader counts within leader.replica.count.balance.threshold (1.10) of the mean, by leadership moves only. Soft.
import { countDistributionGoal } from './support/count-goal.js';

export const leaderReplicaDistributionGoal = countDistributionGoal(
  'LeaderReplicaDistributionGoal',
  'leaders',
  (t) => t.leaderReplicaCountBalanceThreshold,
);
