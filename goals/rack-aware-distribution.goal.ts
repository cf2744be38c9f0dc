// RackAwareDistributionGoal: each partition's replicas even over alive racks, RF may exceed racks. Hard; no CC config.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { isAlive, replicaMove } from './support/model-queries.js';

/** Rack facts no move changes, and a zeroed per-rack scratch counter (always cleared after use). */
interface RackFacts {
  aliveRack: Uint8Array;
  aliveRacks: number;
  counts: Int32Array;
}

const rackFacts = new WeakMap<ClusterModel, RackFacts>();

function factsOf(model: ClusterModel): RackFacts {
  let facts = rackFacts.get(model);
  if (facts === undefined) {
    const aliveRack = new Uint8Array(model.rackCount);
    for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b)) aliveRack[model.brokerRack[b]!] = 1;
    const aliveRacks = aliveRack.reduce((sum, alive) => sum + alive, 0);
    facts = { aliveRack, aliveRacks, counts: new Int32Array(model.rackCount) };
    rackFacts.set(model, facts);
  }
  return facts;
}

const rackOf = (model: ClusterModel, replica: number) => model.brokerRack[model.replicaBroker[replica]!]!;

/**
 * The most replicas of `partition` in one rack minus the fewest in an alive rack (0 for a rack it
 * does not use). A rack of dead brokers only counts toward the most, so its replicas get moved out.
 * O(RF), no allocation.
 */
function spread(model: ClusterModel, partition: number): number {
  const facts = factsOf(model);
  const { counts, aliveRack } = facts;
  const start = model.partitionReplicaStart[partition]!;
  const end = model.partitionReplicaStart[partition + 1]!;
  let most = 0;
  let aliveUsed = 0;
  for (let r = start; r < end; r++) {
    const rack = rackOf(model, r);
    const c = ++counts[rack]!;
    if (c > most) most = c;
    if (c === 1 && aliveRack[rack] === 1) aliveUsed++;
  }
  let fewest = aliveUsed < facts.aliveRacks ? 0 : Infinity;
  for (let r = start; r < end; r++) {
    const rack = rackOf(model, r);
    if (aliveRack[rack] === 1 && counts[rack]! < fewest) fewest = counts[rack]!;
  }
  for (let r = start; r < end; r++) counts[rackOf(model, r)] = 0;
  return facts.aliveRacks === 0 ? 0 : most - fewest;
}

/** A move into another rack is fine only while that rack holds fewer of the partition than the rack left (CC's rule). */
function keepsSpread(model: ClusterModel, replica: number, toBroker: number): boolean {
  const from = rackOf(model, replica);
  const to = model.brokerRack[toBroker]!;
  if (from === to) return true;
  const p = model.replicaPartition[replica]!;
  let inFrom = 0;
  let inTo = 0;
  for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
    const rack = rackOf(model, r);
    if (rack === from) inFrom++;
    else if (rack === to) inTo++;
  }
  return inTo < inFrom;
}

/** Moves one replica from a fullest rack to a broker in a rack at least two below it, emptiest racks first. */
function moveOne(ctx: GoalContext, partition: number, counts: Int32Array): boolean {
  const { model } = ctx;
  const { aliveRack } = factsOf(model);
  counts.fill(0);
  const start = model.partitionReplicaStart[partition]!;
  const end = model.partitionReplicaStart[partition + 1]!;
  for (let r = start; r < end; r++) counts[rackOf(model, r)]!++;
  const most = Math.max(...counts);
  // Replicas on dead brokers leave first, then followers; the leader moves last.
  const rank = (r: number) => (isAlive(model, model.replicaBroker[r]!) ? (model.isLeader(r) ? 2 : 1) : 0);
  const sources: number[] = [];
  for (let r = start; r < end; r++) if (counts[rackOf(model, r)] === most) sources.push(r);
  sources.sort((a, b) => rank(a) - rank(b));
  const destinations: number[] = [];
  for (let b = 0; b < model.brokerCount; b++) {
    const rack = model.brokerRack[b]!;
    if (aliveRack[rack] !== 1 || counts[rack]! > most - 2) continue;
    if (ctx.canReceiveReplica(b) && model.replicaOnBroker(partition, b) === -1) destinations.push(b);
  }
  destinations.sort(
    (a, b) =>
      counts[model.brokerRack[a]!]! - counts[model.brokerRack[b]!]! ||
      model.brokerUtilization(a, Resource.DISK) - model.brokerUtilization(b, Resource.DISK),
  );
  for (const r of sources) for (const b of destinations) if (ctx.tryMove(replicaMove(model, r, b))) return true;
  return false;
}

function describe(model: ClusterModel, partition: number): string {
  const counts = new Map<string, number>();
  for (let r = model.partitionReplicaStart[partition]!; r < model.partitionReplicaStart[partition + 1]!; r++) {
    const name = model.tables.rackNames[rackOf(model, r)]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const perRack = [...counts].map(([rack, n]) => `${rack}=${n}`).join(', ');
  const { aliveRacks } = factsOf(model);
  return `${model.partitionName(partition)} has replicas per rack ${perRack} over ${aliveRacks} alive racks: not within 1 of each other`;
}

export const rackAwareDistributionGoal: Goal = {
  name: 'RackAwareDistributionGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model } = ctx;
    const counts = new Int32Array(model.rackCount);
    for (let p = 0; p < model.partitionCount; p++) {
      if (!ctx.canMovePartition(p) || spread(model, p) <= 1) continue;
      // Each move lowers the fullest rack or fills an emptiest one: RF moves always suffice when any can be made.
      const rf = model.partitionReplicaStart[p + 1]! - model.partitionReplicaStart[p]!;
      for (let step = 0; step < rf && spread(model, p) > 1; step++) if (!moveOne(ctx, p, counts)) break;
    }
  },

  accepts(model: ClusterModel, move: Move): boolean {
    if (move.kind === 'replica') return keepsSpread(model, move.replica, move.toBroker);
    if (move.kind === 'swap') {
      return (
        keepsSpread(model, move.a, model.replicaBroker[move.b]!) &&
        keepsSpread(model, move.b, model.replicaBroker[move.a]!)
      );
    }
    return true;
  },

  status(model: ClusterModel, _thresholds?: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    for (let p = 0; p < model.partitionCount; p++) {
      if ((inScope && !inScope(p)) || spread(model, p) <= 1) continue;
      violations++;
      if (details.length < 5) details.push(describe(model, p));
    }
    return { satisfied: violations === 0, violations, details };
  },
};
