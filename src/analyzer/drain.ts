// Re-homing the replicas of dead brokers and of brokers being removed, before any goal runs (as
// Cruise Control's goals treat offline replicas as must-move). Each replica goes to an eligible
// broker in a rack its partition does not use yet when there is one, the least-used by disk first;
// the goals that follow then balance as usual and may move it again (the proposal is the final diff).
import type { GoalContext } from '../../goals/index.js';
import { replicaMove } from '../../goals/support/model-queries.js';
import { BallastError } from '../common/ballast.error.js';
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
      `${remaining} replica(s) of dead or removed broker(s) ${brokers.join(', ')} have no eligible broker to move to ` +
        `(e.g. ${partitions.join(', ')}): add brokers, or lower the replication factor of those topics`,
    );
  }
}

const alive = (model: ClusterModel, b: number) => model.brokerHas(b, BrokerState.ALIVE);

/** Replicas on brokers that are not alive, in replica order. */
export function replicasOnDeadBrokers(model: ClusterModel): number[] {
  const out: number[] = [];
  for (let r = 0; r < model.replicaCount; r++) if (!alive(model, model.replicaBroker[r]!)) out.push(r);
  return out;
}

/** Moves every replica of a movable partition off brokers that are not alive; returns those that could not move. */
export function drainDeadBrokers(ctx: GoalContext): number[] {
  const { model } = ctx;
  const stuck: number[] = [];
  const byDisk = (a: number, b: number) =>
    model.brokerUtilization(a, Resource.DISK) - model.brokerUtilization(b, Resource.DISK);
  for (const r of replicasOnDeadBrokers(model)) {
    const p = model.replicaPartition[r]!;
    // Excluded topics never move, not even off a dead broker.
    if (!ctx.canMovePartition(p)) continue;
    const usedRacks = new Set<number>();
    for (let o = model.partitionReplicaStart[p]!; o < model.partitionReplicaStart[p + 1]!; o++) {
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
