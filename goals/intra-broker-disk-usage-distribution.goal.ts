// IntraBrokerDiskUsageDistributionGoal (JBOD): within each broker, every alive disk's utilization
// within [mean × (2 − t), mean × t] of the broker's mean disk utilization (t = disk.balance.threshold,
// 1.10). Soft, used with rebalance_disk after IntraBrokerDiskCapacityGoal. Moves replicas from the
// fullest disk of a broker to its emptiest (AlterReplicaLogDirs, no network copy), largest replica
// that fits first; vetoes moves that push a disk above its band or drain one below it.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { diskShifts, isAlive } from './support/model-queries.js';

/** Alive disks with capacity of each broker, by broker index. */
function aliveDisksByBroker(model: ClusterModel): number[][] {
  const disks: number[][] = Array.from({ length: model.brokerCount }, () => []);
  for (let d = 0; d < model.diskCount; d++) {
    if (model.diskAlive[d] === 1 && model.diskCapacityMb[d]! > 0) disks[model.diskBroker[d]!]!.push(d);
  }
  return disks;
}

const disksOfBroker = new WeakMap<ClusterModel, number[][]>();

/** The broker's mean utilization over its alive disks: their load over their capacity. */
function brokerDiskMean(model: ClusterModel, broker: number): number {
  let disks = disksOfBroker.get(model);
  if (disks === undefined) {
    // Disks, their brokers and liveness never change during a run.
    disks = aliveDisksByBroker(model);
    disksOfBroker.set(model, disks);
  }
  let load = 0;
  let capacity = 0;
  for (const d of disks[broker]!) {
    load += model.diskLoadMb[d]!;
    capacity += model.diskCapacityMb[d]!;
  }
  return capacity > 0 ? load / capacity : 0;
}

const utilization = (model: ClusterModel, disk: number) => model.diskLoadMb[disk]! / model.diskCapacityMb[disk]!;

/** Load bounds (MB) of `disk` around its broker's mean. */
function boundsOf(model: ClusterModel, disk: number, mean: number, t: number): { lower: number; upper: number } {
  const capacity = model.diskCapacityMb[disk]!;
  return { lower: capacity * mean * Math.max(0, 2 - t), upper: capacity * mean * t };
}

export const intraBrokerDiskUsageDistributionGoal: Goal = {
  name: 'IntraBrokerDiskUsageDistributionGoal',
  hard: false,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const t = thresholds.balanceThreshold.disk;
    const disksOf = aliveDisksByBroker(model);
    const onDisk: number[][] = Array.from({ length: model.diskCount }, () => []);
    for (let r = 0; r < model.replicaCount; r++) if (model.replicaDisk[r]! >= 0) onDisk[model.replicaDisk[r]!]!.push(r);
    for (let b = 0; b < model.brokerCount; b++) {
      const disks = disksOf[b]!;
      if (!isAlive(model, b) || disks.length < 2) continue;
      // Moves within a broker keep its mean, so the bands stay put while the disks even out.
      const mean = brokerDiskMean(model, b);
      for (const source of [...disks].sort((x, y) => utilization(model, y) - utilization(model, x))) {
        const band = boundsOf(model, source, mean, t);
        if (model.diskLoadMb[source]! <= band.upper) break;
        const replicas = onDisk[source]!.sort(
          (x, y) => model.replicaLoad(y, Resource.DISK) - model.replicaLoad(x, Resource.DISK),
        );
        for (const r of replicas) {
          if (model.diskLoadMb[source]! <= band.upper) break;
          if (model.replicaDisk[r] !== source || !ctx.canMovePartition(model.replicaPartition[r]!)) continue;
          const size = model.replicaLoad(r, Resource.DISK);
          if (size <= 0 || model.diskLoadMb[source]! - size < band.lower) continue;
          const targets = disks
            .filter((d) => d !== source && model.diskLoadMb[d]! + size <= boundsOf(model, d, mean, t).upper)
            .sort((x, y) => utilization(model, x) - utilization(model, y));
          for (const target of targets) if (ctx.tryMove({ kind: 'disk', replica: r, toDisk: target })) break;
        }
      }
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    const t = thresholds.balanceThreshold.disk;
    for (const [disk, delta] of diskShifts(model, move)) {
      if (model.diskAlive[disk] !== 1 || model.diskCapacityMb[disk]! <= 0) continue;
      const { lower, upper } = boundsOf(model, disk, brokerDiskMean(model, model.diskBroker[disk]!), t);
      const after = model.diskLoadMb[disk]! + delta;
      if ((delta > 0 && after > upper) || (delta < 0 && after < lower)) return false;
    }
    return true;
  },

  status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
    const t = thresholds.balanceThreshold.disk;
    const disksOf = aliveDisksByBroker(model);
    const details: string[] = [];
    let violations = 0;
    for (let b = 0; b < model.brokerCount; b++) {
      const disks = disksOf[b]!;
      if (!isAlive(model, b) || disks.length < 2) continue;
      const mean = brokerDiskMean(model, b);
      for (const d of disks) {
        const { lower, upper } = boundsOf(model, d, mean, t);
        const load = model.diskLoadMb[d]!;
        if (load <= upper + 1e-9 && load >= lower - 1e-9) continue;
        violations++;
        if (details.length < 5) {
          details.push(
            `broker ${model.brokerKafkaId(b)} disk ${model.diskPath(d)}: ${(utilization(model, d) * 100).toFixed(1)}% used, ` +
              `outside ${(mean * Math.max(0, 2 - t) * 100).toFixed(1)}–${(mean * t * 100).toFixed(1)}% around the broker's mean`,
          );
        }
      }
    }
    return { satisfied: violations === 0, violations, details };
  },
};
