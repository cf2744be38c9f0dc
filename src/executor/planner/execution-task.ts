// Execution tasks: what the executor does to Kafka for one partition, built from a proposal. Three
// kinds, run in three phases as Cruise Control does: replica moves between brokers, replica moves
// between the log dirs of one broker, then leadership. Pure data, no I/O.
import { topicPartitionName } from '../../common/pure.js';
import type { PartitionMove } from '../../model/index.js';

/** Cruise Control's task types. */
export type TaskKind = 'INTER_BROKER_REPLICA_ACTION' | 'INTRA_BROKER_REPLICA_ACTION' | 'LEADER_ACTION';

/** Cruise Control's task states. */
export type TaskState = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'ABORTING' | 'ABORTED' | 'DEAD';

export interface ExecutionTask {
  /** Unique within an execution; also the tie-break of every ordering (proposal order). */
  readonly id: number;
  readonly kind: TaskKind;
  readonly topic: string;
  readonly partition: number;
  /** Kafka broker ids before, in Kafka's order. */
  readonly oldReplicas: readonly number[];
  /**
   * Kafka broker ids after, the new leader first: once the reassignment completes, a preferred
   * leader election makes it the leader. For a leader task the same set as before, reordered.
   */
  readonly newReplicas: readonly number[];
  readonly oldLeader: number;
  readonly newLeader: number;
  /** Brokers that send data (replicas removed) — inter-broker tasks. */
  readonly sourceBrokers: readonly number[];
  /** Brokers that receive a new replica — inter-broker tasks. */
  readonly destinationBrokers: readonly number[];
  /** Intra-broker tasks: the broker and the log dir the replica moves to. */
  readonly broker?: number;
  readonly fromLogDir?: string | null;
  readonly toLogDir?: string;
  /** Bytes one new replica copies (the partition's size). */
  readonly sizeBytes: number;
}

/** What the planner knows of a partition when it builds and orders tasks. */
export interface PartitionFacts {
  /** Size of one replica in bytes. */
  sizeBytes: number;
}

const sameOrder = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => b[i] === x);

/**
 * Tasks for a proposal: one inter-broker task per partition whose replica set changes, one
 * intra-broker task per replica that stays on its broker but changes log dir, one leader task per
 * partition whose leader changes or whose replicas stay but change order. Ids follow proposal order.
 */
export function tasksFromProposals(
  proposals: readonly PartitionMove[],
  factsOf: (topic: string, partition: number) => PartitionFacts | undefined,
): ExecutionTask[] {
  const tasks: ExecutionTask[] = [];
  for (const p of proposals) {
    const sizeBytes = factsOf(p.topic, p.partitionNumber)?.sizeBytes ?? 0;
    const oldSet = new Set(p.oldReplicas);
    const newSet = new Set(p.newReplicas);
    const leaderFirst = (replicas: readonly number[], leader: number) =>
      leader >= 0 && replicas.includes(leader) ? [leader, ...replicas.filter((b) => b !== leader)] : [...replicas];
    const base = {
      topic: p.topic,
      partition: p.partitionNumber,
      oldReplicas: [...p.oldReplicas],
      oldLeader: p.oldLeader,
      newLeader: p.newLeader,
      sizeBytes,
    };
    const setChanged = p.oldReplicas.length !== p.newReplicas.length || p.newReplicas.some((b) => !oldSet.has(b));
    if (setChanged) {
      tasks.push({
        ...base,
        id: tasks.length,
        kind: 'INTER_BROKER_REPLICA_ACTION',
        newReplicas: leaderFirst(p.newReplicas, p.newLeader),
        sourceBrokers: p.oldReplicas.filter((b) => !newSet.has(b)),
        destinationBrokers: p.newReplicas.filter((b) => !oldSet.has(b)),
      });
    }
    // Leadership moves last, after every replica move: a preferred election once the new leader is
    // first in the assignment (reordering the replicas copies no data). The same replicas in a new
    // order need that task even when the leader stays (a demotion moves the demoted replicas last),
    // unless putting the leader first undoes the new order.
    const leaderTaskReplicas = leaderFirst(p.newReplicas, p.newLeader);
    const reordered =
      !setChanged && !sameOrder(p.newReplicas, p.oldReplicas) && !sameOrder(leaderTaskReplicas, p.oldReplicas);
    if ((p.newLeader !== p.oldLeader || reordered) && p.newLeader >= 0) {
      tasks.push({
        ...base,
        id: tasks.length,
        kind: 'LEADER_ACTION',
        newReplicas: leaderTaskReplicas,
        sourceBrokers: [],
        destinationBrokers: [],
      });
    }
    // A replica that stays on its broker but changes log dir moves within the broker.
    p.newReplicas.forEach((broker, i) => {
      const toLogDir = p.newLogDirs[i];
      if (!oldSet.has(broker) || toLogDir === null || toLogDir === undefined) return;
      const fromLogDir = p.oldLogDirs[p.oldReplicas.indexOf(broker)] ?? null;
      if (fromLogDir === toLogDir) return;
      tasks.push({
        ...base,
        id: tasks.length,
        kind: 'INTRA_BROKER_REPLICA_ACTION',
        newReplicas: [...p.oldReplicas],
        sourceBrokers: [],
        destinationBrokers: [],
        broker,
        fromLogDir,
        toLogDir,
      });
    });
  }
  return tasks;
}

/** `topic-partition` of a task, as Kafka and Cruise Control print it. */
export function taskPartition(task: Pick<ExecutionTask, 'topic' | 'partition'>): string {
  return topicPartitionName(task.topic, task.partition);
}
