// What to do with a replica move Kafka can no longer finish: a broker of its target died, so that
// replica never joins the ISR and the reassignment never completes. Pure: a task and a snapshot
// index in, a way out. A plain cancel restores the original replicas and is only safe while all of
// them are alive (KAFKA-14424: cancelling back onto a dead original can leave the partition
// leaderless); otherwise the reassignment is re-targeted through the same API to the target minus
// the dead brokers, filled up from live original replicas so the replication factor holds. That
// new target needs no replica the move was not already copying or keeping, so the throttles in
// place cover it and it completes once the copies in flight catch up.
import { targetOf, type TaskRecord } from './execution-record.js';
import { taskPartition } from './planner/index.js';
import type { SnapshotIndex } from './task-reconciler.js';

export type WayOut =
  /** Every original replica is alive: cancel and go back to them. */
  | { kind: 'cancel' }
  /** Move on to `replicas` instead (the dead brokers dropped); `shortBy` replicas fewer than planned. */
  | { kind: 'retarget'; replicas: number[]; shortBy: number }
  /** No live replica holds the data (the partition is offline): nothing Kafka can finish or undo now. */
  | { kind: 'stuck'; detail: string };

/** How to end `task`, whose target includes the dead brokers `dead`, as of `index`. */
export function wayOut(task: TaskRecord, dead: readonly number[], index: SnapshotIndex): WayOut {
  const alive = (b: number) => index.aliveBrokers.has(b);
  if (task.retargetReplicas === undefined && task.oldReplicas.every(alive)) return { kind: 'cancel' };
  const target = targetOf(task);
  const isr = new Set(index.partitions.get(taskPartition(task))?.isr ?? []);
  const kept = target.filter((b) => !dead.includes(b) && alive(b));
  // In-sync originals first: they hold the data, so the new target can complete soonest.
  const spares = task.oldReplicas
    .filter((b) => alive(b) && !kept.includes(b))
    .sort((a, b) => Number(isr.has(b)) - Number(isr.has(a)));
  const replicas = [...kept, ...spares.slice(0, Math.max(0, target.length - kept.length))];
  if (!replicas.some((b) => isr.has(b))) {
    return {
      kind: 'stuck',
      detail: `no live in-sync replica of ${taskPartition(task)} is left to copy from (brokers ${dead.join(', ')} dead)`,
    };
  }
  return { kind: 'retarget', replicas, shortBy: target.length - replicas.length };
}
