// The balancedness score: 100 when every goal holds, violations weighed by priority and hardness,
// and reported before and after an optimization.
import { describe, expect, it } from 'vitest';
import { balancednessScore, optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';

describe('balancedness score', () => {
  it('is 100 when all goals hold and weighs violations by priority (×1.1 per step) and hardness (×1.5)', () => {
    expect(balancednessScore([])).toBe(100);
    expect(
      balancednessScore([
        { hard: true, satisfied: true },
        { hard: false, satisfied: true },
      ]),
    ).toBe(100);
    // Weights: the soft goal last = 1, the hard one first = 1.1 × 1.5 = 1.65; total 2.65.
    expect(
      balancednessScore([
        { hard: true, satisfied: true },
        { hard: false, satisfied: false },
      ]),
    ).toBeCloseTo((100 * 1.65) / 2.65, 9);
    expect(
      balancednessScore([
        { hard: true, satisfied: false },
        { hard: false, satisfied: true },
      ]),
    ).toBeCloseTo(100 / 2.65, 9);
  });

  it('is reported before and after an optimization', () => {
    const m = rackModel(['a', 'a', 'b', 'c'], [{ replicas: [0, 1] }, { replicas: [2, 3] }]);
    const result = optimize(m, { goals: [goal('RackAwareGoal'), goal('ReplicaDistributionGoal')] });
    expect(result.balancednessBefore).toBeLessThan(100);
    expect(result.balancednessAfter).toBe(100);
  });
});
