// Cluster trouble the execution did not cause: a broker that was alive when it started has died, or
// more partitions are under-replicated outside its moves than at its start. The engine starts no
// new move while either holds (moves in flight keep settling) and resumes once it clears. Pure: an
// execution and a snapshot index in, a baseline or a reason out.
import type { ClusterBaseline, ExecutionRecord } from './execution-record.js';
import { taskPartition } from './planner/index.js';
import type { SnapshotIndex } from './task-reconciler.js';

/** How many partitions a reason names. */
const EXAMPLES = 3;

/**
 * Partitions whose replicas this execution has changed or is changing: their under-replication
 * is the execution's own doing (a new replica copying, a removed one leaving) and is no trouble.
 */
function touchedPartitions(record: ExecutionRecord): Set<string> {
  return new Set(
    record.tasks
      .filter((t) => t.state !== 'PENDING' || t.submitting === true || t.startedAtMs !== undefined)
      .map(taskPartition),
  );
}

/** Under-replicated partitions (fewer in sync than assigned) the execution has not touched. */
function underReplicatedOutside(record: ExecutionRecord, index: SnapshotIndex): string[] {
  const touched = touchedPartitions(record);
  const outside: string[] = [];
  for (const [key, p] of index.partitions) {
    if (p.isr.length < p.replicas.length && !touched.has(key)) outside.push(key);
  }
  return outside;
}

/** What the cluster looks like now, to compare later steps with. */
export function clusterBaseline(record: ExecutionRecord, index: SnapshotIndex): ClusterBaseline {
  return {
    aliveBrokers: [...index.aliveBrokers].sort((a, b) => a - b),
    underReplicated: underReplicatedOutside(record, index),
  };
}

/**
 * Why new moves must wait, or null when nothing is wrong. Brokers the execution removes stay alive
 * in Kafka until they are shut down, so comparing alive sets does not mistake them for deaths.
 * Under-replication is compared by count, so a partition that heals while another degrades does
 * not pause the execution.
 */
export function clusterTrouble(
  record: ExecutionRecord,
  baseline: ClusterBaseline,
  index: SnapshotIndex,
): string | null {
  const reasons: string[] = [];
  const dead = baseline.aliveBrokers.filter((b) => !index.aliveBrokers.has(b));
  if (dead.length === 1) reasons.push(`broker ${dead[0]} died mid-execution: new moves paused until it is back`);
  else if (dead.length > 1) {
    reasons.push(`brokers ${dead.join(', ')} died mid-execution: new moves paused until they are back`);
  }
  const outside = underReplicatedOutside(record, index);
  if (outside.length > baseline.underReplicated.length) {
    const before = new Set(baseline.underReplicated);
    const examples = outside.filter((p) => !before.has(p)).slice(0, EXAMPLES);
    reasons.push(
      `under-replicated partitions outside this execution rose from ${baseline.underReplicated.length} to ${outside.length}` +
        `${examples.length > 0 ? ` (e.g. ${examples.join(', ')})` : ''}: new moves paused`,
    );
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}
