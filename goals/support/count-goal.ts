// Replica and leader counts per broker, the quantities ReplicaCapacityGoal and the replica and
// leader distribution goals work on.
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  aliveCountTotal,
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

  /** The replicas of `broker` that can carry one unit of `kind` away: every replica (smallest first), or its leaders. */
  const carriers = (model: ClusterModel, grouping: ReplicasByBroker, broker: number): number[] => {
    const replicas = replicasOn(grouping, model, broker);
    if (kind === 'leaders') return replicas.filter((r) => model.isLeader(r));
    return replicas.sort((a, b) => model.replicaLoad(a, Resource.DISK) - model.replicaLoad(b, Resource.DISK));
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
        for (const r of carriers(model, grouping, source)) {
          if (countOf(model, source, kind) <= upper) break;
          if (model.replicaBroker[r] === source) shed(ctx, r, upper, brokersByCount(model, kind));
        }
      }
      // Fill brokers below the band from the highest-count brokers.
      for (const dest of brokersByCount(model, kind)) {
        if (countOf(model, dest, kind) >= lower) break;
        for (const source of brokersByCount(model, kind).reverse()) {
          if (
            countOf(model, dest, kind) >= lower ||
            countOf(model, source, kind) - 1 < Math.max(lower, countOf(model, dest, kind) + 2)
          )
            break;
          for (const r of carriers(model, grouping, source)) {
            if (
              countOf(model, dest, kind) >= lower ||
              countOf(model, source, kind) - 1 < Math.max(lower, countOf(model, dest, kind) + 1)
            )
              break;
            if (model.replicaBroker[r] !== source || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
            const p = model.replicaPartition[r]!;
            if (kind === 'leaders') {
              const onDest = model.replicaOnBroker(p, dest);
              if (onDest !== -1 && ctx.canLead(dest))
                ctx.tryMove({ kind: 'leadership', partition: p, toReplica: onDest });
            } else if (ctx.canReceiveReplica(dest) && model.replicaOnBroker(p, dest) === -1) {
              ctx.tryMove(replicaMove(model, r, dest));
            }
          }
        }
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      const changes = countChanges(model, move, kind);
      if (changes.length === 0) return true;
      const { lower, upper } = bounds(model, thresholds);
      for (const [broker, delta] of changes) {
        if (!isAlive(model, broker)) continue;
        const after = countOf(model, broker, kind) + delta;
        if ((delta > 0 && after > upper) || (delta < 0 && after < lower)) return false;
      }
      return true;
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
