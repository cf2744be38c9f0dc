// A proposal's partition moves: the partitions whose placement or leadership differs from the
// original snapshot, told back in Kafka ids and log-dir paths for the executor.
import type { ModelArrays, ModelTables } from './model-state.js';

/** One partition's move within a proposal: its replicas, log dirs and leader before and after. */
export interface PartitionMove {
  /** Partition index in the model. */
  readonly partition: number;
  /** Topic name. */
  readonly topic: string;
  /** Kafka partition number. */
  readonly partitionNumber: number;
  /** Kafka broker ids of the replicas before, in Kafka's replica order. */
  readonly oldReplicas: readonly number[];
  /** Kafka broker ids of the replicas after; each replica keeps its position in the list. */
  readonly newReplicas: readonly number[];
  /** Log-dir path per replica before, `null` when unknown. */
  readonly oldLogDirs: readonly (string | null)[];
  /** Log-dir path per replica after, `null` when unknown. */
  readonly newLogDirs: readonly (string | null)[];
  /** Kafka broker id of the leader before, -1 when offline. */
  readonly oldLeader: number;
  /** Kafka broker id of the leader after, -1 when offline. */
  readonly newLeader: number;
}

type DiffInputs = Pick<
  ModelArrays,
  | 'partitionTopic'
  | 'partitionNumber'
  | 'partitionReplicaStart'
  | 'replicaBroker'
  | 'replicaDisk'
  | 'originalBroker'
  | 'originalDisk'
  | 'partitionLeader'
  | 'originalLeader'
>;

/**
 * Lists the partitions whose replica brokers, disks or leader differ from the original, in
 * partition order. O(replicas) with no allocation for unchanged partitions, so it stays cheap
 * at millions of replicas when the proposal is small.
 */
export function diffModel(arrays: DiffInputs, tables: ModelTables): PartitionMove[] {
  const start = arrays.partitionReplicaStart;
  const proposals: PartitionMove[] = [];
  for (let p = 0; p + 1 < start.length; p++) {
    const first = start[p]!;
    const end = start[p + 1]!;
    let changed = arrays.partitionLeader[p] !== arrays.originalLeader[p];
    for (let r = first; r < end && !changed; r++) {
      changed =
        arrays.replicaBroker[r] !== arrays.originalBroker[r] || arrays.replicaDisk[r] !== arrays.originalDisk[r];
    }
    if (!changed) continue;
    const kafkaId = (broker: number): number => tables.brokerKafkaIds[broker]!;
    const path = (disk: number): string | null => (disk < 0 ? null : tables.diskPaths[disk]!);
    const oldReplicas: number[] = [];
    const newReplicas: number[] = [];
    const oldLogDirs: (string | null)[] = [];
    const newLogDirs: (string | null)[] = [];
    for (let r = first; r < end; r++) {
      oldReplicas.push(kafkaId(arrays.originalBroker[r]!));
      newReplicas.push(kafkaId(arrays.replicaBroker[r]!));
      oldLogDirs.push(path(arrays.originalDisk[r]!));
      newLogDirs.push(path(arrays.replicaDisk[r]!));
    }
    const oldLeaderReplica = arrays.originalLeader[p]!;
    const newLeaderReplica = arrays.partitionLeader[p]!;
    proposals.push({
      partition: p,
      topic: tables.topicNames[arrays.partitionTopic[p]!]!,
      partitionNumber: arrays.partitionNumber[p]!,
      oldReplicas,
      newReplicas,
      oldLogDirs,
      newLogDirs,
      oldLeader: oldLeaderReplica < 0 ? -1 : kafkaId(arrays.originalBroker[oldLeaderReplica]!),
      newLeader: newLeaderReplica < 0 ? -1 : kafkaId(arrays.replicaBroker[newLeaderReplica]!),
    });
  }
  return proposals;
}
