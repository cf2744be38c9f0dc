// The usage-distribution family (Disk/NetworkInbound/NetworkOutbound/CpuUsageDistributionGoal):
// every alive broker's utilization of one resource within [mean × (2 − t), mean × t]. Soft.
import { getOrInsert } from '../../src/common/pure.js';
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  aliveCapacityTotal,
  aliveLoadTotal,
  brokerCapacity,
  brokerLoad,
  breaksRack,
  brokersByUtilization,
  isAlive,
  leadershipDelta,
  moveSource,
  moveTarget,
  replicaMove,
  replicasByBroker,
  replicasOn,
  shiftAmount,
  sortedBy,
  type ReplicasByBroker,
} from './model-queries.js';

type ThresholdKey = keyof GoalThresholds['balanceThreshold'];

/** Passes over the brokers; each pass only makes moves that narrow the spread, so a few suffice. */
const MAX_PASSES = 5;

/**
 * Replicas of one source in a row that no destination accepts before plain moves from it stop:
 * once a source sits at the floor of the replica-count band every move off it is vetoed, and
 * swaps (which keep counts) take over.
 */
const PLAIN_MISSES = 64;

/**
 * The share of the threshold's allowed spread the goal optimizes toward. Landing just inside
 * Cruise Control's band leaves brokers at 1.10 × mean; aiming at half of it leaves room for later
 * goals and gives a visibly flatter cluster for a few more moves.
 */
const AIM_FRACTION = 0.5;

/** Mean utilization of the alive brokers: total load over total capacity. */
export function meanUtilization(model: ClusterModel, resource: Resource): number {
  const capacity = aliveCapacityTotal(model, resource);
  return capacity > 0 ? aliveLoadTotal(model, resource) / capacity : 0;
}

interface Bounds {
  lower: (b: number) => number;
  upper: (b: number) => number;
}

function boundsOf(model: ClusterModel, resource: Resource, threshold: number): Bounds {
  const mean = meanUtilization(model, resource);
  return {
    upper: (b) => brokerCapacity(model, b, resource) * mean * threshold,
    lower: (b) => brokerCapacity(model, b, resource) * mean * Math.max(0, 2 - threshold),
  };
}

/**
 * A distribution goal for `resource`. Overloaded brokers shed load to the least-used brokers —
 * leadership first where it relieves the resource, then replicas, preferring replicas that carry
 * the most of the resource per MB moved (for disk, simply the ones that fit) — and underloaded
 * brokers take replicas from the most loaded. A move is only made when neither end leaves its band.
 */
export function distributionGoal(name: string, resource: Resource, thresholdKey: ThresholdKey): Goal {
  const leaderHeavy = resource === Resource.CPU || resource === Resource.NW_OUT;

  const movable = (model: ClusterModel, r: number) => model.replicaLoad(r, resource);
  /** Resource carried per MB moved: prefer cheap moves for the same relief. */
  const efficiency = (model: ClusterModel, r: number) =>
    resource === Resource.DISK ? movable(model, r) : movable(model, r) / (1 + model.replicaLoad(r, Resource.DISK));

  const goal: Goal = {
    name,
    hard: false,

    optimize(ctx: GoalContext): void {
      const { model, thresholds } = ctx;
      // Aim at half the allowed spread (1.05 for Cruise Control's 1.10); judge and veto with all of it.
      const aim = 1 + (thresholds.balanceThreshold[thresholdKey] - 1) * AIM_FRACTION;
      const search: Search = { ctx, resource, gate: new RackGate() };
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const bounds = boundsOf(model, resource, aim);
        const { lower, upper } = bounds;
        const grouping = replicasByBroker(model);
        let moved = 0;
        const order = brokersByUtilization(model, resource);
        // Shed from the most loaded brokers first.
        for (const source of [...order].reverse()) {
          if (brokerLoad(model, source, resource) <= upper(source)) break;
          const replicas = sortedBy(replicasOn(grouping, model, source), (r) => -efficiency(model, r));
          let dests: number[] | null = null;
          let misses = 0;
          for (const r of replicas) {
            const excess = brokerLoad(model, source, resource) - upper(source);
            if (excess <= 0 || misses >= PLAIN_MISSES) break;
            if (!ctx.canMovePartition(model.replicaPartition[r]!)) continue;
            if (leaderHeavy && model.isLeader(r) && shedLeadership(ctx, r, resource, lower, upper)) {
              moved++;
              dests = null;
              continue;
            }
            const load = movable(model, r);
            if (load <= 0 || brokerLoad(model, source, resource) - load < lower(source)) continue;
            // Loads only change when a move is made: re-sort the destinations then, not per replica.
            dests ??= brokersByUtilization(model, resource);
            if (moveToFirst(search, r, dests, bounds)) {
              moved++;
              misses = 0;
              dests = null;
            } else misses++;
          }
        }
        // Fill the least loaded brokers from the most loaded ones.
        for (const dest of brokersByUtilization(model, resource)) {
          if (brokerLoad(model, dest, resource) >= lower(dest)) break;
          if (!ctx.canReceiveReplica(dest)) continue;
          for (const source of brokersByUtilization(model, resource).reverse()) {
            if (brokerLoad(model, dest, resource) >= lower(dest)) break;
            // Every broker's lower bound is the same utilization, and sources come most used first:
            // once one is at its floor, no later one can give anything (every replica would drain it).
            if (brokerLoad(model, source, resource) <= lower(source)) break;
            if (source === dest) continue;
            let misses = 0;
            for (const r of replicasOn(grouping, model, source)) {
              if (misses >= PLAIN_MISSES) break;
              const load = movable(model, r);
              if (load <= 0 || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
              if (brokerLoad(model, source, resource) - load < lower(source)) continue;
              if (brokerLoad(model, dest, resource) + load > upper(dest)) continue;
              if (model.replicaOnBroker(model.replicaPartition[r]!, dest) !== -1) continue;
              if (attempt(search, replicaMove(model, r, dest), breaksRack(model, r, dest))) {
                moved++;
                misses = 0;
              } else misses++;
              if (brokerLoad(model, dest, resource) >= lower(dest)) break;
            }
          }
        }
        // Sources still above their band once counts or capacities block plain moves: swap a heavy
        // replica for a light one, so the counts stay and only the difference moves.
        for (const source of brokersByUtilization(model, resource).reverse()) {
          if (brokerLoad(model, source, resource) <= upper(source)) break;
          moved += swapDown(search, grouping, source, efficiency, bounds);
        }
        if (moved === 0) break;
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      // Never push a broker above its band or drain one below it; moves inside the bands are free.
      // Allocation-free: this runs on every move every later goal tries.
      const amount = shiftAmount(model, move, resource);
      if (amount === 0) return true;
      const threshold = thresholds.balanceThreshold[thresholdKey];
      const mean = meanUtilization(model, resource);
      const gainer = amount > 0 ? moveTarget(model, move) : moveSource(model, move);
      const loser = amount > 0 ? moveSource(model, move) : moveTarget(model, move);
      const n = Math.abs(amount);
      if (gainer >= 0 && isAlive(model, gainer)) {
        if (brokerLoad(model, gainer, resource) + n > brokerCapacity(model, gainer, resource) * mean * threshold)
          return false;
      }
      if (loser < 0 || !isAlive(model, loser)) return true;
      const lowest = brokerCapacity(model, loser, resource) * mean * Math.max(0, 2 - threshold);
      return brokerLoad(model, loser, resource) - n >= lowest;
    },

    status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
      const { lower, upper } = boundsOf(model, resource, thresholds.balanceThreshold[thresholdKey]);
      const details: string[] = [];
      let violations = 0;
      for (let b = 0; b < model.brokerCount; b++) {
        if (!isAlive(model, b)) continue;
        const load = brokerLoad(model, b, resource);
        if (load <= upper(b) + 1e-9 && load >= lower(b) - 1e-9) continue;
        violations++;
        if (details.length < 5) {
          details.push(
            `broker ${model.brokerKafkaId(b)}: ${load.toFixed(1)} outside [${lower(b).toFixed(1)}, ${upper(b).toFixed(1)}]`,
          );
        }
      }
      return { satisfied: violations === 0, violations, details };
    },
  };
  return goal;
}

/** One goal run's search: its context, its resource, what it learned about rack vetoes. */
interface Search {
  ctx: GoalContext;
  resource: Resource;
  gate: RackGate;
}

/** Rack-breaking tries vetoed, none accepted, before the run stops trying them. */
const RACK_PROBES = 16;

/**
 * Whether moves that would put a second replica of a partition into one rack are worth trying in
 * this run. Under RackAwareGoal (hard, first in Cruise Control's order) every one is vetoed, and
 * next to a hot broker they are most candidates; once {@link RACK_PROBES} of them were vetoed and
 * none accepted, they are skipped without asking. Without RackAwareGoal the first is accepted and
 * the gate stays open, so the search is the same as without it.
 */
class RackGate {
  private tries = 0;
  private accepted = 0;

  get open(): boolean {
    return this.accepted > 0 || this.tries < RACK_PROBES;
  }

  record(accepted: boolean): void {
    this.tries++;
    if (accepted) this.accepted++;
  }
}

/** `ctx.tryMove(move)`, unless it breaks rack awareness and the gate says such moves are vetoed. */
function attempt(search: Search, move: Move, breaks: boolean): boolean {
  if (breaks && !search.gate.open) return false;
  const applied = search.ctx.tryMove(move);
  if (breaks) search.gate.record(applied);
  return applied;
}

/** Moves `r` to the first broker of `dests` (least used first) that stays in its band and accepts it. */
function moveToFirst(search: Search, r: number, dests: readonly number[], bounds: Bounds): boolean {
  const { ctx, resource } = search;
  const { model } = ctx;
  const source = model.replicaBroker[r]!;
  const p = model.replicaPartition[r]!;
  const load = model.replicaLoad(r, resource);
  for (const dest of dests) {
    if (dest === source || !ctx.canReceiveReplica(dest)) continue;
    if (brokerLoad(model, dest, resource) + load > bounds.upper(dest)) continue;
    if (model.replicaOnBroker(p, dest) !== -1) continue;
    if (attempt(search, replicaMove(model, r, dest), breaksRack(model, r, dest))) return true;
  }
  return false;
}

/** Moves `replica`'s leadership to a follower whose broker stays within its band, when that helps. */
function shedLeadership(
  ctx: GoalContext,
  replica: number,
  resource: Resource,
  lower: (b: number) => number,
  upper: (b: number) => number,
): boolean {
  const { model } = ctx;
  const p = model.replicaPartition[replica]!;
  const delta = leadershipDelta(model, p, resource);
  const source = model.replicaBroker[replica]!;
  if (delta <= 0 || brokerLoad(model, source, resource) - delta < lower(source)) return false;
  for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
    const b = model.replicaBroker[r]!;
    if (r === replica || !ctx.canLead(b) || brokerLoad(model, b, resource) + delta > upper(b)) continue;
    if (ctx.tryMove({ kind: 'leadership', partition: p, toReplica: r })) return true;
  }
  return false;
}

/** Swap partners tried (asked of the earlier goals) for one heavy replica, over all destinations. */
const SWAP_TRIES_PER_REPLICA = 32;
/** Heavy replicas tried without a swap before the source is given up on. */
const SWAP_MISSES_PER_SOURCE = 2000;

/**
 * Swaps replicas of `source` with lighter replicas of brokers below their upper bound until
 * `source` is within its band: the heaviest replica of `source` first, each time with the partner
 * that gives the most relief while keeping both brokers in their bands (per destination found by
 * binary search in its replicas sorted by load). Partners that can never be accepted are left out
 * before anything is asked: replicas of partitions `source` already holds, and — once the run has
 * seen such swaps vetoed — swaps that would put two replicas of a partition in one rack. Returns the
 * swaps made.
 */
function swapDown(
  search: Search,
  grouping: ReplicasByBroker,
  source: number,
  efficiency: (model: ClusterModel, r: number) => number,
  { lower, upper }: Bounds,
): number {
  const { ctx, resource, gate } = search;
  const { model } = ctx;
  const load = (r: number) => model.replicaLoad(r, resource);
  const partitionOf = (r: number) => model.replicaPartition[r]!;
  // Per destination, its replicas that could come to `source`, lightest first. Built once per call:
  // a swap only takes a partner away (skipped by the broker check) and brings a replica of the
  // source, never a partner, so the list stays good.
  const sorted = new Map<number, number[]>();
  const partners = (dest: number): number[] =>
    getOrInsert(sorted, dest, () =>
      sortedBy(
        replicasOn(grouping, model, dest).filter(
          (s) =>
            model.replicaOnBroker(partitionOf(s), source) === -1 &&
            ctx.canMovePartition(partitionOf(s)) &&
            (gate.open || !breaksRack(model, s, source)),
        ),
        load,
      ),
    );
  let swaps = 0;
  let misses = 0;
  let dests: number[] | null = null;
  const heavy = sortedBy(replicasOn(grouping, model, source), (r) => -efficiency(model, r));
  for (const r of heavy) {
    if (brokerLoad(model, source, resource) <= upper(source) || misses >= SWAP_MISSES_PER_SOURCE) break;
    if (model.replicaBroker[r] !== source || !ctx.canMovePartition(partitionOf(r))) continue;
    const rLoad = load(r);
    const sourceSlack = brokerLoad(model, source, resource) - lower(source);
    let budget = SWAP_TRIES_PER_REPLICA;
    let swapped = false;
    dests ??= brokersByUtilization(model, resource);
    for (const dest of dests) {
      if (budget <= 0) break;
      const room = upper(dest) - brokerLoad(model, dest, resource);
      if (dest === source || room <= 0 || !ctx.canReceiveReplica(dest)) continue;
      if (model.replicaOnBroker(partitionOf(r), dest) !== -1) continue;
      const rBreaks = breaksRack(model, r, dest);
      if (rBreaks && !gate.open) continue;
      // Lightest partners first: the most relief. When even the lightest overfills the destination,
      // every heavier one relieves less than it could elsewhere, so the destination is skipped.
      const candidates = partners(dest);
      const lightest = candidates.find((x) => model.replicaBroker[x] === dest);
      if (lightest === undefined || rLoad - load(lightest) > room) continue;
      // Partners lighter than rLoad − sourceSlack would drain the source below its band: skip them.
      for (let i = lowerBound(candidates, rLoad - sourceSlack, load); i < candidates.length && budget > 0; i++) {
        const s = candidates[i]!;
        if (model.replicaBroker[s] !== dest) continue;
        if (rLoad - load(s) <= 0) break;
        // Still legal and rack-safe? Earlier swaps may have brought the partition to the source.
        if (model.replicaOnBroker(partitionOf(s), source) !== -1) continue;
        const breaks = rBreaks || breaksRack(model, s, source);
        if (breaks && !gate.open) continue;
        budget--;
        if (attempt(search, { kind: 'swap', a: r, b: s }, breaks)) {
          swapped = true;
          break;
        }
      }
      if (swapped) break;
    }
    if (swapped) {
      swaps++;
      dests = null;
    } else misses++;
  }
  return swaps;
}

/** First index of `sorted` (ascending by `key`) whose key is at least `value`. */
function lowerBound(sorted: readonly number[], value: number, key: (x: number) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(sorted[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
