// LeaderBytesInDistributionGoal: no alive broker leads more bytes in than network.inbound.balance.threshold (1.10) × the mean, by leadership moves only. Soft.
import { RESOURCE_COUNT, Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { aliveCountTotal, isAlive, replicasByBroker, replicasOn } from './support/model-queries.js';
import { trackedSums, type Shift } from './support/tracked-sums.js';

/** NW_IN (KB/s) of a partition's leader: what its leader broker takes in from producers. */
const leaderKBps = (model: ClusterModel, p: number) => model.leaderLoad[p * RESOURCE_COUNT + Resource.NW_IN]!;

/**
 * Leader bytes in (KB/s) per broker; the extra last slot holds their sum over alive brokers, which
 * the mean needs and which only changes when leadership crosses between alive and dead brokers.
 */
const leaderBytesIn = trackedSums((model) => {
  const sums = new Float64Array(model.brokerCount + 1);
  for (let p = 0; p < model.partitionCount; p++) {
    const leader = model.partitionLeader[p]!;
    if (leader < 0) continue;
    const broker = model.replicaBroker[leader]!;
    sums[broker]! += leaderKBps(model, p);
    if (isAlive(model, broker)) sums[model.brokerCount]! += leaderKBps(model, p);
  }
  return sums;
});

/** The leader bytes in a move shifts between brokers: only leaders carry it, a follower move changes nothing. */
function shiftOf(model: ClusterModel, move: Move): Shift {
  const shift: Shift = [];
  const add = (broker: number, kbps: number) => {
    shift.push([broker, kbps]);
    if (isAlive(model, broker)) shift.push([model.brokerCount, kbps]);
  };
  const carried = (replica: number) =>
    model.isLeader(replica) ? leaderKBps(model, model.replicaPartition[replica]!) : 0;
  if (move.kind === 'replica') {
    const kbps = carried(move.replica);
    if (kbps !== 0) {
      add(model.replicaBroker[move.replica]!, -kbps);
      add(move.toBroker, kbps);
    }
  } else if (move.kind === 'swap') {
    // Each replica keeps its role: b's broker gains what a leads and loses what b leads.
    const kbps = carried(move.a) - carried(move.b);
    if (kbps !== 0) {
      add(model.replicaBroker[move.a]!, -kbps);
      add(model.replicaBroker[move.b]!, kbps);
    }
  } else if (move.kind === 'leadership') {
    const kbps = leaderKBps(model, move.partition);
    const old = model.partitionLeader[move.partition]!;
    if (kbps !== 0 && old >= 0) add(model.replicaBroker[old]!, -kbps);
    if (kbps !== 0) add(model.replicaBroker[move.toReplica]!, kbps);
  }
  return shift;
}

/**
 * The mean leader bytes in per alive broker × `times`; Cruise Control's limit with `times` =
 * network.inbound.balance.threshold. Absolute KB/s: like Cruise Control it ignores capacity
 * differences, and there is no lower limit.
 */
function limitKBps(model: ClusterModel, sums: Float64Array, times: number): number {
  const brokers = aliveCountTotal(model, 'replicas').brokers;
  return brokers > 0 ? (sums[model.brokerCount]! / brokers) * times : 0;
}

/** The share of the allowed spread this goal fills receivers to before using all of it. */
const AIM_FRACTION = 0.5;

/** Float sums drift by rounding; a broker this close to its limit is within it. */
const TOLERANCE_KBPS = 1e-6;

export const leaderBytesInDistributionGoal: Goal = {
  name: 'LeaderBytesInDistributionGoal',
  hard: false,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const threshold = thresholds.balanceThreshold.networkInbound;
    const sums = () => leaderBytesIn.current(model);
    const limit = (times: number) => limitKBps(model, sums(), times);
    const grouping = replicasByBroker(model);
    // Receivers are filled to half the allowed spread first, leaving later goals room to move
    // leaders there; only brokers still over the limit then fill them up to it.
    for (const receiverTimes of [1 + (threshold - 1) * AIM_FRACTION, threshold]) {
      const over: number[] = [];
      for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b) && sums()[b]! > limit(threshold)) over.push(b);
      for (const broker of over.sort((a, b) => sums()[b]! - sums()[a]!)) {
        // Heaviest leaders first: the fewest leadership moves for the relief.
        const leaders = replicasOn(grouping, model, broker)
          .filter((r) => model.isLeader(r) && ctx.canMovePartition(model.replicaPartition[r]!))
          .sort(
            (a, b) => leaderKBps(model, model.replicaPartition[b]!) - leaderKBps(model, model.replicaPartition[a]!),
          );
        for (const leader of leaders) {
          if (sums()[broker]! <= limit(threshold)) break;
          const p = model.replicaPartition[leader]!;
          const kbps = leaderKBps(model, p);
          // To the follower that leads the least, if it stays within the receivers' cap.
          const followers: number[] = [];
          for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++)
            if (r !== leader && ctx.canLead(model.replicaBroker[r]!)) followers.push(r);
          followers.sort((a, b) => sums()[model.replicaBroker[a]!]! - sums()[model.replicaBroker[b]!]!);
          for (const follower of followers) {
            if (sums()[model.replicaBroker[follower]!]! + kbps > limit(receiverTimes)) break;
            const move: Move = { kind: 'leadership', partition: p, toReplica: follower };
            leaderBytesIn.expect(model, move, shiftOf(model, move));
            if (ctx.tryMove(move)) break;
          }
        }
      }
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    const shift = shiftOf(model, move);
    // Only a broker that gains leader bytes in can be pushed over (or further over) the limit.
    return leaderBytesIn.accept(model, move, shift, (sums) => {
      const upper = limitKBps(model, sums, thresholds.balanceThreshold.networkInbound);
      return shift.every(
        ([b, kbps]) => b === model.brokerCount || kbps <= 0 || !isAlive(model, b) || sums[b]! + kbps <= upper,
      );
    });
  },

  status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
    const sums = leaderBytesIn.current(model);
    const upper = limitKBps(model, sums, thresholds.balanceThreshold.networkInbound);
    const details: string[] = [];
    let violations = 0;
    for (let b = 0; b < model.brokerCount; b++) {
      if (!isAlive(model, b) || sums[b]! <= upper + TOLERANCE_KBPS) continue;
      violations++;
      if (details.length < 5)
        details.push(
          `broker ${model.brokerKafkaId(b)} leads ${sums[b]!.toFixed(1)} KB/s in, over ${upper.toFixed(1)} (mean × ${thresholds.balanceThreshold.networkInbound})`,
        );
    }
    return { satisfied: violations === 0, violations, details };
  },
};
