// BrokerSetAwareGoal: each topic stays inside one broker set. Hard. CC: brokerSets.json, broker.set.assignment.policy.
import { Resource, type ClusterModel } from '../src/model/index.js';
import type { Goal, GoalContext, GoalStatus, GoalThresholds, Move } from './support/goal.js';
import { isAlive, replicaMove } from './support/model-queries.js';
import { partitionsOf, topicsMatching } from './support/topic-queries.js';

type BrokerSets = NonNullable<GoalThresholds['brokerSets']>;

/** Where each broker and topic belongs; fixed for a model and a configuration. */
interface SetFacts {
  sets: BrokerSets;
  pattern: RegExp | null;
  /** Set index by broker, -1 for a broker in no set (never a destination, as CC's strict default). */
  setOf: Int32Array;
  /** Alive brokers of each set. */
  members: number[][];
  /**
   * Set index by topic: the set holding most of the topic's original replicas, so the fewest bytes
   * move and the answer is stable while moves apply (CC hashes the topic name instead).
   */
  target: Int32Array;
  /** 1 for topics this goal leaves alone: those MinTopicLeadersPerBrokerGoal spreads over every broker (as CC). */
  exempt: Uint8Array;
}

const setFacts = new WeakMap<ClusterModel, SetFacts>();

function factsOf(model: ClusterModel, thresholds: GoalThresholds): SetFacts | null {
  const sets = thresholds.brokerSets;
  if (sets === null || sets.length === 0) return null;
  const pattern = thresholds.minTopicLeadersPerBroker.topicPattern;
  const cached = setFacts.get(model);
  if (cached !== undefined && cached.sets === sets && cached.pattern === pattern) return cached;
  const setOf = new Int32Array(model.brokerCount).fill(-1);
  // Sets are disjoint by contract; should an id repeat, its first set keeps it.
  sets.forEach((set, s) => {
    for (const id of set.brokerIds) {
      const b = model.brokerIndex(id);
      if (b >= 0 && setOf[b] === -1) setOf[b] = s;
    }
  });
  const members = sets.map(() => [] as number[]);
  for (let b = 0; b < model.brokerCount; b++) if (setOf[b]! >= 0 && isAlive(model, b)) members[setOf[b]!]!.push(b);
  const perTopic = new Int32Array(model.topicCount * sets.length);
  for (let r = 0; r < model.replicaCount; r++) {
    const s = setOf[model.originalBroker[r]!]!;
    if (s >= 0) perTopic[model.partitionTopic[model.replicaPartition[r]!]! * sets.length + s]!++;
  }
  const target = new Int32Array(model.topicCount);
  for (let t = 0; t < model.topicCount; t++) {
    // A topic with no replica in any set goes to the set with most alive brokers.
    let best = members.reduce((top, m, s) => (m.length > members[top]!.length ? s : top), 0);
    for (let s = 0; s < sets.length; s++) {
      if (perTopic[t * sets.length + s]! > perTopic[t * sets.length + best]!) best = s;
    }
    target[t] = best;
  }
  const exempt = pattern === null ? new Uint8Array(model.topicCount) : topicsMatching(model, pattern);
  const facts = { sets, pattern, setOf, members, target, exempt };
  setFacts.set(model, facts);
  return facts;
}

/** A replica may go into its topic's set, or anywhere its set does not change (no worse than before). */
function staysInSet(model: ClusterModel, facts: SetFacts, replica: number, toBroker: number): boolean {
  const topic = model.partitionTopic[model.replicaPartition[replica]!]!;
  if (facts.exempt[topic] === 1) return true;
  const to = facts.setOf[toBroker]!;
  return to === facts.target[topic] || to === facts.setOf[model.replicaBroker[replica]!];
}

const setName = (facts: SetFacts, s: number) => (s < 0 ? 'no set' : `set ${facts.sets[s]!.id}`);

export const brokerSetAwareGoal: Goal = {
  name: 'BrokerSetAwareGoal',
  hard: true,

  optimize(ctx: GoalContext): void {
    const { model } = ctx;
    const facts = factsOf(model, ctx.thresholds);
    if (facts === null) return;
    for (let t = 0; t < model.topicCount; t++) {
      if (facts.exempt[t] === 1) continue;
      const target = facts.target[t]!;
      // Least-used destinations first, taken in turn so one topic does not pile onto one broker.
      const destinations = facts.members[target]!.filter((b) => ctx.canReceiveReplica(b));
      destinations.sort(
        (a, b) => model.brokerUtilization(a, Resource.DISK) - model.brokerUtilization(b, Resource.DISK),
      );
      let next = 0;
      for (const p of partitionsOf(model, t)) {
        if (!ctx.canMovePartition(p)) continue;
        for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
          if (facts.setOf[model.replicaBroker[r]!] === target) continue;
          for (let i = 0; i < destinations.length; i++) {
            const b = destinations[(next + i) % destinations.length]!;
            if (model.replicaOnBroker(p, b) !== -1 || !ctx.tryMove(replicaMove(model, r, b))) continue;
            next = (next + i + 1) % destinations.length;
            break;
          }
        }
      }
    }
  },

  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds): boolean {
    if (move.kind !== 'replica' && move.kind !== 'swap') return true;
    const facts = factsOf(model, thresholds);
    if (facts === null) return true;
    if (move.kind === 'replica') return staysInSet(model, facts, move.replica, move.toBroker);
    return (
      staysInSet(model, facts, move.a, model.replicaBroker[move.b]!) &&
      staysInSet(model, facts, move.b, model.replicaBroker[move.a]!)
    );
  },

  status(model: ClusterModel, thresholds: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus {
    const details: string[] = [];
    let violations = 0;
    const facts = factsOf(model, thresholds);
    if (facts === null) return { satisfied: true, violations, details };
    for (let t = 0; t < model.topicCount; t++) {
      if (facts.exempt[t] === 1) continue;
      // As CC: the topic's replicas (of partitions in scope) must all sit in one set, whichever it is.
      const target = facts.target[t]!;
      let first = -2;
      let mixed = false;
      let stray = -1;
      let rf = 0;
      for (const p of partitionsOf(model, t)) {
        if (inScope && !inScope(p)) continue;
        rf = Math.max(rf, model.partitionReplicaStart[p + 1]! - model.partitionReplicaStart[p]!);
        for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
          const s = facts.setOf[model.replicaBroker[r]!]!;
          if (first === -2) first = s;
          if (s !== first || s < 0) mixed = true;
          if (stray < 0 && s !== target) stray = r;
        }
      }
      if (!mixed) continue;
      violations++;
      if (details.length >= 5) continue;
      const broker = model.replicaBroker[stray]!;
      const room = facts.members[target]!.length;
      details.push(
        `topic ${model.tables.topicNames[t]} is not in one broker set: ${model.partitionName(model.replicaPartition[stray]!)} ` +
          `has a replica on broker ${model.brokerKafkaId(broker)} (${setName(facts, facts.setOf[broker]!)}), its topic's set is ` +
          `${facts.sets[target]!.id}` +
          (room < rf ? ` with ${room} alive brokers for replication factor ${rf}` : ''),
      );
    }
    return { satisfied: violations === 0, violations, details };
  },
};
