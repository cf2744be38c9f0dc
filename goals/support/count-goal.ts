// Replica and leader counts per broker, the quantities ReplicaCapacityGoal and the replica and
// leader distribution goals work on.
import { getOrInsert } from '../../src/common/pure.js';
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  aliveCountTotal,
  aliveLoadTotal,
  countAmount,
  countShift,
  isAlive,
  leadershipDelta,
  moveSource,
  moveTarget,
  replicaMove,
  replicasOn,
  sortedBy,
  type ReplicasByBroker,
  replicasByBroker,
} from './model-queries.js';

export type CountKind = 'replicas' | 'leaders';

/**
 * Units of one source in a row that a destination refuses (earlier goals veto them) before the
 * fill moves on to the next source: next to a hot broker most are vetoed, and listing them all for
 * every pair of brokers was most of the goal's time.
 */
const MISSES_PER_PAIR = 64;

const RESOURCES: readonly Resource[] = [Resource.CPU, Resource.NW_IN, Resource.NW_OUT, Resource.DISK];

export function countOf(model: ClusterModel, broker: number, kind: CountKind): number {
  return kind === 'replicas' ? model.brokerReplicaCount[broker]! : model.brokerLeaderCount[broker]!;
}

/** Mean count over alive brokers. */
export function meanCount(model: ClusterModel, kind: CountKind): number {
  const { total, brokers } = aliveCountTotal(model, kind);
  return brokers > 0 ? total / brokers : 0;
}

/** `[broker, delta]` of `kind`'s count for each broker `move` changes it on. */
export function countChanges(model: ClusterModel, move: Move, kind: CountKind): [number, number][] {
  const [from, to, replicas, leaders] = countShift(model, move);
  const amount = kind === 'replicas' ? replicas : leaders;
  if (amount === 0) return [];
  return from < 0
    ? [[to, amount]]
    : [
        [from, -amount],
        [to, amount],
      ];
}

/** The last order brokersByCount returned per model and kind: the next call only repairs it. */
const lastOrders = new WeakMap<ClusterModel, Record<CountKind, Int32Array | null>>();

/**
 * Alive brokers in ascending count order, ties by broker index. Goals ask after every move, and
 * a move changes two counts by one, so the previous order (kept per model) is repaired by an
 * insertion sort: O(brokers) per call instead of a full sort. Always a correct sort of the
 * current counts, whatever happened to the model in between.
 */
export function brokersByCount(model: ClusterModel, kind: CountKind): number[] {
  const n = model.brokerCount;
  const orders = getOrInsertWeak(lastOrders, model, () => ({ replicas: null, leaders: null }));
  let order = orders[kind];
  if (order === null) {
    // First call: a numeric sort of packed keys (count × brokers + broker).
    const keys = new Float64Array(n);
    for (let b = 0; b < n; b++) keys[b] = countOf(model, b, kind) * n + b;
    keys.sort();
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = keys[i]! % n;
    orders[kind] = order;
  } else {
    for (let i = 1; i < n; i++) {
      const b = order[i]!;
      const c = countOf(model, b, kind);
      let j = i - 1;
      for (; j >= 0; j--) {
        const other = order[j]!;
        const oc = countOf(model, other, kind);
        if (oc < c || (oc === c && other < b)) break;
        order[j + 1] = other;
      }
      order[j + 1] = b;
    }
  }
  const brokers: number[] = [];
  for (let i = 0; i < n; i++) if (isAlive(model, order[i]!)) brokers.push(order[i]!);
  return brokers;
}

function getOrInsertWeak<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * Replica or leader counts within [floor(mean × (2 − t)), ceil(mean × t)] on every alive broker
 * (Cruise Control's ReplicaDistributionGoal and LeaderReplicaDistributionGoal). Replicas move
 * smallest first (fewest bytes per count); leader counts change by leadership moves only.
 */
export function countDistributionGoal(name: string, kind: CountKind, threshold: (t: GoalThresholds) => number): Goal {
  const bounds = (model: ClusterModel, t: GoalThresholds) => {
    const mean = meanCount(model, kind);
    return { upper: Math.ceil(mean * threshold(t)), lower: Math.floor(mean * Math.max(0, 2 - threshold(t))) };
  };

  /**
   * The replicas of `broker` that can carry one unit of `kind` away: every replica (smallest
   * first), or its leaders, those whose leadership shifts the least load first (each resource as
   * a share of the cluster's total): they disturb the resource balance least, so the distribution
   * goals before this one veto them least.
   */
  const carriers = (model: ClusterModel, grouping: ReplicasByBroker, broker: number): number[] => {
    const replicas = replicasOn(grouping, model, broker);
    if (kind === 'leaders') {
      const totals = RESOURCES.map((k) => aliveLoadTotal(model, k));
      const weight = (r: number) => {
        const p = model.replicaPartition[r]!;
        let w = 0;
        for (let k = 0; k < RESOURCES.length; k++) {
          if (totals[k]! > 0) w += Math.abs(leadershipDelta(model, p, RESOURCES[k]!)) / totals[k]!;
        }
        return w;
      };
      return sortedBy(
        replicas.filter((r) => model.isLeader(r)),
        weight,
      );
    }
    return sortedBy(replicas, (r) => model.replicaLoad(r, Resource.DISK));
  };

  /** Moves one unit of `kind` carried by `r` to the eligible broker with the lowest count. */
  const shed = (ctx: GoalContext, r: number, limit: number, alive: number[]): boolean => {
    const { model } = ctx;
    const p = model.replicaPartition[r]!;
    if (!ctx.canMovePartition(p)) return false;
    const source = model.replicaBroker[r]!;
    const sourceCount = countOf(model, source, kind);
    if (kind === 'leaders') {
      // Leadership can only go to a broker already holding a replica of the partition.
      let best = -1;
      for (let other = model.partitionReplicaStart[p]!; other < model.partitionReplicaStart[p + 1]!; other++) {
        const b = model.replicaBroker[other]!;
        const c = countOf(model, b, kind);
        if (other === r || !ctx.canLead(b) || c + 1 > limit || c + 1 >= sourceCount) continue;
        if (best < 0 || c < countOf(model, model.replicaBroker[best]!, kind)) best = other;
      }
      return best >= 0 && ctx.tryMove({ kind: 'leadership', partition: p, toReplica: best });
    }
    for (const dest of alive) {
      const c = countOf(model, dest, kind);
      if (c + 1 > limit || c + 1 >= sourceCount) break;
      if (dest === source || !ctx.canReceiveReplica(dest) || model.replicaOnBroker(p, dest) !== -1) continue;
      if (ctx.tryMove(replicaMove(model, r, dest))) return true;
    }
    return false;
  };

  return {
    name,
    hard: false,

    optimize(ctx: GoalContext): void {
      const { model, thresholds } = ctx;
      const { lower, upper } = bounds(model, thresholds);
      const grouping = replicasByBroker(model);
      // Shed from brokers above the band, each unit to the lowest-count eligible broker.
      for (const source of brokersByCount(model, kind).reverse()) {
        if (countOf(model, source, kind) <= upper) break;
        // Counts only change when a unit moves: re-sort the destinations then, not per replica.
        let order: number[] | null = null;
        for (const r of carriers(model, grouping, source)) {
          if (countOf(model, source, kind) <= upper) break;
          if (model.replicaBroker[r] !== source) continue;
          order ??= kind === 'leaders' ? [] : brokersByCount(model, kind);
          if (shed(ctx, r, upper, order)) order = null;
        }
      }
      // Fill brokers below the band from the highest-count brokers. Each source's carriers are
      // listed once: units that left since are skipped by the checks below.
      const listed = new Map<number, number[]>();
      for (const dest of brokersByCount(model, kind)) {
        if (countOf(model, dest, kind) >= lower) break;
        for (const source of brokersByCount(model, kind).reverse()) {
          if (
            countOf(model, dest, kind) >= lower ||
            countOf(model, source, kind) - 1 < Math.max(lower, countOf(model, dest, kind) + 2)
          )
            break;
          let misses = 0;
          for (const r of getOrInsert(listed, source, () => carriers(model, grouping, source))) {
            if (
              countOf(model, dest, kind) >= lower ||
              countOf(model, source, kind) - 1 < Math.max(lower, countOf(model, dest, kind) + 1) ||
              misses >= MISSES_PER_PAIR
            )
              break;
            if (model.replicaBroker[r] !== source || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
            const p = model.replicaPartition[r]!;
            if (kind === 'leaders') {
              const onDest = model.replicaOnBroker(p, dest);
              if (onDest === -1 || !model.isLeader(r) || !ctx.canLead(dest)) continue;
              if (ctx.tryMove({ kind: 'leadership', partition: p, toReplica: onDest })) misses = 0;
              else misses++;
            } else if (ctx.canReceiveReplica(dest) && model.replicaOnBroker(p, dest) === -1) {
              if (ctx.tryMove(replicaMove(model, r, dest))) misses = 0;
              else misses++;
            }
          }
        }
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      // Allocation-free: this runs on every move every later goal tries.
      const amount = countAmount(model, move, kind);
      if (amount === 0) return true;
      const mean = meanCount(model, kind);
      const t = threshold(thresholds);
      // The broker that gains must stay at or under the upper bound, the one that loses at or over the lower.
      const gainer = amount > 0 ? moveTarget(model, move) : moveSource(model, move);
      const loser = amount > 0 ? moveSource(model, move) : moveTarget(model, move);
      const n = Math.abs(amount);
      if (gainer >= 0 && isAlive(model, gainer) && countOf(model, gainer, kind) + n > Math.ceil(mean * t)) return false;
      return (
        loser < 0 || !isAlive(model, loser) || countOf(model, loser, kind) - n >= Math.floor(mean * Math.max(0, 2 - t))
      );
    },

    status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
      const { lower, upper } = bounds(model, thresholds);
      const details: string[] = [];
      let violations = 0;
      for (let b = 0; b < model.brokerCount; b++) {
        const count = countOf(model, b, kind);
        if (!isAlive(model, b) || (count >= lower && count <= upper)) continue;
        violations++;
        if (details.length < 5)
          details.push(`broker ${model.brokerKafkaId(b)} has ${count} ${kind}, outside [${lower}, ${upper}]`);
      }
      return { satisfied: violations === 0, violations, details };
    },
  };
}
