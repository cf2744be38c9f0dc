// DiskCapacityGoal: replicas moved off a broker above 80% of its disk, and a later goal never
// pushing a broker over that limit.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { Resource } from '../../../src/model/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { loadOn } from '../../support/model-readers.js';

describe('DiskCapacityGoal', () => {
  it('DiskCapacityGoal moves replicas off a broker above 80% of its disk', () => {
    // Broker 3 is the only one with room: 900 MB on broker 0, limit 800.
    const m = rackModel(
      ['a', 'b', 'c', 'd'],
      [
        { replicas: [0, 1], load: [1, 10, 10, 500] },
        { replicas: [0, 2], load: [1, 10, 10, 400] },
      ],
    );
    expect(loadOn(m, 0, Resource.DISK)).toBe(900);
    optimize(m, { goals: [goal('DiskCapacityGoal')] });
    for (const b of [0, 1, 2, 3]) expect(loadOn(m, b, Resource.DISK)).toBeLessThanOrEqual(800);
    expectInvariants(m);
  });

  it('a later goal cannot push a broker over an earlier capacity limit', () => {
    // Three replicas on broker 0, none elsewhere: replica distribution wants to move them, but broker 1
    // is excluded and broker 2 is close to its disk limit.
    const m = rackModel(
      ['a', 'b', 'c'],
      [
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [2], load: [1, 10, 10, 750] },
      ],
    );
    optimize(m, {
      goals: [goal('DiskCapacityGoal'), goal('ReplicaDistributionGoal')],
      excludedBrokersForReplicaMove: new Set([1]),
    });
    expect(loadOn(m, 2, Resource.DISK)).toBeLessThanOrEqual(800);
  });
});
