// LeaderReplicaDistributionGoal: leader counts brought into the band by leadership moves only.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';

describe('LeaderReplicaDistributionGoal', () => {
  it('LeaderReplicaDistributionGoal brings leader counts into the band with leadership moves only', () => {
    const m = rackModel(
      ['a', 'b'],
      Array.from({ length: 10 }, () => ({ replicas: [0, 1] })),
    );
    const result = optimize(m, { goals: [goal('LeaderReplicaDistributionGoal')] });
    expect(result.replicaMoves).toBe(0);
    // Mean 5, threshold 1.10: the band is [floor(4.5), ceil(5.5)] = [4, 6].
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
    expect(m.brokerLeaderCount[0]).toBeLessThanOrEqual(6);
    expect(m.brokerLeaderCount[1]).toBeGreaterThanOrEqual(4);
  });
});
