// What Kafka says about a task in flight: done, still going, never sent, or lost. Pure: a snapshot
// and a task in, a verdict out. The engine runs it on every step and after a restart, which is how
// a move is never sent twice and never lost track of.
import { topicPartitionName } from '../common/index.js';
import type { ClusterSnapshot, PartitionInfo } from '../kafka/index.js';
import { targetOf, type TaskRecord } from './execution-record.js';
import { taskPartition } from './planner/index.js';

export type Verdict =
  | { kind: 'running' }
  | { kind: 'completed' }
  /** It never reached Kafka (a restart between marking and sending): start it again. */
  | { kind: 'not-sent' }
  /** A destination broker or disk died while it ran. */
  | { kind: 'destination-dead'; detail: string }
  /**
   * A broker of an inter-broker move's target died while it ran (a new replica's, or one the move
   * keeps): Kafka cannot finish it until that broker returns.
   */
  | { kind: 'target-dead'; deadBrokers: number[]; detail: string }
  /** It ended without reaching its target (cancelled or overridden outside Ballast), or timed out. */
  | { kind: 'dead'; detail: string };

/** The parts of a snapshot the reconciler reads, indexed once per step. */
export interface SnapshotIndex {
  partitions: Map<string, PartitionInfo>;
  reassigning: Set<string>;
  /** `topic-partition` → the replicas an ongoing reassignment moves to (its replicas less those being removed). */
  reassignmentTargets: Map<string, number[]>;
  aliveBrokers: Set<number>;
  /** Every broker the snapshot names, alive or not. */
  knownBrokers: Set<number>;
  /** Each topic's min.insync.replicas (Kafka's default 1 when the topic sets none). */
  minInsyncReplicas: Map<string, number>;
  /** `broker topic-partition` → log dir path, and the dir of a future replica if one is copying. */
  replicaDir: Map<string, { path: string; futurePath: string | null; failed: boolean }>;
  /** Alive brokers whose log dirs the snapshot lacks (they did not answer): unknown, not empty. */
  unansweredLogDirs?: ReadonlySet<number>;
}

export function indexSnapshot(snapshot: ClusterSnapshot): SnapshotIndex {
  const replicaDir = new Map<string, { path: string; futurePath: string | null; failed: boolean }>();
  for (const dir of snapshot.logDirs) {
    for (const r of dir.replicas) {
      const key = `${dir.brokerId} ${topicPartitionName(r.topic, r.partition)}`;
      const entry = replicaDir.get(key) ?? { path: '', futurePath: null, failed: false };
      if (r.isFuture) entry.futurePath = dir.path;
      else {
        entry.path = dir.path;
        entry.failed = dir.failed;
      }
      replicaDir.set(key, entry);
    }
  }
  return {
    partitions: new Map(snapshot.partitions.map((p) => [topicPartitionName(p.topic, p.partition), p])),
    reassigning: new Set(snapshot.reassignments.map((r) => topicPartitionName(r.topic, r.partition))),
    reassignmentTargets: new Map(
      snapshot.reassignments.map((r) => [
        topicPartitionName(r.topic, r.partition),
        r.replicas.filter((b) => !r.removingReplicas.includes(b)),
      ]),
    ),
    aliveBrokers: new Set(snapshot.brokers.filter((b) => b.alive).map((b) => b.id)),
    knownBrokers: new Set(snapshot.brokers.map((b) => b.id)),
    minInsyncReplicas: new Map(snapshot.topics.map((t) => [t.name, t.configs.minInsyncReplicas ?? 1])),
    replicaDir,
    unansweredLogDirs: new Set(snapshot.logDirErrors.map((e) => e.brokerId)),
  };
}

/** How long a reassignment may show target ∪ removed replicas after leaving Kafka's ongoing list. */
const FINISHING_GRACE_MS = 5 * 60_000;
/** How long an acknowledged log-dir move may take to show its future replica. */
const INTRA_BROKER_START_GRACE_MS = 30_000;

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x) => b.includes(x));

/** True when two replica lists name the same brokers in the same order. */
export const sameOrder = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => b[i] === x);

/**
 * True when a leader task must also leave the replicas in its order, not only elect its leader: it
 * keeps the replica set but wants more than the new leader moved first (a demotion sends the
 * demoted replicas to the end, since Kafka elects leaders in list order).
 */
export function reordersReplicas(task: Pick<TaskRecord, 'oldReplicas' | 'newReplicas' | 'newLeader'>): boolean {
  const { oldReplicas, newReplicas, newLeader } = task;
  if (!sameSet(oldReplicas, newReplicas)) return false;
  const leaderFirst = [newLeader, ...oldReplicas.filter((b) => b !== newLeader)];
  return !sameOrder(oldReplicas.includes(newLeader) ? leaderFirst : oldReplicas, newReplicas);
}

/** The verdict on a task that was sent (or was about to be) as of `index`. */
export function reconcile(task: TaskRecord, index: SnapshotIndex, nowMs: number, leaderTimeoutMs: number): Verdict {
  const tp = taskPartition(task);
  const partition = index.partitions.get(tp);
  if (partition === undefined) return { kind: 'dead', detail: `${tp} no longer exists` };
  if (task.kind === 'INTER_BROKER_REPLICA_ACTION') {
    const target = targetOf(task);
    if (index.reassigning.has(tp)) {
      const dead = target.filter((b) => !index.aliveBrokers.has(b));
      if (dead.length > 0) {
        return {
          kind: 'target-dead',
          deadBrokers: dead,
          detail: dead.every((b) => task.destinationBrokers.includes(b))
            ? `destination broker(s) ${dead.join(', ')} died`
            : `broker(s) ${dead.join(', ')} of the target [${target.join(', ')}] died`,
        };
      }
      // A re-target recorded but not yet in Kafka (a restart between the two): sent again.
      const inKafka = index.reassignmentTargets.get(tp);
      if (task.retargetReplicas !== undefined && inKafka !== undefined && !sameSet(inKafka, target)) {
        const deadInKafka = inKafka.filter((b) => !index.aliveBrokers.has(b));
        return {
          kind: 'target-dead',
          deadBrokers: deadInKafka,
          detail: `re-target to [${target.join(', ')}] not yet in Kafka`,
        };
      }
      return { kind: 'running' };
    }
    if (sameSet(partition.replicas, target)) return { kind: 'completed' };
    if (task.submitting) return { kind: 'not-sent' };
    // Finishing: the controller has dropped it from the ongoing list but the metadata still shows
    // the removed replicas next to the target for a moment.
    const finishing = target.every((b) => partition.replicas.includes(b));
    if (finishing && (task.startedAtMs === undefined || nowMs - task.startedAtMs < FINISHING_GRACE_MS)) {
      return { kind: 'running' };
    }
    return {
      kind: 'dead',
      detail: `${tp} stopped reassigning at [${partition.replicas.join(', ')}], not the target [${target.join(', ')}] (cancelled outside Ballast?)`,
    };
  }
  if (task.kind === 'LEADER_ACTION') {
    // A plain leader move is done once the leader is there, however Kafka got there; a reordering
    // one only once the order is too.
    const ordered = !reordersReplicas(task) || sameOrder(partition.replicas, task.newReplicas);
    if (partition.leader === task.newLeader && ordered) return { kind: 'completed' };
    if (!index.aliveBrokers.has(task.newLeader)) {
      return { kind: 'destination-dead', detail: `new leader ${task.newLeader} is not alive` };
    }
    if (task.submitting && !sameOrder(partition.replicas, task.newReplicas)) return { kind: 'not-sent' };
    if (task.startedAtMs !== undefined && nowMs - task.startedAtMs > leaderTimeoutMs) {
      const detail =
        partition.leader === task.newLeader
          ? `replicas of ${tp} were not reordered to [${task.newReplicas.join(', ')}] within ${leaderTimeoutMs} ms`
          : `leadership of ${tp} did not move to ${task.newLeader} within ${leaderTimeoutMs} ms`;
      return { kind: 'dead', detail };
    }
    return { kind: 'running' };
  }
  const broker = task.broker!;
  if (!index.aliveBrokers.has(broker)) return { kind: 'destination-dead', detail: `broker ${broker} died` };
  // Its log dirs were not read this step: a move Kafka may well be running is neither done, nor
  // lost, nor to be sent again; the verdict waits for the broker to answer.
  if (index.unansweredLogDirs?.has(broker) === true) return { kind: 'running' };
  const dir = index.replicaDir.get(`${broker} ${tp}`);
  if (dir !== undefined && dir.path === task.toLogDir && dir.futurePath === null) return { kind: 'completed' };
  if (dir?.futurePath === task.toLogDir) return { kind: 'running' };
  if (task.submitting) return { kind: 'not-sent' };
  // The broker creates the future replica shortly after acknowledging the move.
  if (task.startedAtMs !== undefined && nowMs - task.startedAtMs < INTRA_BROKER_START_GRACE_MS)
    return { kind: 'running' };
  return { kind: 'dead', detail: `${tp} on broker ${broker} is not moving to ${task.toLogDir}` };
}
