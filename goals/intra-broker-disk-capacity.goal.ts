// IntraBrokerDiskCapacityGoal (JBOD): every alive disk under disk.capacity.threshold (0.8) of its
// capacity, and no replica left on a dead disk of an alive broker. Hard, used with rebalance_disk.
// Moves replicas between the disks of their own broker (AlterReplicaLogDirs), largest first;
// vetoes any move that would fill a disk past its limit.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { diskShifts, isAlive } from './support/model-queries.js';

const limitOf = (model: ClusterModel, disk: number, t: GoalThresholds) =>
  model.diskCapacityMb[disk]! * t.capacityThreshold.disk;

/** Disks of each broker, by broker index. */
function disksByBroker(model: ClusterModel): number[][] {
  const disks: number[][] = Array.from({ length: model.brokerCount }, () => []);
  for (let d = 0; d < model.diskCount; d++) disks[model.diskBroker[d]!]!.push(d);
  return disks;
}

/** True when `disk` must be emptied or relieved: dead, or over its limit. */
function needsRelief(model: ClusterModel, disk: number, t: GoalThresholds): boolean {
  return model.diskAlive[disk] !== 1 || model.diskLoadMb[disk]! > limitOf(model, disk, t);
}

export const intraBrokerDiskCapacityGoal: Goal = {
  name: 'IntraBrokerDiskCapacityGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const disks = disksByBroker(model);
    const onDisk: number[][] = Array.from({ length: model.diskCount }, () => []);
    for (let r = 0; r < model.replicaCount; r++) if (model.replicaDisk[r]! >= 0) onDisk[model.replicaDisk[r]!]!.push(r);
    for (let d = 0; d < model.diskCount; d++) {
      const broker = model.diskBroker[d]!;
      if (!isAlive(model, broker) || !needsRelief(model, d, thresholds)) continue;
      const replicas = onDisk[d]!.sort(
        (a, b) => model.replicaLoad(b, Resource.DISK) - model.replicaLoad(a, Resource.DISK),
      );
      for (const r of replicas) {
        if (!needsRelief(model, d, thresholds) && model.diskAlive[d] === 1) break;
        const size = model.replicaLoad(r, Resource.DISK);
        // The least-used other alive disk of the broker with room for the replica.
        const targets = disks[broker]!.filter(
          (t) => t !== d && model.diskAlive[t] === 1 && model.diskLoadMb[t]! + size <= limitOf(model, t, thresholds),
        ).sort(
          (a, b) => model.diskLoadMb[a]! / model.diskCapacityMb[a]! - model.diskLoadMb[b]! / model.diskCapacityMb[b]!,
        );
        for (const target of targets) if (ctx.tryMove({ kind: 'disk', replica: r, toDisk: target })) break;
      }
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    return diskShifts(model, move).every(
      ([disk, delta]) => delta <= 0 || model.diskLoadMb[disk]! + delta <= limitOf(model, disk, thresholds),
    );
  },

  status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    for (let d = 0; d < model.diskCount; d++) {
      const broker = model.diskBroker[d]!;
      if (!isAlive(model, broker)) continue;
      const dead = model.diskAlive[d] !== 1;
      if (dead && model.diskLoadMb[d] === 0) continue;
      if (!dead && model.diskLoadMb[d]! <= limitOf(model, d, thresholds)) continue;
      violations++;
      if (details.length < 5) {
        const where = `broker ${model.brokerKafkaId(broker)} disk ${model.diskPath(d)}`;
        details.push(
          dead
            ? `${where} is dead and still holds ${model.diskLoadMb[d]!.toFixed(1)} MB`
            : `${where}: ${model.diskLoadMb[d]!.toFixed(1)} MB over its limit ${limitOf(model, d, thresholds).toFixed(1)} MB`,
        );
      }
    }
    return { satisfied: violations === 0, violations, details };
  },
};
