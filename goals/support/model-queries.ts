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

/**
 * `items` sorted by ascending `key`, ties kept in their order (as a stable sort): each key is
 * computed once rather than at every comparison, which matters for the thousands of replicas of a
 * hot broker sorted on every pass. Returns a new array.
 */
export function sortedBy(items: readonly number[], key: (item: number) => number): number[] {
  const n = items.length;
  const keys = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = key(items[i]!);
    order[i] = i;
  }
  order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = items[order[i]!]!;
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
 * The brokers whose `resource` load `move` changes and by how much: `[from, -amount, to, +amount]`.
 * For a replica move the replica's own load travels; for a leadership change the leader/follower
 * difference moves from the old leader's broker to the new one's; for a swap the net difference
 * (`amount` may then be negative: `from` gains). `from` is -1 for an offline partition's leadership.
 */
export function loadShift(model: ClusterModel, move: Move, resource: Resource): [number, number, number, number] {
  if (move.kind === 'replica') {
    const amount = model.replicaLoad(move.replica, resource);
    return [model.replicaBroker[move.replica]!, -amount, move.toBroker, amount];
  }
  if (move.kind === 'swap') {
    const amount = model.replicaLoad(move.a, resource) - model.replicaLoad(move.b, resource);
    return [model.replicaBroker[move.a]!, -amount, model.replicaBroker[move.b]!, amount];
  }
  if (move.kind === 'disk') {
    // Within one broker: no broker's load changes.
    const broker = model.replicaBroker[move.replica]!;
    return [broker, 0, broker, 0];
  }
  const oldLeader = model.partitionLeader[move.partition]!;
  const amount = leadershipDelta(model, move.partition, resource);
  const from = oldLeader < 0 ? -1 : model.replicaBroker[oldLeader]!;
  return [from, -amount, model.replicaBroker[move.toReplica]!, amount];
}

/**
 * Replica and leader counts a move shifts: `[from, to, replicaDelta, leaderDelta]`, the deltas
 * being what `to` gains and `from` loses (negative for a swap where `from` gains a leader).
 */
export function countShift(model: ClusterModel, move: Move): [number, number, number, number] {
  if (move.kind === 'replica') {
    const leads = model.isLeader(move.replica) ? 1 : 0;
    return [model.replicaBroker[move.replica]!, move.toBroker, 1, leads];
  }
  if (move.kind === 'swap') {
    const leaders = Number(model.isLeader(move.a)) - Number(model.isLeader(move.b));
    return [model.replicaBroker[move.a]!, model.replicaBroker[move.b]!, 0, leaders];
  }
  if (move.kind === 'disk') {
    const broker = model.replicaBroker[move.replica]!;
    return [broker, broker, 0, 0];
  }
  const oldLeader = model.partitionLeader[move.partition]!;
  return [oldLeader < 0 ? -1 : model.replicaBroker[oldLeader]!, model.replicaBroker[move.toReplica]!, 0, 1];
}

/** The replicas (or leaders) `move` takes from {@link moveSource} to {@link moveTarget}, without allocating. */
export function countAmount(model: ClusterModel, move: Move, kind: 'replicas' | 'leaders'): number {
  if (move.kind === 'replica') return kind === 'replicas' ? 1 : Number(model.isLeader(move.replica));
  if (move.kind === 'swap')
    return kind === 'replicas' ? 0 : Number(model.isLeader(move.a)) - Number(model.isLeader(move.b));
  if (move.kind === 'disk') return 0;
  return kind === 'replicas' ? 0 : 1;
}

/**
 * The broker `move` takes load from (-1 for an offline partition's leadership): the `from` of
 * {@link loadShift} and {@link countShift}, without allocating. For a disk move, the replica's broker.
 */
export function moveSource(model: ClusterModel, move: Move): number {
  if (move.kind === 'replica' || move.kind === 'disk') return model.replicaBroker[move.replica]!;
  if (move.kind === 'swap') return model.replicaBroker[move.a]!;
  const oldLeader = model.partitionLeader[move.partition]!;
  return oldLeader < 0 ? -1 : model.replicaBroker[oldLeader]!;
}

/** The broker `move` gives load to: the `to` of {@link loadShift} and {@link countShift}. */
export function moveTarget(model: ClusterModel, move: Move): number {
  if (move.kind === 'replica') return move.toBroker;
  if (move.kind === 'swap') return model.replicaBroker[move.b]!;
  if (move.kind === 'disk') return model.replicaBroker[move.replica]!;
  return model.replicaBroker[move.toReplica]!;
}

/**
 * The `resource` load `move` shifts from {@link moveSource} to {@link moveTarget} (the `amount` of
 * {@link loadShift}, negative when a swap's source gains), without allocating. Hot: every veto asks.
 */
export function shiftAmount(model: ClusterModel, move: Move, resource: Resource): number {
  if (move.kind === 'replica') return model.replicaLoad(move.replica, resource);
  if (move.kind === 'swap') return model.replicaLoad(move.a, resource) - model.replicaLoad(move.b, resource);
  if (move.kind === 'disk') return 0;
  return leadershipDelta(model, move.partition, resource);
}

/** `[broker, delta]` pairs of a shift, for checks that only care about who gains and who loses. */
export function shiftEnds(shift: [number, number, number, number]): [number, number][] {
  const [from, minus, to, plus] = shift;
  return from < 0
    ? [[to, plus]]
    : [
        [from, minus],
        [to, plus],
      ];
}

/**
 * True when moving `replica` to `toBroker` would put a second replica of its partition in one rack:
 * the rack changes and another replica of the partition is already there (RackAwareGoal's veto).
 */
export function breaksRack(model: ClusterModel, replica: number, toBroker: number): boolean {
  const toRack = model.brokerRack[toBroker]!;
  return toRack !== model.brokerRack[model.replicaBroker[replica]!] && rackHasOtherReplica(model, replica, toRack);
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
  const { diskStart, diskList } = factsOf(model);
  let best = -1;
  let bestUtil = Infinity;
  for (let i = diskStart[broker]!; i < diskStart[broker + 1]!; i++) {
    const d = diskList[i]!;
    if (model.diskAlive[d] !== 1) continue;
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

/** Facts about a model that no move changes (broker states, capacities), computed once per model. */
interface StaticFacts {
  deadBrokers: number[];
  aliveBrokers: number;
  /** Capacity summed over alive brokers, per resource. */
  aliveCapacity: Float64Array;
  /** Disks by broker (CSR): the disks of broker b are `diskList[diskStart[b]..diskStart[b+1])`, in index order. */
  diskStart: Int32Array;
  diskList: Int32Array;
}

const staticFacts = new WeakMap<ClusterModel, StaticFacts>();

function factsOf(model: ClusterModel): StaticFacts {
  let facts = staticFacts.get(model);
  if (facts === undefined) {
    const deadBrokers: number[] = [];
    const aliveCapacity = new Float64Array(R);
    for (let b = 0; b < model.brokerCount; b++) {
      if (!isAlive(model, b)) {
        deadBrokers.push(b);
        continue;
      }
      for (let k = 0; k < R; k++) aliveCapacity[k]! += model.brokerCapacity[b * R + k]!;
    }
    const diskStart = new Int32Array(model.brokerCount + 1);
    for (let d = 0; d < model.diskCount; d++) diskStart[model.diskBroker[d]! + 1]!++;
    for (let b = 0; b < model.brokerCount; b++) diskStart[b + 1]! += diskStart[b]!;
    const fill = diskStart.slice(0, model.brokerCount);
    const diskList = new Int32Array(model.diskCount);
    for (let d = 0; d < model.diskCount; d++) diskList[fill[model.diskBroker[d]!]!++] = d;
    facts = {
      deadBrokers,
      aliveBrokers: model.brokerCount - deadBrokers.length,
      aliveCapacity,
      diskStart,
      diskList,
    };
    staticFacts.set(model, facts);
  }
  return facts;
}

/**
 * Load of `resource` summed over alive brokers, from the per-rack aggregates minus the few dead
 * brokers: O(racks + dead brokers), so goals can afford it on every move they judge.
 */
export function aliveLoadTotal(model: ClusterModel, resource: Resource): number {
  let total = 0;
  for (let rack = 0; rack < model.rackCount; rack++) total += model.rackLoad[rack * R + resource]!;
  for (const b of factsOf(model).deadBrokers) total -= model.brokerLoad[b * R + resource]!;
  return total;
}

export function aliveCapacityTotal(model: ClusterModel, resource: Resource): number {
  return factsOf(model).aliveCapacity[resource]!;
}

/** Replicas (or leaders) summed over alive brokers; the cluster totals never change under moves. */
export function aliveCountTotal(model: ClusterModel, kind: 'replicas' | 'leaders'): { total: number; brokers: number } {
  const facts = factsOf(model);
  const counts = kind === 'replicas' ? model.brokerReplicaCount : model.brokerLeaderCount;
  let total = kind === 'replicas' ? model.replicaCount : leadersTotal(model);
  for (const b of facts.deadBrokers) total -= counts[b]!;
  return { total, brokers: facts.aliveBrokers };
}

const leaderTotals = new WeakMap<ClusterModel, number>();

/** Partitions with a leader: moves never change it. */
function leadersTotal(model: ClusterModel): number {
  let total = leaderTotals.get(model);
  if (total === undefined) {
    total = 0;
    for (let p = 0; p < model.partitionCount; p++) if (model.partitionLeader[p]! >= 0) total++;
    leaderTotals.set(model, total);
  }
  return total;
}

/**
 * The disks whose load (MB) `move` changes: `[disk, deltaMb]` pairs (a disk of -1, unknown, is left
 * out). A replica move or swap takes each replica's disk along; a leadership change moves no data.
 */
export function diskShifts(model: ClusterModel, move: Move): [number, number][] {
  const size = (r: number) => model.replicaLoad(r, ResourceIndex.DISK);
  const out: [number, number][] = [];
  const add = (disk: number, delta: number) => {
    if (disk >= 0 && delta !== 0) out.push([disk, delta]);
  };
  if (move.kind === 'replica' || move.kind === 'disk') {
    add(model.replicaDisk[move.replica]!, -size(move.replica));
    add(move.toDisk, size(move.replica));
  } else if (move.kind === 'swap') {
    const [da, db] = [model.replicaDisk[move.a]!, model.replicaDisk[move.b]!];
    add(da, size(move.b) - size(move.a));
    add(db, size(move.a) - size(move.b));
  }
  return out;
}
