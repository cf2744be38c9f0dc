// PotentialNwOutGoal: what each broker could have to send if it led all its partitions stays under
// 80% of capacity; replicas moved off, later moves vetoed, leadership ignored, and seeded property tests.
import { describe, expect, it } from 'vitest';
import { potentialNwOutGoal } from '../../../goals/potential-nw-out.goal.js';
import { replicaDistributionGoal } from '../../../goals/replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS } from '../../../goals/support/goal.js';
import { optimize } from '../../../src/analyzer/optimizer.js';
import { ClusterModel, Resource } from '../../../src/model/index.js';
import { rackModel, repeatParts, type SmallPart } from '../../fixtures/small-models.js';
import { expectNeverWorseOnSeededModels } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';

/** Leader NW_OUT of every partition with a replica on the broker. */
function potentialNwOut(m: ClusterModel): number[] {
  const sums = new Array<number>(m.brokerCount).fill(0);
  for (let r = 0; r < m.replicaCount; r++)
    sums[m.replicaBroker[r]!]! += m.leaderLoad[m.replicaPartition[r]! * 4 + Resource.NW_OUT]!;
  return sums;
}

describe('PotentialNwOutGoal', () => {
  const goal = potentialNwOutGoal;

  it('moves replicas off brokers whose potential bytes out exceeds 80% of capacity', () => {
    // Brokers 0 and 1 each could have to send 3 × 400 = 1200 KB/s; the limit is 800.
    const m = rackModel(['a', 'b', 'c', 'd'], repeatParts(3, { replicas: [0, 1], load: [1, 10, 400, 10] }));
    const result = optimize(m, { goals: [goal] });
    expect(result.goals[0]).toMatchObject({ before: { violations: 2 }, after: { satisfied: true } });
    for (const potential of potentialNwOut(m)) expect(potential).toBeLessThanOrEqual(800);
    expectInvariants(m);
  });

  it('leaves a model under the limit alone, however its actual leaders are placed', () => {
    const m = rackModel(['a', 'b'], repeatParts(2, { replicas: [0, 1], load: [1, 10, 400, 10] }));
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it("vetoes a later goal's replica move that would push a broker's potential over its limit", () => {
    // ReplicaDistributionGoal wants a replica off broker 0; broker 1 is excluded, and broker 2 holds
    // a partition with 795 KB/s leader bytes out, so any arrival takes it over 800.
    const parts: SmallPart[] = [
      ...repeatParts(3, { replicas: [0], load: [1, 10, 10, 10] }),
      { replicas: [2], load: [1, 10, 795, 10] },
    ];
    const options = { excludedBrokersForReplicaMove: new Set([1]) };
    const guarded = rackModel(['a', 'b', 'c'], parts);
    const result = optimize(guarded, { goals: [goal, replicaDistributionGoal], ...options });
    expect(result.replicaMoves).toBe(0);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const unguarded = rackModel(['a', 'b', 'c'], parts);
    expect(optimize(unguarded, { goals: [replicaDistributionGoal], ...options }).replicaMoves).toBe(1);
    expect(potentialNwOut(unguarded)[2]).toBe(805);
  });

  it('lets potential move between brokers already over, never above the higher end nor newly over', () => {
    // Potential: broker 0 1400, broker 1 900 (both over 800), broker 2 500.
    const out = (kbps: number, broker: number): SmallPart => ({ replicas: [broker], load: [1, 10, kbps, 10] });
    const m = rackModel(
      ['a', 'b', 'c'],
      [out(600, 0), out(600, 0), out(200, 0), out(600, 1), out(300, 1), out(500, 2)],
    );
    const accepts = (replica: number, toBroker: number) =>
      goal.accepts(m, { kind: 'replica', replica, toBroker, toDisk: -1 }, DEFAULT_THRESHOLDS);
    expect(accepts(2, 1)).toBe(true); // broker 1 to 1100: over, but below broker 0's 1400
    expect(accepts(4, 0)).toBe(false); // broker 0 to 1700: above both ends before
    expect(accepts(2, 2)).toBe(true); // broker 2 to 700: under its limit
    expect(accepts(0, 2)).toBe(false); // broker 2 to 1100: newly over, though below 1400
  });

  it('ignores leadership moves, which change no potential', () => {
    const m = rackModel(['a', 'b'], [{ replicas: [0, 1], load: [1, 10, 900, 10] }]);
    expect(goal.accepts(m, { kind: 'leadership', partition: 0, toReplica: 1 }, DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('on seeded random and synthetic models (property tests)', () => {
  it(`${potentialNwOutGoal.name} never gets worse, under later goals either, and its tracked sums match a fresh count`, () => {
    expectNeverWorseOnSeededModels(potentialNwOutGoal);
  });
});
