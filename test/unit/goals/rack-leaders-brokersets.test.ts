// RackAwareDistributionGoal, MinTopicLeadersPerBrokerGoal and BrokerSetAwareGoal on hand-built models
// (violation fixed, satisfied model left alone, later goals vetoed, infeasible named) and seeded random ones.
import { describe, expect, it } from 'vitest';
import { brokerSetAwareGoal } from '../../../goals/broker-set-aware.goal.js';
import { leaderReplicaDistributionGoal } from '../../../goals/leader-replica-distribution.goal.js';
import { minTopicLeadersPerBrokerGoal } from '../../../goals/min-topic-leaders-per-broker.goal.js';
import { rackAwareDistributionGoal } from '../../../goals/rack-aware-distribution.goal.js';
import { replicaDistributionGoal } from '../../../goals/replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS, type Goal, type GoalThresholds } from '../../../goals/support/goal.js';
import { DrainError, HardGoalViolationError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, ClusterModel } from '../../../src/model/index.js';
import { randomModel } from '../../fixtures/random-model.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { smallModel, type SmallPart } from '../../fixtures/small-models.js';

/** Brokers `0..n-1` with the given racks, one disk each, plenty of capacity. */
/** Brokers `0..n-1` on the given racks, one disk each, capacity [100, 1000, 1000, 1000]. */
function model(racks: string[], parts: SmallPart[], states: number[] = []): ClusterModel {
  return smallModel(racks, parts, { states });
}

/** Replicas of partition `p` per rack name. */
function perRack(m: ClusterModel, p: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++) {
    const rack = m.tables.rackNames[m.brokerRack[m.replicaBroker[r]!]!]!;
    counts[rack] = (counts[rack] ?? 0) + 1;
  }
  return counts;
}

/** Kafka ids of the brokers holding partition `p`. */
const brokersOf = (m: ClusterModel, p: number) => {
  const ids: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    ids.push(m.brokerKafkaId(m.replicaBroker[r]!));
  return ids;
};
const leaderOf = (m: ClusterModel, p: number) => m.brokerKafkaId(m.replicaBroker[m.partitionLeader[p]!]!);
/** Leaders of `topic` on each broker, by Kafka id. */
const topicLeaders = (m: ClusterModel, topic: string) => {
  const counts = new Map<number, number>();
  for (let p = 0; p < m.partitionCount; p++) {
    if (m.tables.topicNames[m.partitionTopic[p]!] !== topic || m.partitionLeader[p]! < 0) continue;
    counts.set(leaderOf(m, p), (counts.get(leaderOf(m, p)) ?? 0) + 1);
  }
  return counts;
};

/**
 * Seeded random models: after optimizing with `goal` (then ReplicaDistributionGoal, which it must
 * constrain) the goal holds, or optimization failed naming it; the model stays consistent.
 */
function propertyTest(goal: Goal, thresholds: (m: ClusterModel) => GoalThresholds): void {
  let held = 0;
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const m = randomModel(seed, { brokers: 8, racks: 3, partitions: 80, maxReplicationFactor: 4 });
    const t = thresholds(m);
    try {
      const result = optimize(m, { goals: [goal, replicaDistributionGoal], thresholds: t });
      expect(result.goals[0]!.after.satisfied, `seed ${seed}`).toBe(true);
      expect(goal.status(m, t).satisfied, `seed ${seed} after ReplicaDistributionGoal`).toBe(true);
      held++;
    } catch (error) {
      // Some seeds have replicas on failed disks with too few live brokers to re-home them.
      if (!(error instanceof DrainError)) {
        expect(error).toBeInstanceOf(HardGoalViolationError);
        expect((error as HardGoalViolationError).goal).toBe(goal.name);
      }
    }
    expectInvariants(m);
  }
  // The generator must yield feasible models too, or the test would prove nothing.
  expect(held).toBeGreaterThan(0);
}

describe('RackAwareDistributionGoal', () => {
  it('moves a replica from the fullest rack to the emptiest, allowing more replicas than racks', () => {
    const m = model(['a', 'a', 'a', 'b', 'b', 'b'], [{ replicas: [0, 1, 2, 3] }]);
    const result = optimize(m, { goals: [rackAwareDistributionGoal] });
    expect(perRack(m, 0)).toEqual({ a: 2, b: 2 });
    expect(result.replicaMoves).toBe(1);
    // The leader stayed on broker 0: a follower moved.
    expect(leaderOf(m, 0)).toBe(0);
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
    expectInvariants(m);
  });

  it('uses an alive rack the partition does not use', () => {
    const m = model(['a', 'a', 'b', 'c'], [{ replicas: [0, 1, 2] }]);
    optimize(m, { goals: [rackAwareDistributionGoal] });
    expect(perRack(m, 0)).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('leaves an even spread over the alive racks alone, including RF above the rack count', () => {
    // Rack c's only broker is dead, so two replicas each in a and b is as even as it gets.
    const m = model(
      ['a', 'a', 'b', 'b', 'c'],
      [{ replicas: [0, 2, 1, 3] }, { replicas: [0, 2] }, { replicas: [1] }],
      [BrokerState.ALIVE, BrokerState.ALIVE, BrokerState.ALIVE, BrokerState.ALIVE, 0],
    );
    const result = optimize(m, { goals: [rackAwareDistributionGoal] });
    expect(result.proposals).toEqual([]);
    expect(result.goals[0]!.before.satisfied).toBe(true);
  });

  it('vetoes a later goal moving a replica into a rack that already holds as many', () => {
    // Replica distribution wants brokers 0 and 1 to give replicas to the empty broker 2 (rack b).
    const parts = Array.from({ length: 6 }, () => ({ replicas: [0, 1] }));
    const control = model(['a', 'b', 'b'], parts);
    optimize(control, { goals: [replicaDistributionGoal] });
    expect(rackAwareDistributionGoal.status(control, DEFAULT_THRESHOLDS).satisfied).toBe(false);

    const m = model(['a', 'b', 'b'], parts);
    const result = optimize(m, { goals: [rackAwareDistributionGoal, replicaDistributionGoal] });
    // Broker 1 → 2 stays in rack b and is taken; broker 0 → 2 would put two replicas in b and none in a.
    expect(m.brokerReplicaCount[m.brokerIndex(2)]).toBeGreaterThan(0);
    expect(m.brokerReplicaCount[m.brokerIndex(0)]).toBe(6);
    for (let p = 0; p < m.partitionCount; p++) expect(perRack(m, p)).toEqual({ a: 1, b: 1 });
    expect(result.goals[0]!.after.satisfied).toBe(true);
  });

  it('vetoes swaps that unbalance either partition', () => {
    const m = model(['a', 'b', 'a'], [{ replicas: [0, 1] }, { replicas: [2] }]);
    // Replica of p0 on broker 0 (rack a) ↔ p1 on broker 2 (rack a): same rack, fine.
    expect(rackAwareDistributionGoal.accepts(m, { kind: 'swap', a: 0, b: 2 }, DEFAULT_THRESHOLDS)).toBe(true);
    // Replica of p0 on broker 1 (rack b) ↔ p1 on broker 2 (rack a): p0 would have two in a.
    expect(rackAwareDistributionGoal.accepts(m, { kind: 'swap', a: 1, b: 2 }, DEFAULT_THRESHOLDS)).toBe(false);
  });

  it('fails naming the goal and the partition when a rack has too few brokers', () => {
    // Four replicas over two racks need 2 + 2, but rack b has one broker.
    const build = () => model(['a', 'a', 'a', 'b'], [{ replicas: [0, 1, 2, 3] }]);
    expect(() => optimize(build(), { goals: [rackAwareDistributionGoal] })).toThrow(HardGoalViolationError);
    expect(() => optimize(build(), { goals: [rackAwareDistributionGoal] })).toThrow(
      /RackAwareDistributionGoal cannot be met: t-0 has replicas per rack a=3, b=1 over 2 alive racks/,
    );
  });

  it('holds or fails by name on seeded random models', () => {
    propertyTest(rackAwareDistributionGoal, () => DEFAULT_THRESHOLDS);
  });
});

describe('MinTopicLeadersPerBrokerGoal', () => {
  const hot = (minLeaders = 1): GoalThresholds => ({
    ...DEFAULT_THRESHOLDS,
    minTopicLeadersPerBroker: { topicPattern: /^hot$/, minLeaders },
  });

  it('elects leaders on brokers that lead none of the topic, without moving replicas', () => {
    const parts = Array.from({ length: 3 }, () => ({ topic: 'hot', replicas: [0, 1, 2] }));
    const m = model(['a', 'b', 'c'], parts);
    const result = optimize(m, { goals: [minTopicLeadersPerBrokerGoal], thresholds: hot() });
    expect(result.replicaMoves).toBe(0);
    expect(topicLeaders(m, 'hot')).toEqual(
      new Map([
        [0, 1],
        [1, 1],
        [2, 1],
      ]),
    );
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
  });

  it('moves a leader replica onto a broker that holds no replica of the topic', () => {
    const m = model(
      ['a', 'b', 'c', 'd'],
      [
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [0, 2] },
        { topic: 'hot', replicas: [1, 2] },
        { topic: 'hot', replicas: [2, 0] },
      ],
    );
    const result = optimize(m, { goals: [minTopicLeadersPerBrokerGoal], thresholds: hot() });
    expect(result.replicaMoves).toBe(1);
    for (const id of [0, 1, 2, 3]) expect(topicLeaders(m, 'hot').get(id)).toBe(1);
    expectInvariants(m);
  });

  it('needs no topic by default and leaves a satisfied model alone', () => {
    const skewed = model(
      ['a', 'b'],
      [
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [0, 1] },
      ],
    );
    expect(optimize(skewed, { goals: [minTopicLeadersPerBrokerGoal] }).proposals).toEqual([]);
    const even = model(
      ['a', 'b'],
      [
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [1, 0] },
      ],
    );
    const result = optimize(even, { goals: [minTopicLeadersPerBrokerGoal], thresholds: hot() });
    expect(result.proposals).toEqual([]);
    expect(result.goals[0]!.before.satisfied).toBe(true);
  });

  it('vetoes a later goal taking the last leader of the topic from a broker', () => {
    // Broker 0 leads 5 (hot-0 and four cold): leader distribution sheds hot-0 first, by replica order.
    const parts: SmallPart[] = [
      { topic: 'hot', replicas: [0, 1] },
      { topic: 'hot', replicas: [1, 0] },
      ...Array.from({ length: 4 }, () => ({ topic: 'cold', replicas: [0, 1] })),
    ];
    const control = model(['a', 'b'], parts);
    optimize(control, { goals: [leaderReplicaDistributionGoal], thresholds: hot() });
    expect(minTopicLeadersPerBrokerGoal.status(control, hot()).satisfied).toBe(false);

    const m = model(['a', 'b'], parts);
    const result = optimize(m, {
      goals: [minTopicLeadersPerBrokerGoal, leaderReplicaDistributionGoal],
      thresholds: hot(),
    });
    expect(leaderOf(m, 0)).toBe(0);
    expect(result.leaderMoves).toBeGreaterThan(0);
    expect(minTopicLeadersPerBrokerGoal.status(m, hot()).satisfied).toBe(true);
  });

  it('lets a broker above the minimum, or one that may not lead, give leaders away', () => {
    const m = model(
      ['a', 'b', 'c'],
      [
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [1, 0] },
        { topic: 'hot', replicas: [2, 0] },
      ],
      [BrokerState.ALIVE, BrokerState.ALIVE, BrokerState.ALIVE | BrokerState.DEMOTED],
    );
    const lead = (partition: number, toReplica: number) => ({ kind: 'leadership' as const, partition, toReplica });
    // Broker 0 leads two: one may go. Broker 1 leads one: it must stay. Broker 2 is demoted.
    expect(minTopicLeadersPerBrokerGoal.accepts(m, lead(0, 1), hot())).toBe(true);
    expect(minTopicLeadersPerBrokerGoal.accepts(m, lead(2, 5), hot())).toBe(false);
    expect(minTopicLeadersPerBrokerGoal.accepts(m, lead(3, 7), hot())).toBe(true);
    // Swapping hot leaders keeps every count.
    expect(minTopicLeadersPerBrokerGoal.accepts(m, { kind: 'swap', a: 4, b: 0 }, hot())).toBe(true);
  });

  it('fails with the numbers when the topic has fewer leaders than brokers × minimum', () => {
    const build = () =>
      model(
        ['a', 'b', 'c'],
        [
          { topic: 'hot', replicas: [0, 1] },
          { topic: 'hot', replicas: [1, 2] },
        ],
      );
    expect(() => optimize(build(), { goals: [minTopicLeadersPerBrokerGoal], thresholds: hot() })).toThrow(
      HardGoalViolationError,
    );
    expect(() => optimize(build(), { goals: [minTopicLeadersPerBrokerGoal], thresholds: hot() })).toThrow(
      /MinTopicLeadersPerBrokerGoal cannot be met: topic hot has 2 leaders, fewer than 3 brokers × 1 = 3/,
    );
  });

  it('holds or fails by name on seeded random models', () => {
    propertyTest(minTopicLeadersPerBrokerGoal, () => ({
      ...DEFAULT_THRESHOLDS,
      minTopicLeadersPerBroker: { topicPattern: /^topic-[01]$/, minLeaders: 1 },
    }));
  });
});

describe('BrokerSetAwareGoal', () => {
  const sets = (...groups: number[][]): GoalThresholds => ({
    ...DEFAULT_THRESHOLDS,
    brokerSets: groups.map((brokerIds, i) => ({ id: ['blue', 'green', 'red'][i]!, brokerIds })),
  });
  const racks6 = ['a', 'b', 'c', 'a', 'b', 'c', 'a'];

  it("moves replicas outside the topic's set, or on brokers in no set, into the set", () => {
    const m = model(racks6, [
      { replicas: [0, 1] },
      { replicas: [0, 3] },
      { replicas: [1, 6] },
      { topic: 'u', replicas: [3, 4] },
    ]);
    const result = optimize(m, { goals: [brokerSetAwareGoal], thresholds: sets([0, 1, 2], [3, 4, 5]) });
    for (const p of [0, 1, 2]) for (const id of brokersOf(m, p)) expect([0, 1, 2]).toContain(id);
    expect(brokersOf(m, 3)).toEqual([3, 4]);
    expect(result.replicaMoves).toBe(2);
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
    expectInvariants(m);
  });

  it('has nothing to enforce without broker sets and leaves a set-aware model alone', () => {
    const mixed = model(racks6, [{ replicas: [0, 3] }]);
    expect(optimize(mixed, { goals: [brokerSetAwareGoal] }).proposals).toEqual([]);
    const aware = model(racks6, [{ replicas: [0, 1] }, { topic: 'u', replicas: [3, 4] }]);
    const result = optimize(aware, { goals: [brokerSetAwareGoal], thresholds: sets([0, 1, 2], [3, 4, 5]) });
    expect(result.proposals).toEqual([]);
    expect(result.goals[0]!.before.satisfied).toBe(true);
  });

  it('vetoes a later goal moving replicas into another set', () => {
    // Blue brokers 0 and 1 hold everything; replica distribution would fill the empty green ones.
    const parts = Array.from({ length: 4 }, () => ({ replicas: [0, 1] }));
    const control = model(['a', 'b', 'a', 'b'], parts);
    const thresholds = sets([0, 1], [2, 3]);
    optimize(control, { goals: [replicaDistributionGoal], thresholds });
    expect(brokerSetAwareGoal.status(control, thresholds).satisfied).toBe(false);

    const m = model(['a', 'b', 'a', 'b'], parts);
    const result = optimize(m, { goals: [brokerSetAwareGoal, replicaDistributionGoal], thresholds });
    expect(result.proposals).toEqual([]);
    expect(brokerSetAwareGoal.accepts(m, { kind: 'replica', replica: 0, toBroker: 2, toDisk: 2 }, thresholds)).toBe(
      false,
    );
  });

  it('fails naming the topic when its set has too few brokers for the replication factor', () => {
    const build = () => model(racks6, [{ replicas: [0, 1, 3] }, { replicas: [0, 1] }]);
    expect(() => optimize(build(), { goals: [brokerSetAwareGoal], thresholds: sets([0, 1], [3, 4, 5]) })).toThrow(
      /BrokerSetAwareGoal cannot be met: topic t is not in one broker set: t-0 has a replica on broker 3 \(set green\), its topic's set is blue with 2 alive brokers for replication factor 3/,
    );
  });

  it('leaves topics that MinTopicLeadersPerBrokerGoal spreads over every broker alone, as Cruise Control', () => {
    const m = model(racks6, [{ topic: 'hot', replicas: [0, 3] }]);
    const thresholds = {
      ...sets([0, 1, 2], [3, 4, 5]),
      minTopicLeadersPerBroker: { topicPattern: /^hot$/, minLeaders: 1 },
    };
    expect(optimize(m, { goals: [brokerSetAwareGoal], thresholds }).proposals).toEqual([]);
  });

  it('holds or fails by name on seeded random models', () => {
    // randomModel's brokers have Kafka ids 100, 107, … 149: two sets of four.
    propertyTest(brokerSetAwareGoal, () => sets([100, 107, 114, 121], [128, 135, 142, 149]));
  });
});
