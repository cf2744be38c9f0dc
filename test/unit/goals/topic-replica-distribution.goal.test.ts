// TopicReplicaDistributionGoal: each topic's replicas per broker within Cruise Control's band; a
// violation fixed, a balanced model left alone, a later goal's breaking moves vetoed, swaps judged by
// every count they change, and seeded property tests.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, type Goal, type GoalContext, type Move } from '../../../goals/support/goal.js';
import { topicBand, topicReplicaDistributionGoal } from '../../../goals/topic-replica-distribution.goal.js';
import { optimize } from '../../../src/analyzer/optimizer.js';
import { ClusterModel } from '../../../src/model/index.js';
import { rackModel, repeatParts } from '../../fixtures/small-models.js';
import { expectNeverWorseOnSeededModels } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';

/** Replicas of `topic` on each broker. */
function topicCounts(m: ClusterModel, topic: string): number[] {
  const t = m.tables.topicIndexByName.get(topic)!;
  const counts = new Array<number>(m.brokerCount).fill(0);
  for (let r = 0; r < m.replicaCount; r++)
    if (m.partitionTopic[m.replicaPartition[r]!] === t) counts[m.replicaBroker[r]!]!++;
  return counts;
}

/** A later goal that tries the given moves in order and records which the optimizer applied. */
function tryingGoal(moves: (m: ClusterModel) => Move[]): Goal & { applied: Move[] } {
  const applied: Move[] = [];
  return {
    name: 'TryingGoal',
    hard: false,
    applied,
    optimize(ctx: GoalContext) {
      for (const move of moves(ctx.model)) if (ctx.tryMove(move)) applied.push(move);
    },
    accepts: () => true,
    status: () => ({ satisfied: true, violations: 0, details: [] }),
  };
}

describe('TopicReplicaDistributionGoal', () => {
  const goal = topicReplicaDistributionGoal;

  it("uses Cruise Control's band: mean × (1 ± 2 × 0.9), rounded outward, 2 to 40 replicas from the mean", () => {
    const t = DEFAULT_THRESHOLDS;
    // Mean 50 (100 replicas, 2 brokers): 140 is capped at 50 + 40, 0 raised to 50 − 40.
    expect(topicBand(rackModel(['a', 'b'], repeatParts(100, { replicas: [0] })), 0, t)).toEqual({
      lower: 10,
      upper: 90,
    });
    // Mean 2 (8 replicas, 4 brokers): ceil(2 × 2.8) = 6.
    expect(topicBand(rackModel(['a', 'b', 'c', 'd'], repeatParts(8, { replicas: [0] })), 0, t)).toEqual({
      lower: 0,
      upper: 6,
    });
    // Mean 0.5: ceil(1.4) = 2 is raised to ceil(0.5) + 2 = 3.
    expect(topicBand(rackModel(['a', 'b', 'c', 'd'], repeatParts(2, { replicas: [0] })), 0, t)).toEqual({
      lower: 0,
      upper: 3,
    });
    // Dead brokers do not count in the mean: 8 replicas over 2 alive brokers is a mean of 4.
    const dead = rackModel(['a', 'b', 'c', 'd'], repeatParts(8, { replicas: [0] }), [1, 1, 0, 0]);
    expect(topicBand(dead, 0, t)).toEqual({ lower: 0, upper: 12 });
  });

  it('moves replicas of an over-collocated topic to the brokers with the fewest, leaving other topics alone', () => {
    const m = rackModel(
      ['a', 'b', 'c', 'd'],
      [...repeatParts(8, { replicas: [0] }), ...[0, 1, 2, 3].map((b) => ({ topic: 'u', replicas: [b] }))],
    );
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false, violations: 1 }, after: { satisfied: true } });
    expect(topicCounts(m, 't')[0]).toBe(6);
    expect(Math.max(...topicCounts(m, 't').slice(1))).toBe(1);
    expect(topicCounts(m, 'u')).toEqual([1, 1, 1, 1]);
    expectInvariants(m);
  });

  it('fills a broker below the lower limit from the broker with the most', () => {
    // Mean 50, band [10, 90]: nobody is above, broker 2 is below.
    const m = rackModel(
      ['a', 'b', 'c'],
      [...repeatParts(80, { replicas: [0] }), ...repeatParts(70, { replicas: [1] })],
    );
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 1 }, after: { satisfied: true } });
    // The highest first each time: broker 0 until it ties with broker 1.
    expect(topicCounts(m, 't')).toEqual([70, 70, 10]);
  });

  it('leaves a balanced model alone', () => {
    const m = rackModel(['a', 'b', 'c'], repeatParts(9, { replicas: [0, 1, 2] }));
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it("vetoes a later goal's moves that would push a broker above the band", () => {
    // Mean 2, upper 6: broker 0 has 5 replicas of t, so only one more may arrive.
    const parts = [...repeatParts(5, { replicas: [0] }), { replicas: [1] }, { replicas: [2] }, { replicas: [3] }];
    const pile = (m: ClusterModel): Move[] =>
      [5, 6, 7].map((r) => ({ kind: 'replica', replica: r, toBroker: 0, toDisk: m.diskBroker.indexOf(0) }));
    const guarded = rackModel(['a', 'b', 'c', 'd'], parts);
    const later = tryingGoal(pile);
    const result = optimize(guarded, { goals: [goal, later] });
    expect(later.applied).toHaveLength(1);
    expect(topicCounts(guarded, 't')[0]).toBe(6);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    // Without the goal ahead of it, the same later goal piles all three on broker 0.
    const unguarded = rackModel(['a', 'b', 'c', 'd'], parts);
    optimize(unguarded, { goals: [tryingGoal(pile)] });
    expect(topicCounts(unguarded, 't')[0]).toBe(8);
  });

  it('judges a swap of two topics by all four counts it changes, and accepts same-topic swaps', () => {
    // t (mean 2, upper 6): replicas 0-5 on broker 0, 6 on broker 1, 7 on broker 2.
    // u (mean 1, upper 3): replicas 8-10 on broker 2, 11 on broker 3.
    const m = rackModel(
      ['a', 'b', 'c', 'd'],
      [
        ...repeatParts(6, { replicas: [0] }),
        { replicas: [1] },
        { replicas: [2] },
        ...repeatParts(3, { topic: 'u', replicas: [2] }),
        { topic: 'u', replicas: [3] },
      ],
    );
    const accepts = (move: Move) => goal.accepts(m, move, DEFAULT_THRESHOLDS);
    expect(accepts({ kind: 'swap', a: 6, b: 0 })).toBe(true); // t for t: no count changes
    expect(accepts({ kind: 'swap', a: 6, b: 11 })).toBe(true); // t to broker 3, u to broker 1
    expect(accepts({ kind: 'swap', a: 7, b: 11 })).toBe(false); // u to broker 2 would make 4 > 3
    expect(accepts({ kind: 'replica', replica: 7, toBroker: 0, toDisk: -1 })).toBe(false); // t: 7 > 6
    expect(accepts({ kind: 'leadership', partition: 0, toReplica: 0 })).toBe(true);
  });
});

describe('on seeded random and synthetic models (property tests)', () => {
  it(`${topicReplicaDistributionGoal.name} never gets worse, under later goals either, and its tracked sums match a fresh count`, () => {
    expectNeverWorseOnSeededModels(topicReplicaDistributionGoal);
  });
});
