// PotentialNwOutGoal: every alive broker's potential bytes out (if it led all its replicas) under network.outbound.capacity.threshold (0.8) × capacity. Soft.
import { RESOURCE_COUNT, Resource, type ClusterModel } from '../src/model/index.js';
import { capacityLimit } from './support/capacity-goal.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { isAlive, replicaMove, replicasByBroker, replicasOn, type ReplicasByBroker } from './support/model-queries.js';
import { trackedSums, type Shift } from './support/tracked-sums.js';

/** A partition's leader NW_OUT (KB/s): what any broker holding a replica would send if it became the leader. */
const leaderOutKBps = (model: ClusterModel, p: number) => model.leaderLoad[p * RESOURCE_COUNT + Resource.NW_OUT]!;

/** Potential NW_OUT (KB/s) per broker: the leader NW_OUT of every partition with a replica there. */
const potentialNwOut = trackedSums((model) => {
  const sums = new Float64Array(model.brokerCount);
  for (let r = 0; r < model.replicaCount; r++)
    sums[model.replicaBroker[r]!]! += leaderOutKBps(model, model.replicaPartition[r]!);
  return sums;
});

/** A replica carries its partition's leader NW_OUT wherever it goes, whatever its role; leadership moves change nothing. */
function shiftOf(model: ClusterModel, move: Move): Shift {
  if (move.kind !== 'replica' && move.kind !== 'swap') return [];
  const carried = (r: number) => leaderOutKBps(model, model.replicaPartition[r]!);
  const [from, to, kbps] =
    move.kind === 'replica'
      ? [model.replicaBroker[move.replica]!, move.toBroker, carried(move.replica)]
      : [model.replicaBroker[move.a]!, model.replicaBroker[move.b]!, carried(move.a) - carried(move.b)];
  return kbps === 0
    ? []
    : [
        [from, -kbps],
        [to, kbps],
      ];
}

const limitKBps = (model: ClusterModel, broker: number, t: GoalThresholds) =>
  capacityLimit(model, broker, Resource.NW_OUT, t.capacityThreshold.networkOutbound);

/** Float sums drift by rounding; a broker this close to its limit is within it. */
const TOLERANCE_KBPS = 1e-6;

/** Moves replicas off `broker`, heaviest potential first, each to the eligible broker with the most room left. */
function relieve(ctx: GoalContext, broker: number, grouping: ReplicasByBroker): void {
  const { model, thresholds } = ctx;
  const potential = (b: number) => potentialNwOut.current(model)[b]!;
  const room = (b: number) => limitKBps(model, b, thresholds) - potential(b);
  const dests: number[] = [];
  for (let b = 0; b < model.brokerCount; b++) if (b !== broker && ctx.canReceiveReplica(b)) dests.push(b);
  dests.sort((a, b) => room(b) - room(a));
  if (dests.length === 0 || room(dests[0]!) <= 0) return;
  // Heaviest first: the fewest moves; at equal weight a follower, which moves no actual leader load.
  const replicas = replicasOn(grouping, model, broker).sort(
    (a, b) =>
      leaderOutKBps(model, model.replicaPartition[b]!) - leaderOutKBps(model, model.replicaPartition[a]!) ||
      Number(model.isLeader(a)) - Number(model.isLeader(b)),
  );
  for (const r of replicas) {
    if (room(broker) >= 0) return;
    const p = model.replicaPartition[r]!;
    const kbps = leaderOutKBps(model, p);
    if (kbps <= 0 || !ctx.canMovePartition(p)) continue;
    for (const dest of dests) {
      if (room(dest) < kbps) break;
      if (model.replicaOnBroker(p, dest) !== -1) continue;
      const move = replicaMove(model, r, dest);
      potentialNwOut.expect(model, move, shiftOf(model, move));
      if (ctx.tryMove(move)) {
        dests.sort((a, b) => room(b) - room(a));
        break;
      }
    }
  }
}

export const potentialNwOutGoal: Goal = {
  name: 'PotentialNwOutGoal',
  hard: false,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const potential = (b: number) => potentialNwOut.current(model)[b]!;
    const excess = (b: number) => potential(b) - limitKBps(model, b, thresholds);
    const over: number[] = [];
    for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b) && excess(b) > 0) over.push(b);
    const grouping = replicasByBroker(model);
    for (const broker of over.sort((a, b) => excess(b) - excess(a))) relieve(ctx, broker, grouping);
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    const shift = shiftOf(model, move);
    return potentialNwOut.accept(model, move, shift, (potential) => {
      // A broker under its limit must stay under it. As in Cruise Control, potential may still move
      // onto a broker already over its limit when it ends no higher than the higher end was before:
      // the maximum does not grow and no broker newly goes over, so the goal is never worse, and
      // later goals are not frozen on clusters where every broker is over.
      const highestBefore = Math.max(...shift.map(([b]) => potential[b]!));
      return shift.every(([b, kbps]) => {
        if (kbps <= 0 || !isAlive(model, b)) return true;
        const limit = limitKBps(model, b, thresholds);
        const after = potential[b]! + kbps;
        return after <= limit || (potential[b]! > limit && after <= highestBefore);
      });
    });
  },

  status(model: ClusterModel, thresholds: GoalThresholds): GoalStatus {
    const potential = potentialNwOut.current(model);
    const details: string[] = [];
    let violations = 0;
    for (let b = 0; b < model.brokerCount; b++) {
      const limit = limitKBps(model, b, thresholds);
      if (!isAlive(model, b) || potential[b]! <= limit + TOLERANCE_KBPS) continue;
      violations++;
      if (details.length < 5)
        details.push(
          `broker ${model.brokerKafkaId(b)}: potential NW_OUT ${potential[b]!.toFixed(1)} KB/s over its limit ${limit.toFixed(1)}`,
        );
    }
    return { satisfied: violations === 0, violations, details };
  },
};
