// ReplicaDistributionGoal: replica counts evened, the smallest replicas moved.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';

describe('ReplicaDistributionGoal', () => {
  it('ReplicaDistributionGoal evens replica counts, moving the smallest replicas', () => {
    const m = rackModel(
      ['a', 'b', 'c'],
      [
        { replicas: [0], load: [1, 10, 10, 5] },
        { replicas: [0], load: [1, 10, 10, 50] },
        { replicas: [0], load: [1, 10, 10, 1] },
        { replicas: [1] },
      ],
    );
    const result = optimize(m, { goals: [goal('ReplicaDistributionGoal')] });
    expect([0, 1, 2].map((b) => m.brokerReplicaCount[m.brokerIndex(b)])).toEqual([2, 1, 1]);
    // The one move that was needed took the 1 MB replica.
    expect(result.dataToMoveMb).toBe(1);
  });
});
