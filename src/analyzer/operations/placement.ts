// A partition's placement read off the model in Kafka ids and log-dir paths, and the proposal that
// replaces it: the operations here build proposals directly because their changes (replica order,
// replication factor) cannot be expressed as moves of the model's fixed replica slots.
import { BrokerState, type ClusterModel, type PartitionMove } from '../../model/index.js';

/** One partition as it stands in the model, in Kafka's replica order. */
export interface PartitionPlacement {
  readonly partition: number;
  readonly topic: string;
  readonly partitionNumber: number;
  /** Replica indices, in Kafka's order. */
  readonly replicas: readonly number[];
  /** Kafka broker ids, one per replica. */
  readonly brokerIds: readonly number[];
  /** Log-dir path per replica, `null` when unknown. */
  readonly logDirs: readonly (string | null)[];
  /** Kafka broker id of the leader, -1 when the partition is offline. */
  readonly leaderId: number;
}

/** The current placement of `partition` (not the original one: operations read the model as it stands). */
export function placementOf(model: ClusterModel, partition: number): PartitionPlacement {
  const replicas: number[] = [];
  const brokerIds: number[] = [];
  const logDirs: (string | null)[] = [];
  for (let r = model.replicaStart(partition); r < model.replicaEnd(partition); r++) {
    replicas.push(r);
    brokerIds.push(model.brokerKafkaId(model.replicaBroker[r]!));
    const disk = model.replicaDisk[r]!;
    logDirs.push(disk < 0 ? null : model.diskPath(disk));
  }
  const leader = model.partitionLeader[partition]!;
  return {
    partition,
    topic: model.topicNameOf(partition),
    partitionNumber: model.partitionNumber[partition]!,
    replicas,
    brokerIds,
    logDirs,
    leaderId: leader < 0 ? -1 : model.brokerKafkaId(model.replicaBroker[leader]!),
  };
}

/** The proposal taking `placement` to the given replicas, log dirs and leader. */
export function proposalFrom(
  placement: PartitionPlacement,
  newReplicas: readonly number[],
  newLogDirs: readonly (string | null)[],
  newLeader: number,
): PartitionMove {
  return {
    partition: placement.partition,
    topic: placement.topic,
    partitionNumber: placement.partitionNumber,
    oldReplicas: placement.brokerIds,
    newReplicas,
    oldLogDirs: placement.logDirs,
    newLogDirs,
    oldLeader: placement.leaderId,
    newLeader,
  };
}

/**
 * True when the replica can serve: its broker is alive and its log dir, when known, is online. A
 * replica on an offline log dir of a live broker is as gone as one on a dead broker.
 */
export function replicaOnline(model: ClusterModel, replica: number): boolean {
  const disk = model.replicaDisk[replica]!;
  return model.brokerHas(model.replicaBroker[replica]!, BrokerState.ALIVE) && (disk < 0 || model.diskAlive[disk] === 1);
}

/** `pattern` without the `g`/`y` flags, whose `lastIndex` would make `test` depend on the previous call. */
export function statelessPattern(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
}
