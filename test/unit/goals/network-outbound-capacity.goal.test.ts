// NetworkOutboundCapacityGoal: a broker over its network-out limit is relieved by leadership moves first.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { Resource } from '../../../src/model/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';
import { loadOn } from '../../support/model-readers.js';

describe('NetworkOutboundCapacityGoal', () => {
  it('NetworkOutboundCapacityGoal moves leadership before any replica', () => {
    const m = rackModel(
      ['a', 'b'],
      [
        { replicas: [0, 1], load: [1, 10, 500, 10] },
        { replicas: [0, 1], load: [1, 10, 400, 10] },
      ],
    );
    const result = optimize(m, { goals: [goal('NetworkOutboundCapacityGoal')] });
    expect(result.replicaMoves).toBe(0);
    expect(result.leaderMoves).toBe(1);
    expect(loadOn(m, 0, Resource.NW_OUT)).toBeLessThanOrEqual(800);
  });
});
