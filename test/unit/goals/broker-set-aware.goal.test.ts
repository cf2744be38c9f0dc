// BrokerSetAwareGoal: each topic's replicas inside its broker set; moved into the set, nothing to
// enforce without sets, later goals vetoed, a set too small named, and seeded random models.
import { describe, expect, it } from 'vitest';
import { brokerSetAwareGoal } from '../../../goals/broker-set-aware.goal.js';
import { replicaDistributionGoal } from '../../../goals/replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS, type GoalThresholds } from '../../../goals/support/goal.js';
import { optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { expectHoldsOrFailsByName } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { brokersOf } from '../../support/model-readers.js';

describe('BrokerSetAwareGoal', () => {
  const sets = (...groups: number[][]): GoalThresholds => ({
    ...DEFAULT_THRESHOLDS,
    brokerSets: groups.map((brokerIds, i) => ({ id: ['blue', 'green', 'red'][i]!, brokerIds })),
  });
  const racks6 = ['a', 'b', 'c', 'a', 'b', 'c', 'a'];

  it("moves replicas outside the topic's set, or on brokers in no set, into the set", () => {
    const m = rackModel(racks6, [
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
    const mixed = rackModel(racks6, [{ replicas: [0, 3] }]);
    expect(optimize(mixed, { goals: [brokerSetAwareGoal] }).proposals).toEqual([]);
    const aware = rackModel(racks6, [{ replicas: [0, 1] }, { topic: 'u', replicas: [3, 4] }]);
    const result = optimize(aware, { goals: [brokerSetAwareGoal], thresholds: sets([0, 1, 2], [3, 4, 5]) });
    expect(result.proposals).toEqual([]);
    expect(result.goals[0]!.before.satisfied).toBe(true);
  });

  it('vetoes a later goal moving replicas into another set', () => {
    // Blue brokers 0 and 1 hold everything; replica distribution would fill the empty green ones.
    const parts = Array.from({ length: 4 }, () => ({ replicas: [0, 1] }));
    const control = rackModel(['a', 'b', 'a', 'b'], parts);
    const thresholds = sets([0, 1], [2, 3]);
    optimize(control, { goals: [replicaDistributionGoal], thresholds });
    expect(brokerSetAwareGoal.status(control, thresholds).satisfied).toBe(false);

    const m = rackModel(['a', 'b', 'a', 'b'], parts);
    const result = optimize(m, { goals: [brokerSetAwareGoal, replicaDistributionGoal], thresholds });
    expect(result.proposals).toEqual([]);
    expect(brokerSetAwareGoal.accepts(m, { kind: 'replica', replica: 0, toBroker: 2, toDisk: 2 }, thresholds)).toBe(
      false,
    );
  });

  it('fails naming the topic when its set has too few brokers for the replication factor', () => {
    const build = () => rackModel(racks6, [{ replicas: [0, 1, 3] }, { replicas: [0, 1] }]);
    expect(() => optimize(build(), { goals: [brokerSetAwareGoal], thresholds: sets([0, 1], [3, 4, 5]) })).toThrow(
      /BrokerSetAwareGoal cannot be met: topic t is not in one broker set: t-0 has a replica on broker 3 \(set green\), its topic's set is blue with 2 alive brokers for replication factor 3/,
    );
  });

  it('leaves topics that MinTopicLeadersPerBrokerGoal spreads over every broker alone, as Cruise Control', () => {
    const m = rackModel(racks6, [{ topic: 'hot', replicas: [0, 3] }]);
    const thresholds = {
      ...sets([0, 1, 2], [3, 4, 5]),
      minTopicLeadersPerBroker: { topicPattern: /^hot$/, minLeaders: 1 },
    };
    expect(optimize(m, { goals: [brokerSetAwareGoal], thresholds }).proposals).toEqual([]);
  });

  it('holds or fails by name on seeded random models', () => {
    // randomModel's brokers have Kafka ids 100, 107, … 149: two sets of four.
    expectHoldsOrFailsByName(brokerSetAwareGoal, () => sets([100, 107, 114, 121], [128, 135, 142, 149]));
  });
});
