// Replica and leader counts per broker, the quantities ReplicaCapacityGoal and the replica and
// leader distribution goals work on.
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  countShift,
  isAlive,
  replicaMove,
  replicasOn,
  type ReplicasByBroker,
  replicasByBroker,
} from './model-queries.js';

export type CountKind = 'replicas' | 'leaders';

export function countOf(model: ClusterModel, broker: number, kind: CountKind): number {
  return kind === 'replicas' ? model.brokerReplicaCount[broker]! : model.brokerLeaderCount[broker]!;
}

/** Mean count over alive brokers. */
export function meanCount(model: ClusterModel, kind: CountKind): number {
  let total = 0;
  let alive = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (!isAlive(model, b)) continue;
    total += countOf(model, b, kind);
    alive++;
  }
  return alive > 0 ? total / alive : 0;
}

/** How `move` changes `kind`'s count: `[from, to, amount]`; amount 0 when the move leaves it alone. */
export function countChange(model: ClusterModel, move: Move, kind: CountKind): [number, number, number] {
  const [from, to, replicas, leaders] = countShift(model, move);
  return [from, to, kind === 'replicas' ? replicas : leaders];
}

/** Alive brokers in ascending count order. */
export function brokersByCount(model: ClusterModel, kind: CountKind): number[] {
  const brokers: number[] = [];
  for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b)) brokers.push(b);
  return brokers.sort((a, b) => countOf(model, a, kind) - countOf(model, b, kind));
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

  /** One step that takes a unit of count from `source` and gives it to `dest`, if a legal one exists. */
  const transfer = (ctx: GoalContext, grouping: ReplicasByBroker, source: number, dest: number): boolean => {
    const { model } = ctx;
    const replicas = replicasOn(grouping, model, source);
    if (kind === 'replicas') {
      if (!ctx.canReceiveReplica(dest)) return false;
      replicas.sort((a, b) => model.replicaLoad(a, Resource.DISK) - model.replicaLoad(b, Resource.DISK));
      for (const r of replicas) {
        if (!ctx.canMovePartition(model.replicaPartition[r]!)) continue;
        if (model.replicaOnBroker(model.replicaPartition[r]!, dest) !== -1) continue;
        if (ctx.tryMove(replicaMove(model, r, dest))) return true;
      }
      return false;
    }
    if (!ctx.canLead(dest)) return false;
    for (const r of replicas) {
      if (!model.isLeader(r)) continue;
      const p = model.replicaPartition[r]!;
      const onDest = model.replicaOnBroker(p, dest);
      if (
        onDest !== -1 &&
        ctx.canMovePartition(p) &&
        ctx.tryMove({ kind: 'leadership', partition: p, toReplica: onDest })
      ) {
        return true;
      }
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
      for (let progress = true; progress;) {
        progress = false;
        const order = brokersByCount(model, kind);
        for (const source of [...order].reverse()) {
          const count = countOf(model, source, kind);
          if (count <= upper && order.every((b) => countOf(model, b, kind) >= lower)) break;
          for (const dest of order) {
            if (dest === source) continue;
            const destCount = countOf(model, dest, kind);
            const sourceCount = countOf(model, source, kind);
            // Only steps that narrow the spread: never push the destination above the source.
            if (destCount + 1 > upper || sourceCount - 1 < lower || destCount + 1 >= sourceCount) continue;
            if (sourceCount <= upper && destCount >= lower) continue;
            if (transfer(ctx, grouping, source, dest)) {
              progress = true;
              break;
            }
          }
        }
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      const [from, to, amount] = countChange(model, move, kind);
      if (amount === 0) return true;
      const { lower, upper } = bounds(model, thresholds);
      if (countOf(model, to, kind) + amount > upper) return false;
      return from < 0 || !isAlive(model, from) || countOf(model, from, kind) - amount >= lower;
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
