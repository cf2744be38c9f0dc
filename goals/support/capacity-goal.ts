// The capacity family (Disk/NetworkInbound/NetworkOutbound/CpuCapacityGoal): every alive broker
// stays under capacity × threshold for one resource. Hard in Cruise Control's defaults.
import { Resource, type ClusterModel } from '../../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './goal.js';
import {
  brokerCapacity,
  brokerLoad,
  brokersByUtilization,
  isAlive,
  leadershipDelta,
  moveSource,
  moveTarget,
  replicaMove,
  replicasByBroker,
  replicasOn,
  shiftAmount,
} from './model-queries.js';

type ThresholdKey = keyof GoalThresholds['capacityThreshold'];

/** Resources a leadership change relieves (the leader pays more than a follower). */
const LEADER_HEAVY: ReadonlySet<Resource> = new Set([Resource.CPU, Resource.NW_OUT]);

export function capacityLimit(model: ClusterModel, broker: number, resource: Resource, threshold: number): number {
  return brokerCapacity(model, broker, resource) * threshold;
}

/**
 * A capacity goal for `resource`. It moves leadership first where that relieves the resource (CPU,
 * network out), then the heaviest replicas to the least-used brokers that stay under their limit.
 * It vetoes any later move that pushes a broker over its limit or further over it.
 */
export function capacityGoal(name: string, resource: Resource, thresholdKey: ThresholdKey): Goal {
  const limitOf = (model: ClusterModel, b: number, t: GoalThresholds) =>
    capacityLimit(model, b, resource, t.capacityThreshold[thresholdKey]);

  return {
    name,
    hard: true,

    optimize(ctx: GoalContext): void {
      const { model, thresholds } = ctx;
      const grouping = replicasByBroker(model);
      const over = brokersByUtilization(model, resource)
        .reverse()
        .filter((b) => brokerLoad(model, b, resource) > limitOf(model, b, thresholds));
      for (const broker of over) {
        const isOver = () => brokerLoad(model, broker, resource) > limitOf(model, broker, thresholds);
        const replicas = replicasOn(grouping, model, broker).sort(
          (a, b) => model.replicaLoad(b, resource) - model.replicaLoad(a, resource),
        );
        if (LEADER_HEAVY.has(resource)) {
          for (const r of replicas) {
            if (!isOver()) break;
            if (model.isLeader(r)) moveLeadershipAway(ctx, r, resource, limitOf);
          }
        }
        for (const r of replicas) {
          if (!isOver()) break;
          if (model.replicaBroker[r] !== broker || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
          const load = model.replicaLoad(r, resource);
          if (load <= 0) continue;
          for (const dest of brokersByUtilization(model, resource)) {
            if (dest === broker || !ctx.canReceiveReplica(dest)) continue;
            if (brokerLoad(model, dest, resource) + load > limitOf(model, dest, thresholds)) continue;
            if (ctx.tryMove(replicaMove(model, r, dest))) break;
          }
        }
      }
    },

    accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
      // Only a broker that gains load can be pushed over its limit: the target when the amount is
      // positive, the source when a swap brings it more than it sends. No allocation: this runs on
      // every move every later goal tries.
      const amount = shiftAmount(model, move, resource);
      if (amount === 0) return true;
      const broker = amount > 0 ? moveTarget(model, move) : moveSource(model, move);
      const gain = Math.abs(amount);
      return broker < 0 || brokerLoad(model, broker, resource) + gain <= limitOf(model, broker, thresholds);
    },

    status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
      const details: string[] = [];
      let violations = 0;
      for (let b = 0; b < model.brokerCount; b++) {
        if (!isAlive(model, b)) continue;
        const load = brokerLoad(model, b, resource);
        const limit = limitOf(model, b, thresholds);
        if (load <= limit) continue;
        violations++;
        if (details.length < 5) {
          details.push(
            `broker ${model.brokerKafkaId(b)}: ${load.toFixed(1)} over its limit ${limit.toFixed(1)} ` +
              `(${(thresholds.capacityThreshold[thresholdKey] * 100).toFixed(0)}% of ${brokerCapacity(model, b, resource)})`,
          );
        }
      }
      return { satisfied: violations === 0, violations, details };
    },
  };
}

/** Hands the leadership of `replica`'s partition to the follower whose broker has the most room. */
function moveLeadershipAway(
  ctx: GoalContext,
  replica: number,
  resource: Resource,
  limitOf: (model: ClusterModel, b: number, t: GoalThresholds) => number,
): boolean {
  const { model, thresholds } = ctx;
  const p = model.replicaPartition[replica]!;
  const delta = leadershipDelta(model, p, resource);
  if (delta <= 0) return false;
  let best = -1;
  let bestRoom = 0;
  for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
    const b = model.replicaBroker[r]!;
    if (r === replica || !ctx.canLead(b)) continue;
    const room = limitOf(model, b, thresholds) - brokerLoad(model, b, resource) - delta;
    if (room >= 0 && (best < 0 || room > bestRoom)) {
      best = r;
      bestRoom = room;
    }
  }
  return best >= 0 && ctx.tryMove({ kind: 'leadership', partition: p, toReplica: best });
}
