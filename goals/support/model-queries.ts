// What goals ask of the model: replicas per broker, the load a move shifts between brokers, racks
// of a partition, the best disk on a broker. Pure and allocation-light.
import {
  BrokerState,
  RESOURCE_COUNT,
  Resource as ResourceIndex,
  type ClusterModel,
  type Resource,
} from '../../src/model/index.js';
import type { Move } from './goal.js';

const R = RESOURCE_COUNT;

/** Replica indices grouped by broker (a CSR layout): replicas of broker b are `list[start[b]..start[b+1])`. */
export interface ReplicasByBroker {
  start: Int32Array;
  list: Int32Array;
}

/** A fresh grouping; it goes stale as moves apply, so callers re-check `model.replicaBroker[r] === b`. */
export function replicasByBroker(model: ClusterModel): ReplicasByBroker {
  const start = new Int32Array(model.brokerCount + 1);
  for (let r = 0; r < model.replicaCount; r++) start[model.replicaBroker[r]! + 1]!++;
  for (let b = 0; b < model.brokerCount; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, model.brokerCount);
  const list = new Int32Array(model.replicaCount);
  for (let r = 0; r < model.replicaCount; r++) list[fill[model.replicaBroker[r]!]!++] = r;
  return { start, list };
}

/** The replicas currently on `broker`, from a (possibly stale) grouping. */
export function replicasOn(grouping: ReplicasByBroker, model: ClusterModel, broker: number): number[] {
  const out: number[] = [];
  for (let i = grouping.start[broker]!; i < grouping.start[broker + 1]!; i++) {
    const r = grouping.list[i]!;
    if (model.replicaBroker[r] === broker) out.push(r);
  }
  return out;
}

export function isAlive(model: ClusterModel, broker: number): boolean {
  return model.brokerHas(broker, BrokerState.ALIVE);
}

export function brokerLoad(model: ClusterModel, broker: number, resource: Resource): number {
  return model.brokerLoad[broker * R + resource]!;
}

export function brokerCapacity(model: ClusterModel, broker: number, resource: Resource): number {
  return model.brokerCapacity[broker * R + resource]!;
}

/** The partition's leader load minus its follower load: what a leadership change shifts. */
export function leadershipDelta(model: ClusterModel, partition: number, resource: Resource): number {
  return model.leaderLoad[partition * R + resource]! - model.followerLoad[partition * R + resource]!;
}

/**
 * The brokers whose `resource` load `move` changes and by how much: `[from, -amount, to, +amount]`
 * (amount may be 0). For a replica move the replica's own load travels; for a leadership change
 * the leader/follower difference moves from the old leader's broker to the new one's.
 */
export function loadShift(model: ClusterModel, move: Move, resource: Resource): [number, number, number, number] {
  if (move.kind === 'replica') {
    const amount = model.replicaLoad(move.replica, resource);
    return [model.replicaBroker[move.replica]!, -amount, move.toBroker, amount];
  }
  const oldLeader = model.partitionLeader[move.partition]!;
  const amount = leadershipDelta(model, move.partition, resource);
  const from = oldLeader < 0 ? -1 : model.replicaBroker[oldLeader]!;
  return [from, -amount, model.replicaBroker[move.toReplica]!, amount];
}

/** Replica and leader counts a move shifts: `[from, to, replicaDelta, leaderDelta]` for `to` (and the opposite for `from`). */
export function countShift(model: ClusterModel, move: Move): [number, number, number, number] {
  if (move.kind === 'replica') {
    const leads = model.isLeader(move.replica) ? 1 : 0;
    return [model.replicaBroker[move.replica]!, move.toBroker, 1, leads];
  }
  const oldLeader = model.partitionLeader[move.partition]!;
  return [oldLeader < 0 ? -1 : model.replicaBroker[oldLeader]!, model.replicaBroker[move.toReplica]!, 0, 1];
}

/** True when another replica of `replica`'s partition sits in `rack` (the replica itself not counted). */
export function rackHasOtherReplica(model: ClusterModel, replica: number, rack: number): boolean {
  const p = model.replicaPartition[replica]!;
  for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
    if (r !== replica && model.brokerRack[model.replicaBroker[r]!] === rack) return true;
  }
  return false;
}

/** The alive disk of `broker` with the lowest utilization, or -1 when the broker has no known disk. */
export function bestDisk(model: ClusterModel, broker: number, extraMb = 0): number {
  let best = -1;
  let bestUtil = Infinity;
  for (let d = 0; d < model.diskCount; d++) {
    if (model.diskBroker[d] !== broker || model.diskAlive[d] !== 1) continue;
    const capacity = model.diskCapacityMb[d]!;
    const util = capacity > 0 ? (model.diskLoadMb[d]! + extraMb) / capacity : Infinity;
    if (util < bestUtil) {
      bestUtil = util;
      best = d;
    }
  }
  return best;
}

/** Alive brokers ordered by ascending utilization of `resource` (for choosing destinations). */
export function brokersByUtilization(model: ClusterModel, resource: Resource): number[] {
  const brokers: number[] = [];
  for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b)) brokers.push(b);
  return brokers.sort((a, b) => model.brokerUtilization(a, resource) - model.brokerUtilization(b, resource));
}

/** A replica move to `toBroker`, onto its least-used disk. */
export function replicaMove(model: ClusterModel, replica: number, toBroker: number): Move {
  const diskMb = model.replicaLoad(replica, ResourceIndex.DISK);
  return { kind: 'replica', replica, toBroker, toDisk: bestDisk(model, toBroker, diskMb) };
}
