// Re-homing, before any goal runs, the replicas that cannot stay where they are (as Cruise Control's
// goals treat offline replicas as must-move):
// - replicas of dead brokers, of brokers being removed, and of failed log dirs go to another broker:
//   one in a rack their partition does not use yet when there is one, the least-used by disk first;
// - replicas of log dirs being removed (`remove_disks`) go to another live dir of the same broker.
// The goals that follow then balance as usual and may move them again (the proposal is the final diff).
import { replicaMove, type GoalContext } from '../../goals/index.js';
import { BallastError } from '../common/pure.js';
import { BrokerState, Resource, type ClusterModel } from '../model/index.js';

/**
 * Thrown when replicas of dead or removed brokers have nowhere to go (too few eligible brokers for
 * the replication factor). Names the brokers and a few partitions. Not retryable as it stands.
 */
export class DrainError extends BallastError {
  readonly code = 'UNABLE_TO_DRAIN';

  constructor(
    readonly brokers: number[],
    readonly partitions: string[],
    readonly remaining: number,
  ) {
    super(
      `${remaining} replica(s) of dead or removed broker(s), or of failed log dirs, on broker(s) ${brokers.join(', ')} ` +
        `have no eligible broker to move to (e.g. ${partitions.join(', ')}): add brokers, or lower the replication factor of those topics`,
    );
  }
}

/**
 * Thrown when the replicas of log dirs being removed do not fit on the other live dirs of their
 * broker within the disk capacity threshold. Names the dirs and a few partitions; nothing moves.
 */
export class DiskRemovalError extends BallastError {
  readonly code = 'UNABLE_TO_REMOVE_DISKS';

  constructor(
    readonly logDirs: string[],
    readonly partitions: string[],
    readonly remaining: number,
  ) {
    super(
      `${remaining} replica(s) of log dir(s) ${logDirs.join(', ')} do not fit on the other live log dirs of their broker ` +
        `below the disk capacity threshold (e.g. ${partitions.join(', ')}): remove fewer dirs, or free space first`,
    );
  }
}

const alive = (model: ClusterModel, b: number) => model.brokerHas(b, BrokerState.ALIVE);

/**
 * Replicas that must leave their broker, in replica order: those on brokers that are not alive, and
 * those on a dead log dir of a live broker (Kafka reports them offline) unless the dir is in
 * `removedDisks` (those move within their broker instead).
 */
export function replicasOnDeadBrokers(model: ClusterModel, removedDisks?: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < model.replicaCount; r++) {
    const disk = model.replicaDisk[r]!;
    const onDeadDisk = disk >= 0 && model.diskAlive[disk] !== 1 && removedDisks?.has(disk) !== true;
    if (!alive(model, model.replicaBroker[r]!) || onDeadDisk) out.push(r);
  }
  return out;
}

/**
 * Moves every replica on `disks` (already marked not alive) to the live dir of the same broker with
 * the most room below the disk capacity threshold, largest replicas first so they find room while
 * there is most. Returns the replicas that did not fit.
 */
export function drainRemovedDisks(ctx: GoalContext, disks: ReadonlySet<number>): number[] {
  const { model } = ctx;
  const limit = ctx.thresholds.capacityThreshold.disk;
  const sizeOf = (r: number) => model.replicaLoad(r, Resource.DISK);
  const leaving: number[] = [];
  for (let r = 0; r < model.replicaCount; r++) if (disks.has(model.replicaDisk[r]!)) leaving.push(r);
  leaving.sort((a, b) => sizeOf(b) - sizeOf(a) || a - b);
  const stuck: number[] = [];
  for (const r of leaving) {
    if (!ctx.canMovePartition(model.replicaPartition[r]!)) {
      stuck.push(r);
      continue;
    }
    const broker = model.replicaBroker[r]!;
    const size = sizeOf(r);
    let best = -1;
    let bestRoomMb = -Infinity;
    for (let d = 0; d < model.diskCount; d++) {
      if (model.diskBroker[d] !== broker || model.diskAlive[d] !== 1 || disks.has(d)) continue;
      const roomMb = model.diskCapacityMb[d]! * limit - model.diskLoadMb[d]! - size;
      if (roomMb >= 0 && roomMb > bestRoomMb) {
        best = d;
        bestRoomMb = roomMb;
      }
    }
    if (best < 0 || !ctx.tryMove({ kind: 'disk', replica: r, toDisk: best })) stuck.push(r);
  }
  return stuck;
}

/** Moves every replica of a movable partition off brokers that are not alive; returns those that could not move. */
export function drainDeadBrokers(ctx: GoalContext, removedDisks?: ReadonlySet<number>): number[] {
  const { model } = ctx;
  const stuck: number[] = [];
  const byDisk = (a: number, b: number) =>
    model.brokerUtilization(a, Resource.DISK) - model.brokerUtilization(b, Resource.DISK);
  for (const r of replicasOnDeadBrokers(model, removedDisks)) {
    const p = model.replicaPartition[r]!;
    // Excluded topics never move, not even off a dead broker.
    if (!ctx.canMovePartition(p)) continue;
    const usedRacks = new Set<number>();
    for (let o = model.replicaStart(p); o < model.replicaEnd(p); o++) {
      if (o !== r && alive(model, model.replicaBroker[o]!)) usedRacks.add(model.brokerRack[model.replicaBroker[o]!]!);
    }
    const candidates: number[] = [];
    for (let b = 0; b < model.brokerCount; b++) {
      if (ctx.canReceiveReplica(b) && model.replicaOnBroker(p, b) === -1) candidates.push(b);
    }
    // A rack the partition does not use yet first, then the least-used disk.
    candidates.sort(
      (a, b) =>
        Number(usedRacks.has(model.brokerRack[a]!)) - Number(usedRacks.has(model.brokerRack[b]!)) || byDisk(a, b),
    );
    if (!candidates.some((b) => ctx.tryMove(replicaMove(model, r, b)))) stuck.push(r);
  }
  return stuck;
}
