// ReplicaCapacityGoal: no broker holds more than max.replicas.per.broker (10,000) replicas. Hard.
// Moves the smallest replicas off a broker over the limit; vetoes moves onto a full broker.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { brokersByCount, countChanges, countOf } from './support/count-goal.js';
import { isAlive, replicaMove, replicasByBroker, replicasOn } from './support/model-queries.js';

export const replicaCapacityGoal: Goal = {
  name: 'ReplicaCapacityGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const max = thresholds.maxReplicasPerBroker;
    const grouping = replicasByBroker(model);
    for (const broker of brokersByCount(model, 'replicas').reverse()) {
      if (countOf(model, broker, 'replicas') <= max) break;
      // Smallest first: the fewest bytes for the same count.
      const replicas = replicasOn(grouping, model, broker).sort(
        (a, b) => model.replicaLoad(a, Resource.DISK) - model.replicaLoad(b, Resource.DISK),
      );
      for (const r of replicas) {
        if (countOf(model, broker, 'replicas') <= max) break;
        if (!ctx.canMovePartition(model.replicaPartition[r]!)) continue;
        const dests = brokersByCount(model, 'replicas');
        // The emptiest broker is full: no replica of any broker can go anywhere.
        if (dests.length === 0 || countOf(model, dests[0]!, 'replicas') >= max) return;
        for (const dest of dests) {
          if (countOf(model, dest, 'replicas') >= max) break;
          if (dest !== broker && ctx.canReceiveReplica(dest) && ctx.tryMove(replicaMove(model, r, dest))) break;
        }
      }
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    return countChanges(model, move, 'replicas').every(
      ([broker, delta]) => delta <= 0 || countOf(model, broker, 'replicas') + delta <= thresholds.maxReplicasPerBroker,
    );
  },

  status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    for (let b = 0; b < model.brokerCount; b++) {
      const count = countOf(model, b, 'replicas');
      if (!isAlive(model, b) || count <= thresholds.maxReplicasPerBroker) continue;
      violations++;
      if (details.length < 5)
        details.push(
          `broker ${model.brokerKafkaId(b)} holds ${count} replicas, max ${thresholds.maxReplicasPerBroker}`,
        );
    }
    return { satisfied: violations === 0, violations, details };
  },
};
