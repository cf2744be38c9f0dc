// RackAwareGoal: no two replicas of a partition in one rack, so losing a rack loses at most one
// replica of anything. Hard. Moves the extra replica (a follower when possible) to the least-used
// broker of a rack the partition does not use; vetoes moves that would put two replicas in a rack.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { brokersByUtilization, isAlive, rackHasOtherReplica, replicaMove } from './support/model-queries.js';

/** Replicas of `partition` that share a rack with an earlier replica (the leader is kept when it can be). */
function extraReplicas(model: ClusterModel, partition: number): number[] {
  const start = model.partitionReplicaStart[partition]!;
  const end = model.partitionReplicaStart[partition + 1]!;
  const leader = model.partitionLeader[partition]!;
  // The leader first, so the replica that moves is a follower.
  const order = [...Array.from({ length: end - start }, (_, i) => start + i)].sort(
    (a, b) => Number(b === leader) - Number(a === leader),
  );
  const seen = new Set<number>();
  const extra: number[] = [];
  for (const r of order) {
    const rack = model.brokerRack[model.replicaBroker[r]!]!;
    if (seen.has(rack)) extra.push(r);
    seen.add(rack);
  }
  return extra;
}

export const rackAwareGoal: Goal = {
  name: 'RackAwareGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model } = ctx;
    for (let p = 0; p < model.partitionCount; p++) {
      for (const r of extraReplicas(model, p)) {
        if (!ctx.canMovePartition(p)) break;
        for (const dest of brokersByUtilization(model, Resource.DISK)) {
          if (!ctx.canReceiveReplica(dest) || rackHasOtherReplica(model, r, model.brokerRack[dest]!)) continue;
          if (ctx.tryMove(replicaMove(model, r, dest))) break;
        }
      }
    }
  },

  accepts(model: ClusterModel, move: Move): boolean {
    // Within one rack nothing changes; into another rack a replica must be its partition's only one there.
    const keepsRacks = (replica: number, toBroker: number) => {
      const toRack = model.brokerRack[toBroker]!;
      return toRack === model.brokerRack[model.replicaBroker[replica]!] || !rackHasOtherReplica(model, replica, toRack);
    };
    if (move.kind === 'replica') return keepsRacks(move.replica, move.toBroker);
    if (move.kind === 'swap') {
      return keepsRacks(move.a, model.replicaBroker[move.b]!) && keepsRacks(move.b, model.replicaBroker[move.a]!);
    }
    return true;
  },

  status(model: ClusterModel, _thresholds?: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    const aliveRacks = new Set<number>();
    for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b)) aliveRacks.add(model.brokerRack[b]!);
    for (let p = 0; p < model.partitionCount; p++) {
      if (inScope && !inScope(p)) continue;
      if (extraReplicas(model, p).length === 0) continue;
      violations++;
      if (details.length < 5) {
        const rf = model.replicationFactor(p);
        const name = model.partitionName(p);
        details.push(
          rf > aliveRacks.size
            ? `${name} has ${rf} replicas but only ${aliveRacks.size} racks are alive (exclude the topic or add racks)`
            : `${name} has two replicas in one rack`,
        );
      }
    }
    return { satisfied: violations === 0, violations, details };
  },
};
