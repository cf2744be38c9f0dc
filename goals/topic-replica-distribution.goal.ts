// TopicReplicaDistributionGoal: each topic's replicas per alive broker within a band around the topic's mean (CC: topic.replica.count.balance.threshold 3.00, .min.gap 2, .max.gap 40). Soft.
import { BrokerState, Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { aliveCountTotal, isAlive, replicaMove } from './support/model-queries.js';
import { partitionsOf } from './support/topic-queries.js';
import { trackedSums, type Shift } from './support/tracked-sums.js';

/** Cruise Control narrows the configured spread to 90% of itself, so brokers do not churn at the edge. */
const BALANCE_MARGIN = 0.9;

/** Replicas of each topic on each broker, at `topic * brokerCount + broker`. */
const topicCounts = trackedSums((model) => {
  const counts = new Int32Array(model.topicCount * model.brokerCount);
  for (let r = 0; r < model.replicaCount; r++)
    counts[model.partitionTopic[model.replicaPartition[r]!]! * model.brokerCount + model.replicaBroker[r]!]!++;
  return counts;
});

/** Replicas per topic: fixed, since moves never add or remove replicas. */
const topicTotals = new WeakMap<ClusterModel, Int32Array>();

function totalOf(model: ClusterModel, topic: number): number {
  let totals = topicTotals.get(model);
  if (totals === undefined) {
    totals = new Int32Array(model.topicCount);
    for (let r = 0; r < model.replicaCount; r++) totals[model.partitionTopic[model.replicaPartition[r]!]!]!++;
    topicTotals.set(model, totals);
  }
  return totals[topic]!;
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max));

/**
 * Cruise Control's limits for `topic`: the mean per alive broker times 1 ± (threshold − 1) × 0.9,
 * rounded outward, then held between `minGap` and `maxGap` replicas from the rounded mean.
 */
export function topicBand(model: ClusterModel, topic: number, t: GoalThresholds): { lower: number; upper: number } {
  const { threshold, minGap, maxGap } = t.topicReplicaCountBalance;
  const brokers = aliveCountTotal(model, 'replicas').brokers;
  const mean = brokers > 0 ? totalOf(model, topic) / brokers : 0;
  const spread = (threshold - 1) * BALANCE_MARGIN;
  const [floor, ceil] = [Math.floor(mean), Math.ceil(mean)];
  return {
    upper: clamp(Math.ceil(mean * (1 + spread)), ceil + minGap, ceil + maxGap),
    lower: clamp(Math.floor(mean * Math.max(0, 1 - spread)), Math.max(0, floor - maxGap), Math.max(0, floor - minGap)),
  };
}

/** Topic-count changes of a move: a replica move shifts one topic, a swap of two topics shifts both. */
function shiftOf(model: ClusterModel, move: Move): Shift {
  const B = model.brokerCount;
  const topicOf = (r: number) => model.partitionTopic[model.replicaPartition[r]!]!;
  if (move.kind === 'replica') {
    const t = topicOf(move.replica) * B;
    return [
      [t + model.replicaBroker[move.replica]!, -1],
      [t + move.toBroker, 1],
    ];
  }
  if (move.kind !== 'swap' || topicOf(move.a) === topicOf(move.b)) return [];
  const [ta, tb] = [topicOf(move.a) * B, topicOf(move.b) * B];
  const [ba, bb] = [model.replicaBroker[move.a]!, model.replicaBroker[move.b]!];
  return [
    [ta + ba, -1],
    [ta + bb, 1],
    [tb + bb, -1],
    [tb + ba, 1],
  ];
}

/** A broker that may only give replicas away has no lower limit (as in Cruise Control). */
const hasLowerLimit = (model: ClusterModel, b: number) =>
  isAlive(model, b) && !model.brokerHas(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE);

const withinBand = (model: ClusterModel, b: number, count: number, band: { lower: number; upper: number }) =>
  count <= band.upper && (count >= band.lower || !hasLowerLimit(model, b));

/** Applies `move` through the optimizer with the tracked counts following it. */
function tryCounted(ctx: GoalContext, move: Move): boolean {
  topicCounts.current(ctx.model);
  topicCounts.expect(ctx.model, move, shiftOf(ctx.model, move));
  const applied = ctx.tryMove(move);
  topicCounts.current(ctx.model);
  return applied;
}

/** Moves replicas of `topic` from brokers above the band to the alive brokers with the fewest, then fills brokers below it. */
function balanceTopic(ctx: GoalContext, topic: number, alive: number[]): void {
  const { model } = ctx;
  const band = topicBand(model, topic, ctx.thresholds);
  const { lower, upper } = band;
  // Only this goal moves while it optimizes and `tryCounted` folds each move in: one array throughout.
  const counts = topicCounts.current(model);
  const count = (b: number) => counts[topic * model.brokerCount + b]!;
  const partitions = partitionsOf(model, topic);
  if (
    partitions.length === 0 ||
    !ctx.canMovePartition(partitions[0]!) ||
    alive.every((b) => withinBand(model, b, count(b), band))
  )
    return;
  const replicas: number[] = [];
  for (const p of partitions)
    for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) replicas.push(r);
  // Followers first, then the smallest: the cheapest moves, and none that shift leader load.
  replicas.sort(
    (a, b) =>
      Number(model.isLeader(a)) - Number(model.isLeader(b)) ||
      model.replicaLoad(a, Resource.DISK) - model.replicaLoad(b, Resource.DISK),
  );
  const onBroker = (b: number) => replicas.filter((r) => model.replicaBroker[r] === b);
  const receivers = alive.filter((b) => ctx.canReceiveReplica(b));
  const byCount = () => receivers.sort((a, b) => count(a) - count(b));
  for (const source of [...alive].sort((a, b) => count(b) - count(a))) {
    if (count(source) <= upper) break;
    byCount();
    for (const r of onBroker(source)) {
      if (count(source) <= upper) break;
      const p = model.replicaPartition[r]!;
      // Receivers in ascending count order; the one that gains is bubbled back into place.
      for (let i = 0; i < receivers.length; i++) {
        const d = receivers[i]!;
        if (d === source) continue;
        if (count(d) + 1 > upper || count(d) + 1 >= count(source)) break;
        if (model.replicaOnBroker(p, d) !== -1 || !tryCounted(ctx, replicaMove(model, r, d))) continue;
        for (let j = i; j + 1 < receivers.length && count(receivers[j]!) > count(receivers[j + 1]!); j++)
          [receivers[j], receivers[j + 1]] = [receivers[j + 1]!, receivers[j]!];
        break;
      }
    }
  }
  for (const dest of receivers.filter((b) => count(b) < lower)) {
    const exhausted = new Set<number>();
    while (count(dest) < lower) {
      // The broker with the most replicas of the topic that can spare one and still stays above `dest`.
      let source = -1;
      for (let b = 0; b < model.brokerCount; b++) {
        const floor = hasLowerLimit(model, b) ? Math.max(lower, count(dest) + 1) : 0;
        if (b !== dest && !exhausted.has(b) && count(b) - 1 >= floor && (source < 0 || count(b) > count(source)))
          source = b;
      }
      if (source < 0) break;
      const moved = onBroker(source).some(
        (r) =>
          model.replicaOnBroker(model.replicaPartition[r]!, dest) === -1 &&
          tryCounted(ctx, replicaMove(model, r, dest)),
      );
      if (!moved) exhausted.add(source);
    }
  }
}

export const topicReplicaDistributionGoal: Goal = {
  name: 'TopicReplicaDistributionGoal',
  hard: false,

  optimize(ctx: GoalContext): void {
    const { model } = ctx;
    const alive: number[] = [];
    for (let b = 0; b < model.brokerCount; b++) if (isAlive(model, b)) alive.push(b);
    for (let t = 0; t < model.topicCount; t++) balanceTopic(ctx, t, alive);
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    const shift = shiftOf(model, move);
    return topicCounts.accept(model, move, shift, (counts) =>
      shift.every(([index, delta]) => {
        const broker = index % model.brokerCount;
        if (!isAlive(model, broker)) return true;
        const { lower, upper } = topicBand(model, (index - broker) / model.brokerCount, thresholds);
        const after = counts[index]! + delta;
        return delta > 0 ? after <= upper : after >= lower || !hasLowerLimit(model, broker);
      }),
    );
  },

  status(model: ClusterModel, thresholds: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const counts = topicCounts.current(model);
    const scoped = new Uint8Array(model.topicCount);
    for (let p = 0; p < model.partitionCount; p++) if (!inScope || inScope(p)) scoped[model.partitionTopic[p]!] = 1;
    const details: string[] = [];
    let violations = 0;
    for (let t = 0; t < model.topicCount; t++) {
      if (scoped[t] === 0) continue;
      const band = topicBand(model, t, thresholds);
      for (let b = 0; b < model.brokerCount; b++) {
        const count = counts[t * model.brokerCount + b]!;
        if (!isAlive(model, b) || withinBand(model, b, count, band)) continue;
        violations++;
        if (details.length < 5)
          details.push(
            `broker ${model.brokerKafkaId(b)} has ${count} replicas of ${model.tables.topicNames[t]}, outside [${band.lower}, ${band.upper}]`,
          );
      }
    }
    return { satisfied: violations === 0, violations, details };
  },
};
