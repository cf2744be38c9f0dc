// The usage-distribution family (Disk/NetworkInbound/NetworkOutbound/CpuUsageDistributionGoal):
// every alive broker's utilization of one resource within [mean × (2 − t), mean × t]. Soft.
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  brokerCapacity,
  brokerLoad,
  brokersByUtilization,
  isAlive,
  leadershipDelta,
  loadShift,
  replicaMove,
  replicasByBroker,
  replicasOn,
} from './model-queries.js';

type ThresholdKey = keyof GoalThresholds['balanceThreshold'];

/** Passes over the brokers; each pass only makes moves that narrow the spread, so a few suffice. */
const MAX_PASSES = 5;

/** Mean utilization of the alive brokers: total load over total capacity. */
export function meanUtilization(model: ClusterModel, resource: Resource): number {
  let load = 0;
  let capacity = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (!isAlive(model, b)) continue;
    load += brokerLoad(model, b, resource);
    capacity += brokerCapacity(model, b, resource);
  }
  return capacity > 0 ? load / capacity : 0;
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
      const threshold = thresholds.balanceThreshold[thresholdKey];
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        const { lower, upper } = boundsOf(model, resource, threshold);
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
        if (moved === 0) break;
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      const [from, minus, to, plus] = loadShift(model, move, resource);
      if (plus === 0) return true;
      const { lower, upper } = boundsOf(model, resource, thresholds.balanceThreshold[thresholdKey]);
      // Never push a broker above its band or drain one below it; moves inside the bands are free.
      const toAfter = brokerLoad(model, to, resource) + plus;
      if (plus > 0 && toAfter > upper(to) && toAfter > brokerLoad(model, to, resource)) return false;
      if (from >= 0 && isAlive(model, from)) {
        const fromAfter = brokerLoad(model, from, resource) + minus;
        if (fromAfter < lower(from) && fromAfter < brokerLoad(model, from, resource)) return false;
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
