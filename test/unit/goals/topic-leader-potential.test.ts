// TopicReplicaDistributionGoal, LeaderBytesInDistributionGoal and PotentialNwOutGoal on hand-built
// models (a violation fixed, a satisfied model left alone, a later goal's breaking move vetoed) and
// seeded property tests: never worse on their own terms, model invariants kept, and the sums they
// track through accepted moves equal to sums recomputed from scratch.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, type Goal, type GoalContext, type Move } from '../../../goals/support/goal.js';
import { diskUsageDistributionGoal } from '../../../goals/disk-usage-distribution.goal.js';
import { leaderBytesInDistributionGoal } from '../../../goals/leader-bytes-in-distribution.goal.js';
import { leaderReplicaDistributionGoal } from '../../../goals/leader-replica-distribution.goal.js';
import { networkOutboundUsageDistributionGoal } from '../../../goals/network-outbound-usage-distribution.goal.js';
import { potentialNwOutGoal } from '../../../goals/potential-nw-out.goal.js';
import { replicaDistributionGoal } from '../../../goals/replica-distribution.goal.js';
import { topicBand, topicReplicaDistributionGoal } from '../../../goals/topic-replica-distribution.goal.js';
import { optimize } from '../../../src/analyzer/optimizer.js';
import { ClusterModel, generateSyntheticModel, Resource } from '../../../src/model/index.js';
import { randomModel } from '../../fixtures/random-model.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { smallModel, type SmallPart } from '../../fixtures/small-models.js';

/** Brokers `0..n-1` on the given racks, one disk each, capacity [100, 1000, 1000, 1000]. */
function model(racks: string[], parts: SmallPart[], states: number[] = []): ClusterModel {
  return smallModel(racks, parts, { states });
}

const repeat = (n: number, part: SmallPart): SmallPart[] => Array.from({ length: n }, () => ({ ...part }));

/** Replicas of `topic` on each broker. */
function topicCounts(m: ClusterModel, topic: string): number[] {
  const t = m.tables.topicIndexByName.get(topic)!;
  const counts = new Array<number>(m.brokerCount).fill(0);
  for (let r = 0; r < m.replicaCount; r++)
    if (m.partitionTopic[m.replicaPartition[r]!] === t) counts[m.replicaBroker[r]!]!++;
  return counts;
}

/** Leader NW_IN per broker. */
function leaderBytesIn(m: ClusterModel): number[] {
  const sums = new Array<number>(m.brokerCount).fill(0);
  for (let p = 0; p < m.partitionCount; p++) {
    const leader = m.partitionLeader[p]!;
    if (leader >= 0) sums[m.replicaBroker[leader]!]! += m.leaderLoad[p * 4 + Resource.NW_IN]!;
  }
  return sums;
}

/** Leader NW_OUT of every partition with a replica on the broker. */
function potentialNwOut(m: ClusterModel): number[] {
  const sums = new Array<number>(m.brokerCount).fill(0);
  for (let r = 0; r < m.replicaCount; r++)
    sums[m.replicaBroker[r]!]! += m.leaderLoad[m.replicaPartition[r]! * 4 + Resource.NW_OUT]!;
  return sums;
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
    expect(topicBand(model(['a', 'b'], repeat(100, { replicas: [0] })), 0, t)).toEqual({ lower: 10, upper: 90 });
    // Mean 2 (8 replicas, 4 brokers): ceil(2 × 2.8) = 6.
    expect(topicBand(model(['a', 'b', 'c', 'd'], repeat(8, { replicas: [0] })), 0, t)).toEqual({ lower: 0, upper: 6 });
    // Mean 0.5: ceil(1.4) = 2 is raised to ceil(0.5) + 2 = 3.
    expect(topicBand(model(['a', 'b', 'c', 'd'], repeat(2, { replicas: [0] })), 0, t)).toEqual({ lower: 0, upper: 3 });
    // Dead brokers do not count in the mean: 8 replicas over 2 alive brokers is a mean of 4.
    const dead = model(['a', 'b', 'c', 'd'], repeat(8, { replicas: [0] }), [1, 1, 0, 0]);
    expect(topicBand(dead, 0, t)).toEqual({ lower: 0, upper: 12 });
  });

  it('moves replicas of an over-collocated topic to the brokers with the fewest, leaving other topics alone', () => {
    const m = model(
      ['a', 'b', 'c', 'd'],
      [...repeat(8, { replicas: [0] }), ...[0, 1, 2, 3].map((b) => ({ topic: 'u', replicas: [b] }))],
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
    const m = model(['a', 'b', 'c'], [...repeat(80, { replicas: [0] }), ...repeat(70, { replicas: [1] })]);
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 1 }, after: { satisfied: true } });
    // The highest first each time: broker 0 until it ties with broker 1.
    expect(topicCounts(m, 't')).toEqual([70, 70, 10]);
  });

  it('leaves a balanced model alone', () => {
    const m = model(['a', 'b', 'c'], repeat(9, { replicas: [0, 1, 2] }));
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it("vetoes a later goal's moves that would push a broker above the band", () => {
    // Mean 2, upper 6: broker 0 has 5 replicas of t, so only one more may arrive.
    const parts = [...repeat(5, { replicas: [0] }), { replicas: [1] }, { replicas: [2] }, { replicas: [3] }];
    const pile = (m: ClusterModel): Move[] =>
      [5, 6, 7].map((r) => ({ kind: 'replica', replica: r, toBroker: 0, toDisk: m.diskBroker.indexOf(0) }));
    const guarded = model(['a', 'b', 'c', 'd'], parts);
    const later = tryingGoal(pile);
    const result = optimize(guarded, { goals: [goal, later] });
    expect(later.applied).toHaveLength(1);
    expect(topicCounts(guarded, 't')[0]).toBe(6);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    // Without the goal ahead of it, the same later goal piles all three on broker 0.
    const unguarded = model(['a', 'b', 'c', 'd'], parts);
    optimize(unguarded, { goals: [tryingGoal(pile)] });
    expect(topicCounts(unguarded, 't')[0]).toBe(8);
  });

  it('judges a swap of two topics by all four counts it changes, and accepts same-topic swaps', () => {
    // t (mean 2, upper 6): replicas 0-5 on broker 0, 6 on broker 1, 7 on broker 2.
    // u (mean 1, upper 3): replicas 8-10 on broker 2, 11 on broker 3.
    const m = model(
      ['a', 'b', 'c', 'd'],
      [
        ...repeat(6, { replicas: [0] }),
        { replicas: [1] },
        { replicas: [2] },
        ...repeat(3, { topic: 'u', replicas: [2] }),
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

describe('LeaderBytesInDistributionGoal', () => {
  const goal = leaderBytesInDistributionGoal;

  it('moves leadership (never data) off a broker leading above 1.10 × the mean bytes in', () => {
    const m = model(['a', 'b'], repeat(4, { replicas: [0, 1], load: [1, 100, 10, 10] }));
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 1 }, after: { satisfied: true } });
    expect(result.replicaMoves).toBe(0);
    expect(result.leaderMoves).toBe(2);
    expect(leaderBytesIn(m)).toEqual([200, 200]);
  });

  it('leaves a balanced model alone', () => {
    const m = model(
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
      ...repeat(5, { replicas: [1, 0], load: [1, 100, 10, 10] }),
    ];
    const guarded = model(['a', 'b'], parts);
    const result = optimize(guarded, { goals: [goal, leaderReplicaDistributionGoal] });
    expect(result.leaderMoves).toBe(0);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const unguarded = model(['a', 'b'], parts);
    expect(optimize(unguarded, { goals: [leaderReplicaDistributionGoal] }).leaderMoves).toBe(1);
    expect(leaderBytesIn(unguarded)[0]).toBe(600);
  });

  it('vetoes moving a leader replica onto a broker it would lead above the limit, but lets followers move', () => {
    const m = model(
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

describe('PotentialNwOutGoal', () => {
  const goal = potentialNwOutGoal;

  it('moves replicas off brokers whose potential bytes out exceeds 80% of capacity', () => {
    // Brokers 0 and 1 each could have to send 3 × 400 = 1200 KB/s; the limit is 800.
    const m = model(['a', 'b', 'c', 'd'], repeat(3, { replicas: [0, 1], load: [1, 10, 400, 10] }));
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 2 }, after: { satisfied: true } });
    for (const potential of potentialNwOut(m)) expect(potential).toBeLessThanOrEqual(800);
    expectInvariants(m);
  });

  it('leaves a model under the limit alone, however its actual leaders are placed', () => {
    const m = model(['a', 'b'], repeat(2, { replicas: [0, 1], load: [1, 10, 400, 10] }));
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it("vetoes a later goal's replica move that would push a broker's potential over its limit", () => {
    // ReplicaDistributionGoal wants a replica off broker 0; broker 1 is excluded, and broker 2 holds
    // a partition with 795 KB/s leader bytes out, so any arrival takes it over 800.
    const parts: SmallPart[] = [
      ...repeat(3, { replicas: [0], load: [1, 10, 10, 10] }),
      { replicas: [2], load: [1, 10, 795, 10] },
    ];
    const options = { excludedBrokersForReplicaMove: new Set([1]) };
    const guarded = model(['a', 'b', 'c'], parts);
    const result = optimize(guarded, { goals: [goal, replicaDistributionGoal], ...options });
    expect(result.replicaMoves).toBe(0);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const unguarded = model(['a', 'b', 'c'], parts);
    expect(optimize(unguarded, { goals: [replicaDistributionGoal], ...options }).replicaMoves).toBe(1);
    expect(potentialNwOut(unguarded)[2]).toBe(805);
  });

  it('lets potential move between brokers already over, never above the higher end nor newly over', () => {
    // Potential: broker 0 1400, broker 1 900 (both over 800), broker 2 500.
    const out = (kbps: number, broker: number): SmallPart => ({ replicas: [broker], load: [1, 10, kbps, 10] });
    const m = model(['a', 'b', 'c'], [out(600, 0), out(600, 0), out(200, 0), out(600, 1), out(300, 1), out(500, 2)]);
    const accepts = (replica: number, toBroker: number) =>
      goal.accepts(m, { kind: 'replica', replica, toBroker, toDisk: -1 }, DEFAULT_THRESHOLDS);
    expect(accepts(2, 1)).toBe(true); // broker 1 to 1100: over, but below broker 0's 1400
    expect(accepts(4, 0)).toBe(false); // broker 0 to 1700: above both ends before
    expect(accepts(2, 2)).toBe(true); // broker 2 to 700: under its limit
    expect(accepts(0, 2)).toBe(false); // broker 2 to 1100: newly over, though below 1400
  });

  it('ignores leadership moves, which change no potential', () => {
    const m = model(['a', 'b'], [{ replicas: [0, 1], load: [1, 10, 900, 10] }]);
    expect(goal.accepts(m, { kind: 'leadership', partition: 0, toReplica: 1 }, DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('on seeded random and synthetic models (property tests)', () => {
  const later = [
    replicaDistributionGoal,
    diskUsageDistributionGoal,
    networkOutboundUsageDistributionGoal,
    leaderReplicaDistributionGoal,
  ];
  const models: [string, () => ClusterModel][] = [
    ...[1, 2, 3, 4].map((seed): [string, () => ClusterModel] => [
      `random ${seed}`,
      () => randomModel(seed, { brokers: 8, partitions: 120 }),
    ]),
    ...(['hot-broker', 'new-empty-broker'] as const).map((skew, i): [string, () => ClusterModel] => [
      `synthetic ${skew}`,
      () =>
        generateSyntheticModel({
          seed: 11 + i,
          brokers: 9,
          racks: 3,
          partitions: 300,
          topics: 12,
          skew,
          cpuCapacity: 1000,
          nwCapacityKBps: 40_000,
        }),
    ]),
  ];

  // A tighter topic band than Cruise Control's default, so the generated topics have something to fix.
  const thresholds = { ...DEFAULT_THRESHOLDS, topicReplicaCountBalance: { threshold: 1.5, minGap: 1, maxGap: 40 } };

  for (const goal of [topicReplicaDistributionGoal, leaderBytesInDistributionGoal, potentialNwOutGoal]) {
    it(`${goal.name} never gets worse, under later goals either, and its tracked sums match a fresh count`, () => {
      for (const [name, make] of models) {
        const m = make();
        const result = optimize(m, { goals: [goal, ...later], thresholds, excludedTopics: /^topic-1$/ });
        expectInvariants(m);
        const own = result.goals[0]!;
        expect(own.after.violations, `${name}: its own pass`).toBeLessThanOrEqual(own.before.violations);
        const scope = (p: number) => m.tables.topicNames[m.partitionTopic[p]!] !== 'topic-1';
        const end = goal.status(m, thresholds, scope);
        expect(end.violations, `${name}: after later goals`).toBeLessThanOrEqual(own.after.violations);
        // A clone is a new model to the goal's caches: its status is computed from scratch.
        expect(goal.status(m.clone(), thresholds, scope), name).toEqual(end);
        for (const proposal of result.proposals) expect(proposal.topic).not.toBe('topic-1');
      }
    });
  }
});
