// LeaderBytesInDistributionGoal: leader bytes in per broker within 1.10 × the mean, by leadership
// moves; a balanced model left alone, a later goal's breaking moves vetoed, and seeded property tests.
import { describe, expect, it } from 'vitest';
import { leaderBytesInDistributionGoal } from '../../../goals/leader-bytes-in-distribution.goal.js';
import { leaderReplicaDistributionGoal } from '../../../goals/leader-replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS } from '../../../goals/support/goal.js';
import { optimize } from '../../../src/analyzer/optimizer.js';
import { ClusterModel, Resource } from '../../../src/model/index.js';
import { rackModel, repeatParts, type SmallPart } from '../../fixtures/small-models.js';
import { expectNeverWorseOnSeededModels } from '../../support/goal-tests.js';

/** Leader NW_IN per broker. */
function leaderBytesIn(m: ClusterModel): number[] {
  const sums = new Array<number>(m.brokerCount).fill(0);
  for (let p = 0; p < m.partitionCount; p++) {
    const leader = m.partitionLeader[p]!;
    if (leader >= 0) sums[m.replicaBroker[leader]!]! += m.leaderLoad[p * 4 + Resource.NW_IN]!;
  }
  return sums;
}

describe('LeaderBytesInDistributionGoal', () => {
  const goal = leaderBytesInDistributionGoal;

  it('moves leadership (never data) off a broker leading above 1.10 × the mean bytes in', () => {
    const m = rackModel(['a', 'b'], repeatParts(4, { replicas: [0, 1], load: [1, 100, 10, 10] }));
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 1 }, after: { satisfied: true } });
    expect(result.replicaMoves).toBe(0);
    expect(result.leaderMoves).toBe(2);
    expect(leaderBytesIn(m)).toEqual([200, 200]);
  });

  it('leaves a balanced model alone', () => {
    const m = rackModel(
      ['a', 'b'],
      [
        { replicas: [0, 1], load: [1, 100, 10, 10] },
        { replicas: [1, 0], load: [1, 100, 10, 10] },
      ],
    );
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it("vetoes a later goal's leadership move that would lead a broker above the limit", () => {
    // Broker 0 leads one heavy partition (500 KB/s), broker 1 five light ones (100 each): balanced
    // bytes (limit 550), unbalanced counts, so LeaderReplicaDistributionGoal wants one light leader on broker 0.
    const parts = [
      { replicas: [0, 1], load: [1, 500, 10, 10] as SmallPart['load'] },
      ...repeatParts(5, { replicas: [1, 0], load: [1, 100, 10, 10] }),
    ];
    const guarded = rackModel(['a', 'b'], parts);
    const result = optimize(guarded, { goals: [goal, leaderReplicaDistributionGoal] });
    expect(result.leaderMoves).toBe(0);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const unguarded = rackModel(['a', 'b'], parts);
    expect(optimize(unguarded, { goals: [leaderReplicaDistributionGoal] }).leaderMoves).toBe(1);
    expect(leaderBytesIn(unguarded)[0]).toBe(600);
  });

  it('vetoes moving a leader replica onto a broker it would lead above the limit, but lets followers move', () => {
    const m = rackModel(
      ['a', 'b', 'c'],
      [
        { replicas: [0, 1], load: [1, 100, 10, 10] },
        { replicas: [1, 2], load: [1, 100, 10, 10] },
      ],
    );
    // Mean 200 / 3, limit 73.3: broker 2 leads nothing, a leader arriving there would lead 100.
    expect(goal.accepts(m, { kind: 'replica', replica: 0, toBroker: 2, toDisk: -1 }, DEFAULT_THRESHOLDS)).toBe(false);
    expect(goal.accepts(m, { kind: 'replica', replica: 1, toBroker: 2, toDisk: -1 }, DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('on seeded random and synthetic models (property tests)', () => {
  it(`${leaderBytesInDistributionGoal.name} never gets worse, under later goals either, and its tracked sums match a fresh count`, () => {
    expectNeverWorseOnSeededModels(leaderBytesInDistributionGoal);
  });
});
