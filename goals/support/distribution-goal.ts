// The usage-distribution family (Disk/NetworkInbound/NetworkOutbound/CpuUsageDistributionGoal):
// every alive broker's utilization of one resource within [mean × (2 − t), mean × t]. Soft.
import { getOrInsert } from '../../src/common/collections.js';
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  aliveCapacityTotal,
  aliveLoadTotal,
  brokerCapacity,
  brokerLoad,
  brokersByUtilization,
  isAlive,
  leadershipDelta,
  loadShift,
  replicaMove,
  replicasByBroker,
  replicasOn,
  shiftEnds,
  type ReplicasByBroker,
} from './model-queries.js';

type ThresholdKey = keyof GoalThresholds['balanceThreshold'];

/** Passes over the brokers; each pass only makes moves that narrow the spread, so a few suffice. */
const MAX_PASSES = 5;

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
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const { lower, upper } = boundsOf(model, resource, aim);
        const grouping = replicasByBroker(model);
        let moved = 0;
        const order = brokersByUtilization(model, resource);
        // Shed from the most loaded brokers first.
        for (const source of [...order].reverse()) {
          if (brokerLoad(model, source, resource) <= upper(source)) break;
          const replicas = replicasOn(grouping, model, source).sort(
            (a, b) => efficiency(model, b) - efficiency(model, a),
          );
          for (const r of replicas) {
            const excess = brokerLoad(model, source, resource) - upper(source);
            if (excess <= 0) break;
            if (!ctx.canMovePartition(model.replicaPartition[r]!)) continue;
            if (leaderHeavy && model.isLeader(r) && shedLeadership(ctx, r, resource, lower, upper)) {
              moved++;
              continue;
            }
            const load = movable(model, r);
            if (load <= 0 || brokerLoad(model, source, resource) - load < lower(source)) continue;
            for (const dest of brokersByUtilization(model, resource)) {
              if (dest === source || !ctx.canReceiveReplica(dest)) continue;
              if (brokerLoad(model, dest, resource) + load > upper(dest)) continue;
              if (ctx.tryMove(replicaMove(model, r, dest))) {
                moved++;
                break;
              }
            }
          }
        }
        // Fill the least loaded brokers from the most loaded ones.
        for (const dest of brokersByUtilization(model, resource)) {
          if (brokerLoad(model, dest, resource) >= lower(dest)) break;
          if (!ctx.canReceiveReplica(dest)) continue;
          for (const source of brokersByUtilization(model, resource).reverse()) {
            if (brokerLoad(model, dest, resource) >= lower(dest)) break;
            if (source === dest) continue;
            for (const r of replicasOn(grouping, model, source)) {
              const load = movable(model, r);
              if (load <= 0 || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
              if (brokerLoad(model, source, resource) - load < lower(source)) continue;
              if (brokerLoad(model, dest, resource) + load > upper(dest)) continue;
              if (ctx.tryMove(replicaMove(model, r, dest))) moved++;
              if (brokerLoad(model, dest, resource) >= lower(dest)) break;
            }
          }
        }
        // Sources still above their band once counts or capacities block plain moves: swap a heavy
        // replica for a light one, so the counts stay and only the difference moves.
        for (const source of brokersByUtilization(model, resource).reverse()) {
          if (brokerLoad(model, source, resource) <= upper(source)) break;
          moved += swapDown(ctx, grouping, source, resource, efficiency, lower, upper);
        }
        if (moved === 0) break;
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      const ends = shiftEnds(loadShift(model, move, resource)).filter(([, delta]) => delta !== 0);
      if (ends.length === 0) return true;
      const { lower, upper } = boundsOf(model, resource, thresholds.balanceThreshold[thresholdKey]);
      // Never push a broker above its band or drain one below it; moves inside the bands are free.
      for (const [broker, delta] of ends) {
        if (!isAlive(model, broker)) continue;
        const after = brokerLoad(model, broker, resource) + delta;
        if (delta > 0 && after > upper(broker)) return false;
        if (delta < 0 && after < lower(broker)) return false;
      }
      return true;
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

/** Partners tried on one destination for one heavy replica. */
const SWAP_TRIES_PER_DEST = Infinity;
/** Heavy replicas tried without a swap before the source is given up on. */
const SWAP_MISSES_PER_SOURCE = 2000;

/**
 * Swaps replicas of `source` with lighter replicas of brokers below their upper bound until
 * `source` is within its band: the heaviest replica of `source` first, each time with the partner
 * that gives the most relief while keeping both brokers in their bands (per destination found by
 * binary search in its replicas sorted by load). Returns the swaps made.
 */
function swapDown(
  ctx: GoalContext,
  grouping: ReplicasByBroker,
  source: number,
  resource: Resource,
  efficiency: (model: ClusterModel, r: number) => number,
  lower: (b: number) => number,
  upper: (b: number) => number,
): number {
  const { model } = ctx;
  const load = (r: number) => model.replicaLoad(r, resource);
  const sorted = new Map<number, number[]>();
  const byLoad = (dest: number): number[] =>
    getOrInsert(sorted, dest, () => replicasOn(grouping, model, dest).sort((a, b) => load(a) - load(b)));
  let swaps = 0;
  let misses = 0;
  const heavy = replicasOn(grouping, model, source).sort((a, b) => efficiency(model, b) - efficiency(model, a));
  for (const r of heavy) {
    if (brokerLoad(model, source, resource) <= upper(source) || misses >= SWAP_MISSES_PER_SOURCE) break;
    if (model.replicaBroker[r] !== source || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
    const rLoad = load(r);
    const sourceSlack = brokerLoad(model, source, resource) - lower(source);
    let swapped = false;
    for (const dest of brokersByUtilization(model, resource)) {
      const room = upper(dest) - brokerLoad(model, dest, resource);
      if (dest === source || room <= 0) continue;
      // Lightest partners first: the most relief. When even the lightest overfills the destination,
      // every heavier one relieves less than it could elsewhere, so the destination is skipped.
      const candidates = byLoad(dest);
      const lightest = candidates.find((x) => model.replicaBroker[x] === dest);
      if (lightest === undefined || rLoad - load(lightest) > room) continue;
      // Partners lighter than rLoad − sourceSlack would drain the source below its band: skip them.
      let i = lowerBound(candidates, rLoad - sourceSlack, load);
      for (let tries = 0; i < candidates.length && tries < SWAP_TRIES_PER_DEST; i++) {
        const s = candidates[i]!;
        if (model.replicaBroker[s] !== dest) continue;
        if (rLoad - load(s) <= 0) break;
        // A partner whose partition the source already holds can never swap there (the common case
        // next to a hot broker): skip it without spending a try.
        if (model.replicaOnBroker(model.replicaPartition[s]!, source) !== -1) continue;
        tries++;
        if (ctx.tryMove({ kind: 'swap', a: r, b: s })) {
          swapped = true;
          sorted.delete(dest);
          break;
        }
      }
      if (swapped) break;
    }
    if (swapped) swaps++;
    else misses++;
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
