// PreferredLeaderElectionGoal: each partition led by its first (preferred) replica, when that broker
// may lead. Soft and last in Cruise Control's order; it vetoes nothing, and earlier goals may veto
// the leadership changes it wants (then the partition keeps its current leader).
import type { ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus } from './support/goal.js';
import { isAlive } from './support/model-queries.js';

/** The preferred replica of `partition` when it could lead and does not, else -1. */
function preferredIfNotLeading(model: ClusterModel, partition: number): number {
  const preferred = model.partitionReplicaStart[partition]!;
  if (model.partitionLeader[partition] === preferred) return -1;
  return isAlive(model, model.replicaBroker[preferred]!) ? preferred : -1;
}

export const preferredLeaderElectionGoal: Goal = {
  name: 'PreferredLeaderElectionGoal',
  hard: false,

  optimize(ctx: GoalContext): void {
    for (let p = 0; p < ctx.model.partitionCount; p++) {
      const preferred = preferredIfNotLeading(ctx.model, p);
      if (preferred >= 0 && ctx.canLead(ctx.model.replicaBroker[preferred]!)) {
        ctx.tryMove({ kind: 'leadership', partition: p, toReplica: preferred });
      }
    }
  },

  accepts(): boolean {
    return true;
  },

  status(model: ClusterModel): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    for (let p = 0; p < model.partitionCount; p++) {
      if (preferredIfNotLeading(model, p) < 0) continue;
      violations++;
      if (details.length < 5) {
        details.push(`${model.partitionName(p)} is not led by its preferred replica`);
      }
    }
    return { satisfied: violations === 0, violations, details };
  },
};
