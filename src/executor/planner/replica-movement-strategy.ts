// Replica movement strategies (Cruise Control's `replica_movement_strategies`): orderings of the
// inter-broker tasks, chained so that a later strategy breaks the ties of an earlier one, with the
// base strategy (proposal order) always last.
import type { ExecutionTask } from './execution-task.js';

/** What the strategies know of a partition's health when the plan is ordered. */
export interface PartitionHealth {
  /** Replicas in the ISR. */
  inSyncReplicas: number;
  /** The topic's min.insync.replicas. */
  minInsyncReplicas: number;
  /** Replicas on a dead broker or a failed log dir. */
  offlineReplicas: number;
  /** Fewer in-sync replicas than assigned. */
  underReplicated: boolean;
  /** Kafka ids of the in-sync replicas, when known. */
  inSyncBrokers?: readonly number[];
}

export type HealthOf = (task: ExecutionTask) => PartitionHealth | undefined;

/** Negative when `a` goes first. */
type Compare = (a: ExecutionTask, b: ExecutionTask, healthOf: HealthOf) => number;

const flag = (value: boolean) => (value ? 0 : 1);

/** Cruise Control's strategy names and what each puts first. */
export const REPLICA_MOVEMENT_STRATEGIES = {
  /** Smaller partitions first: many moves finish early. */
  PrioritizeSmallReplicaMovementStrategy: ((a, b) => a.sizeBytes - b.sizeBytes) as Compare,
  /** Larger partitions first: the long moves start early. */
  PrioritizeLargeReplicaMovementStrategy: ((a, b) => b.sizeBytes - a.sizeBytes) as Compare,
  /** Partitions that are not under-replicated first: moving an under-replicated one adds risk. */
  PostponeUrpReplicaMovementStrategy: ((a, b, h) =>
    flag(!(h(a)?.underReplicated ?? false)) - flag(!(h(b)?.underReplicated ?? false))) as Compare,
  /** Partitions at or under min ISR with offline replicas first: they are one failure from unavailable. */
  PrioritizeMinIsrWithOfflineReplicasStrategy: ((a, b, h) =>
    flag(atOrUnderMinIsrWithOffline(h(a))) - flag(atOrUnderMinIsrWithOffline(h(b)))) as Compare,
  /** Then those exactly one above min ISR with offline replicas. */
  PrioritizeOneAboveMinIsrWithOfflineReplicasStrategy: ((a, b, h) =>
    flag(oneAboveMinIsrWithOffline(h(a))) - flag(oneAboveMinIsrWithOffline(h(b)))) as Compare,
  /** Proposal order (task id). Always the last tie-break. */
  BaseReplicaMovementStrategy: ((a, b) => a.id - b.id) as Compare,
} as const;

export type ReplicaMovementStrategyName = keyof typeof REPLICA_MOVEMENT_STRATEGIES;

function atOrUnderMinIsrWithOffline(h: PartitionHealth | undefined): boolean {
  return h !== undefined && h.offlineReplicas > 0 && h.inSyncReplicas <= h.minInsyncReplicas;
}

function oneAboveMinIsrWithOffline(h: PartitionHealth | undefined): boolean {
  return h !== undefined && h.offlineReplicas > 0 && h.inSyncReplicas === h.minInsyncReplicas + 1;
}

/** True when `name` is one of Cruise Control's strategy names. */
export function isReplicaMovementStrategy(name: string): name is ReplicaMovementStrategyName {
  return Object.hasOwn(REPLICA_MOVEMENT_STRATEGIES, name);
}

/**
 * One comparator from a chain of strategy names, the base strategy appended. Health is looked up
 * once per task, not per comparison.
 */
export function chainStrategies(
  names: readonly ReplicaMovementStrategyName[],
  healthOf: HealthOf,
): (a: ExecutionTask, b: ExecutionTask) => number {
  const chain = [
    ...names.filter((n) => n !== 'BaseReplicaMovementStrategy'),
    'BaseReplicaMovementStrategy' as const,
  ].map((n) => REPLICA_MOVEMENT_STRATEGIES[n]);
  const cache = new Map<number, PartitionHealth | undefined>();
  const cached: HealthOf = (task) => {
    if (!cache.has(task.id)) cache.set(task.id, healthOf(task));
    return cache.get(task.id);
  };
  return (a, b) => {
    for (const compare of chain) {
      const order = compare(a, b, cached);
      if (order !== 0) return order;
    }
    return 0;
  };
}
