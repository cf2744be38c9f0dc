// RackAwareDistributionGoal: replicas spread evenly over the alive racks, more replicas than racks
// allowed; a violation fixed, an even spread left alone, later moves and swaps vetoed, an infeasible
// model named, and seeded random models.
import { describe, expect, it } from 'vitest';
import { rackAwareDistributionGoal } from '../../../goals/rack-aware-distribution.goal.js';
import { replicaDistributionGoal } from '../../../goals/replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS } from '../../../goals/support/goal.js';
import { HardGoalViolationError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, ClusterModel } from '../../../src/model/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { expectHoldsOrFailsByName } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { leaderOf } from '../../support/model-readers.js';

/** Replicas of partition `p` per rack name. */
function perRack(m: ClusterModel, p: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++) {
    const rack = m.tables.rackNames[m.brokerRack[m.replicaBroker[r]!]!]!;
    counts[rack] = (counts[rack] ?? 0) + 1;
  }
  return counts;
}

describe('RackAwareDistributionGoal', () => {
  it('moves a replica from the fullest rack to the emptiest, allowing more replicas than racks', () => {
    const m = rackModel(['a', 'a', 'a', 'b', 'b', 'b'], [{ replicas: [0, 1, 2, 3] }]);
    const result = optimize(m, { goals: [rackAwareDistributionGoal] });
    expect(perRack(m, 0)).toEqual({ a: 2, b: 2 });
    expect(result.replicaMoves).toBe(1);
    // The leader stayed on broker 0: a follower moved.
    expect(leaderOf(m, 0)).toBe(0);
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
    expectInvariants(m);
  });

  it('uses an alive rack the partition does not use', () => {
    const m = rackModel(['a', 'a', 'b', 'c'], [{ replicas: [0, 1, 2] }]);
    optimize(m, { goals: [rackAwareDistributionGoal] });
    expect(perRack(m, 0)).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('leaves an even spread over the alive racks alone, including RF above the rack count', () => {
    // Rack c's only broker is dead, so two replicas each in a and b is as even as it gets.
    const m = rackModel(
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
    const control = rackModel(['a', 'b', 'b'], parts);
    optimize(control, { goals: [replicaDistributionGoal] });
    expect(rackAwareDistributionGoal.status(control, DEFAULT_THRESHOLDS).satisfied).toBe(false);

    const m = rackModel(['a', 'b', 'b'], parts);
    const result = optimize(m, { goals: [rackAwareDistributionGoal, replicaDistributionGoal] });
    // Broker 1 → 2 stays in rack b and is taken; broker 0 → 2 would put two replicas in b and none in a.
    expect(m.brokerReplicaCount[m.brokerIndex(2)]).toBeGreaterThan(0);
    expect(m.brokerReplicaCount[m.brokerIndex(0)]).toBe(6);
    for (let p = 0; p < m.partitionCount; p++) expect(perRack(m, p)).toEqual({ a: 1, b: 1 });
    expect(result.goals[0]!.after.satisfied).toBe(true);
  });

  it('vetoes swaps that unbalance either partition', () => {
    const m = rackModel(['a', 'b', 'a'], [{ replicas: [0, 1] }, { replicas: [2] }]);
    // Replica of p0 on broker 0 (rack a) ↔ p1 on broker 2 (rack a): same rack, fine.
    expect(rackAwareDistributionGoal.accepts(m, { kind: 'swap', a: 0, b: 2 }, DEFAULT_THRESHOLDS)).toBe(true);
    // Replica of p0 on broker 1 (rack b) ↔ p1 on broker 2 (rack a): p0 would have two in a.
    expect(rackAwareDistributionGoal.accepts(m, { kind: 'swap', a: 1, b: 2 }, DEFAULT_THRESHOLDS)).toBe(false);
  });

  it('fails naming the goal and the partition when a rack has too few brokers', () => {
    // Four replicas over two racks need 2 + 2, but rack b has one broker.
    const build = () => rackModel(['a', 'a', 'a', 'b'], [{ replicas: [0, 1, 2, 3] }]);
    expect(() => optimize(build(), { goals: [rackAwareDistributionGoal] })).toThrow(HardGoalViolationError);
    expect(() => optimize(build(), { goals: [rackAwareDistributionGoal] })).toThrow(
      /RackAwareDistributionGoal cannot be met: t-0 has replicas per rack a=3, b=1 over 2 alive racks/,
    );
  });

  it('holds or fails by name on seeded random models', () => {
    expectHoldsOrFailsByName(rackAwareDistributionGoal, () => DEFAULT_THRESHOLDS);
  });
});
