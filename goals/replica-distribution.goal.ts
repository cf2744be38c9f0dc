// ReplicaDistributionGoal: replica counts within replica.count.balance.threshold (1.10) of the mean. Soft.
import { countDistributionGoal } from './support/count-goal.js';

export const replicaDistributionGoal = countDistributionGoal(
  'ReplicaDistributionGoal',
  'replicas',
  (t) => t.replicaCountBalanceThreshold,
);
