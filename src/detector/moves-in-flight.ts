// What the detectors need to know of partitions moving now: while a partition moves between brokers
// Kafka lists its adding and removing replicas together, and a log dir move shows as a future replica
// beside the current one. A detector judges what will remain once the moves end (the kafka stage's
// settledReplicas), or waits while these say moves run. Pure.
import type { ClusterSnapshot } from '../kafka/index.js';

/** Brokers copying data in for a move in flight: adding replicas, and future replicas of log dir moves. */
export function brokersReceivingMoves(snapshot: Pick<ClusterSnapshot, 'reassignments' | 'logDirs'>): Set<number> {
  const receiving = new Set(snapshot.reassignments.flatMap((r) => r.addingReplicas));
  for (const dir of snapshot.logDirs) if (dir.replicas.some((r) => r.isFuture)) receiving.add(dir.brokerId);
  return receiving;
}

/** True while a partition moves between brokers or between log dirs of a broker. */
export function hasMovesInFlight(snapshot: Pick<ClusterSnapshot, 'reassignments' | 'logDirs'>): boolean {
  return snapshot.reassignments.length > 0 || snapshot.logDirs.some((d) => d.replicas.some((r) => r.isFuture));
}
