// MinTopicLeadersPerBrokerGoal: every broker leads at least the minimum of the chosen topics; leaders
// elected or leader replicas moved, a satisfied model left alone, later goals vetoed, too few leaders
// named, and seeded random models.
import { describe, expect, it } from 'vitest';
import { leaderReplicaDistributionGoal } from '../../../goals/leader-replica-distribution.goal.js';
import { minTopicLeadersPerBrokerGoal } from '../../../goals/min-topic-leaders-per-broker.goal.js';
import { DEFAULT_THRESHOLDS, type GoalThresholds } from '../../../goals/support/goal.js';
import { HardGoalViolationError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, ClusterModel } from '../../../src/model/index.js';
import { rackModel, type SmallPart } from '../../fixtures/small-models.js';
import { expectHoldsOrFailsByName } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { leaderOf } from '../../support/model-readers.js';

/** Leaders of `topic` on each broker, by Kafka id. */
const topicLeaders = (m: ClusterModel, topic: string) => {
  const counts = new Map<number, number>();
  for (let p = 0; p < m.partitionCount; p++) {
    if (m.tables.topicNames[m.partitionTopic[p]!] !== topic || m.partitionLeader[p]! < 0) continue;
    counts.set(leaderOf(m, p), (counts.get(leaderOf(m, p)) ?? 0) + 1);
  }
  return counts;
};

describe('MinTopicLeadersPerBrokerGoal', () => {
  const hot = (minLeaders = 1): GoalThresholds => ({
    ...DEFAULT_THRESHOLDS,
    minTopicLeadersPerBroker: { topicPattern: /^hot$/, minLeaders },
  });

  it('elects leaders on brokers that lead none of the topic, without moving replicas', () => {
    const parts = Array.from({ length: 3 }, () => ({ topic: 'hot', replicas: [0, 1, 2] }));
    const m = rackModel(['a', 'b', 'c'], parts);
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
    const m = rackModel(
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
    const skewed = rackModel(
      ['a', 'b'],
      [
        { topic: 'hot', replicas: [0, 1] },
        { topic: 'hot', replicas: [0, 1] },
      ],
    );
    expect(optimize(skewed, { goals: [minTopicLeadersPerBrokerGoal] }).proposals).toEqual([]);
    const even = rackModel(
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
    const control = rackModel(['a', 'b'], parts);
    optimize(control, { goals: [leaderReplicaDistributionGoal], thresholds: hot() });
    expect(minTopicLeadersPerBrokerGoal.status(control, hot()).satisfied).toBe(false);

    const m = rackModel(['a', 'b'], parts);
    const result = optimize(m, {
      goals: [minTopicLeadersPerBrokerGoal, leaderReplicaDistributionGoal],
      thresholds: hot(),
    });
    expect(leaderOf(m, 0)).toBe(0);
    expect(result.leaderMoves).toBeGreaterThan(0);
    expect(minTopicLeadersPerBrokerGoal.status(m, hot()).satisfied).toBe(true);
  });

  it('lets a broker above the minimum, or one that may not lead, give leaders away', () => {
    const m = rackModel(
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
      rackModel(
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
    expectHoldsOrFailsByName(minTopicLeadersPerBrokerGoal, () => ({
      ...DEFAULT_THRESHOLDS,
      minTopicLeadersPerBroker: { topicPattern: /^topic-[01]$/, minLeaders: 1 },
    }));
  });
});
