// Issue 5's model tiers, shared by the optimizer benches: generated models with the `hot-broker`
// skew (broker 0 holds and leads most partitions), RF 3, and capacities with room for the load, so
// the benches measure balancing, not infeasibility.
import { DEFAULT_THRESHOLDS, type GoalThresholds } from '../goals/index.js';
import { generateSyntheticModel, type ClusterModel } from '../src/model/index.js';

export const TIERS: Record<string, { brokers: number; replicas: number }> = {
  S: { brokers: 10, replicas: 10_000 },
  M: { brokers: 100, replicas: 300_000 },
  L: { brokers: 215, replicas: 2_800_000 },
  /** A mid-size model for profiling. */
  P: { brokers: 50, replicas: 60_000 },
};
export const RF = 3;

export function tierModel(tier: string): ClusterModel {
  const { brokers, replicas } = TIERS[tier]!;
  return generateSyntheticModel({
    seed: 42,
    brokers,
    racks: Math.min(5, brokers),
    partitions: Math.round(replicas / RF),
    topics: Math.max(10, Math.round(replicas / 3000)),
    skew: 'hot-broker',
    cpuCapacity: 1e6,
    diskCapacityMb: 1e12,
    nwCapacityKBps: 1e12,
  });
}

/**
 * L averages 13,000 replicas a broker, over max.replicas.per.broker's default 10,000: no placement
 * meets ReplicaCapacityGoal there, so the limit is raised to 1.2 × the mean where it would bind.
 */
export function tierThresholds(tier: string): GoalThresholds {
  const { brokers, replicas } = TIERS[tier]!;
  return {
    ...DEFAULT_THRESHOLDS,
    maxReplicasPerBroker: Math.max(DEFAULT_THRESHOLDS.maxReplicasPerBroker, Math.ceil((1.2 * replicas) / brokers)),
  };
}
