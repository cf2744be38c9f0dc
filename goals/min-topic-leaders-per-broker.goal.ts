// MinTopicLeadersPerBrokerGoal: brokers lead min.topic.leaders.per.broker of topics.with.min.leaders.per.broker. Hard.
import { BrokerState, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { replicaMove } from './support/model-queries.js';
import { partitionsOf, topicsMatching } from './support/topic-queries.js';

/**
 * Whether the model's broker flags let `broker` lead. `accepts` and `status` see only the model, not
 * the run's options, so a broker excluded for leadership by request options alone is still held to
 * the minimum there while `optimize` (through `ctx.canLead`) gives it none.
 */
function mayLead(model: ClusterModel, broker: number): boolean {
  return (
    model.brokerHas(broker, BrokerState.ALIVE) &&
    !model.brokerHas(broker, BrokerState.EXCLUDED_FOR_LEADERSHIP) &&
    !model.brokerHas(broker, BrokerState.DEMOTED)
  );
}

const leaderBroker = (model: ClusterModel, p: number) => {
  const leader = model.partitionLeader[p]!;
  return leader < 0 ? -1 : model.replicaBroker[leader]!;
};

/** Leaders of the topic's partitions; moves never change it. */
function leaderTotal(model: ClusterModel, partitions: Int32Array): number {
  let total = 0;
  for (const p of partitions) if (model.partitionLeader[p]! >= 0) total++;
  return total;
}

/** The minimum per broker: the configured one, or (CC: 0 means computed) leaders spread evenly over `brokers`. */
function minimumOf(model: ClusterModel, thresholds: GoalThresholds, partitions: Int32Array, brokers: number): number {
  const { minLeaders } = thresholds.minTopicLeadersPerBroker;
  if (minLeaders > 0) return minLeaders;
  return brokers > 0 ? Math.floor(leaderTotal(model, partitions) / brokers) : 0;
}

/** Whether `broker` leads more than `min` partitions of the topic: stops at the (min+1)th, about (min+1) × brokers steps. */
function leadsMoreThan(model: ClusterModel, partitions: Int32Array, broker: number, min: number): boolean {
  let count = 0;
  for (const p of partitions) if (leaderBroker(model, p) === broker && ++count > min) return true;
  return false;
}

/** Whether the leader `replica` may leave its broker, which regains `regained` leaders of the same topic. */
function mayGiveUp(model: ClusterModel, replica: number, thresholds: GoalThresholds, regained: number): boolean {
  const { topicPattern } = thresholds.minTopicLeadersPerBroker;
  if (topicPattern === null || regained > 0 || !model.isLeader(replica)) return true;
  const topic = model.partitionTopic[model.replicaPartition[replica]!]!;
  const broker = model.replicaBroker[replica]!;
  // A broker that may not lead is not held to the minimum, so it need not keep leaders.
  if (topicsMatching(model, topicPattern)[topic] !== 1 || !mayLead(model, broker)) return true;
  const partitions = partitionsOf(model, topic);
  return leadsMoreThan(model, partitions, broker, minimumOf(model, thresholds, partitions, eligibleCount(model)));
}

const eligibleCounts = new WeakMap<ClusterModel, number>();

/** Brokers the model's flags let lead; flags do not change during a run. */
function eligibleCount(model: ClusterModel): number {
  let n = eligibleCounts.get(model);
  if (n === undefined) {
    n = 0;
    for (let b = 0; b < model.brokerCount; b++) if (mayLead(model, b)) n++;
    eligibleCounts.set(model, n);
  }
  return n;
}

/** Gives `broker` leadership of partitions of the topic until it leads `min`: elections first, then replica moves. */
function fill(ctx: GoalContext, broker: number, partitions: Int32Array, counts: Int32Array, min: number): void {
  const { model } = ctx;
  // A source may give a leader away when it is over the minimum or is not held to it.
  const canSpare = (b: number) => b < 0 || !ctx.canLead(b) || counts[b]! > min;
  const took = (from: number) => {
    if (from >= 0) counts[from]!--;
    counts[broker]!++;
    return counts[broker]! >= min;
  };
  for (const p of partitions) {
    const onBroker = model.replicaOnBroker(p, broker);
    const from = leaderBroker(model, p);
    if (onBroker < 0 || from === broker || !canSpare(from)) continue;
    if (ctx.tryMove({ kind: 'leadership', partition: p, toReplica: onBroker }) && took(from)) return;
  }
  if (!ctx.canReceiveReplica(broker)) return;
  // Take leaders from the brokers that lead the most of the topic first.
  const candidates = Array.from(partitions).filter((p) => model.partitionLeader[p]! >= 0);
  candidates.sort((a, b) => counts[leaderBroker(model, b)]! - counts[leaderBroker(model, a)]!);
  for (const p of candidates) {
    const from = leaderBroker(model, p);
    if (from === broker || model.replicaOnBroker(p, broker) !== -1 || !canSpare(from)) continue;
    const leader = model.partitionLeader[p]!;
    if (ctx.tryMove(replicaMove(model, leader, broker))) {
      if (took(from)) return;
      continue;
    }
    // An earlier goal may refuse the leader's load but take a follower, then its election.
    const mark = model.mark();
    for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
      if (r === leader || !ctx.tryMove(replicaMove(model, r, broker))) continue;
      if (ctx.tryMove({ kind: 'leadership', partition: p, toReplica: r })) break;
      ctx.undoTo(mark);
    }
    if (leaderBroker(model, p) === broker && took(from)) return;
  }
}

export const minTopicLeadersPerBrokerGoal: Goal = {
  name: 'MinTopicLeadersPerBrokerGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model, thresholds } = ctx;
    const { topicPattern } = thresholds.minTopicLeadersPerBroker;
    if (topicPattern === null) return;
    const matched = topicsMatching(model, topicPattern);
    const eligible: number[] = [];
    for (let b = 0; b < model.brokerCount; b++) if (ctx.canLead(b)) eligible.push(b);
    for (let t = 0; t < model.topicCount; t++) {
      if (matched[t] !== 1) continue;
      const partitions = partitionsOf(model, t);
      const min = minimumOf(model, thresholds, partitions, eligible.length);
      // Too few leaders to go round: nothing to move, status says so with the numbers (as CC fails).
      if (leaderTotal(model, partitions) < eligible.length * min) continue;
      const counts = new Int32Array(model.brokerCount);
      for (const p of partitions) if (leaderBroker(model, p) >= 0) counts[leaderBroker(model, p)]!++;
      for (const b of eligible) if (counts[b]! < min) fill(ctx, b, partitions, counts, min);
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    if (thresholds.minTopicLeadersPerBroker.topicPattern === null) return true;
    if (move.kind === 'replica') return mayGiveUp(model, move.replica, thresholds, 0);
    if (move.kind === 'leadership') {
      const leader = model.partitionLeader[move.partition]!;
      return leader < 0 || mayGiveUp(model, leader, thresholds, 0);
    }
    if (move.kind === 'swap') {
      // Each broker gets the other's replica: a leader of the same topic coming back keeps its count.
      const sameTopic =
        model.partitionTopic[model.replicaPartition[move.a]!] === model.partitionTopic[model.replicaPartition[move.b]!];
      const back = (other: number) => (sameTopic && model.isLeader(other) ? 1 : 0);
      return mayGiveUp(model, move.a, thresholds, back(move.b)) && mayGiveUp(model, move.b, thresholds, back(move.a));
    }
    return true;
  },

  status(model: ClusterModel, thresholds: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const { topicPattern } = thresholds.minTopicLeadersPerBroker;
    const details: string[] = [];
    let violations = 0;
    if (topicPattern === null) return { satisfied: true, violations, details };
    const matched = topicsMatching(model, topicPattern);
    const eligible: number[] = [];
    for (let b = 0; b < model.brokerCount; b++) if (mayLead(model, b)) eligible.push(b);
    const counts = new Int32Array(model.brokerCount);
    for (let t = 0; t < model.topicCount; t++) {
      if (matched[t] !== 1) continue;
      const topic = model.tables.topicNames[t]!;
      const partitions = partitionsOf(model, t);
      const min = minimumOf(model, thresholds, partitions, eligible.length);
      // CC refuses to run with such a topic excluded from moves; here it is reported when short.
      const excluded =
        inScope !== undefined && partitions.some((p) => !inScope(p)) ? ' (topic is excluded from moves)' : '';
      const leaders = leaderTotal(model, partitions);
      if (leaders < eligible.length * min) {
        violations++;
        details.push(
          `topic ${topic} has ${leaders} leaders, fewer than ${eligible.length} brokers × ${min} = ${eligible.length * min}${excluded}`,
        );
        continue;
      }
      counts.fill(0);
      for (const p of partitions) if (leaderBroker(model, p) >= 0) counts[leaderBroker(model, p)]!++;
      for (const b of eligible) {
        if (counts[b]! >= min) continue;
        violations++;
        if (details.length < 5)
          details.push(
            `broker ${model.brokerKafkaId(b)} leads ${counts[b]} of topic ${topic}, fewer than ${min}${excluded}`,
          );
      }
    }
    return { satisfied: violations === 0, violations, details: details.slice(0, 5) };
  },
};
