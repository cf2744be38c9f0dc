// CpuCapacityGoal: a load no placement can carry fails naming the broker.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';

describe('CpuCapacityGoal', () => {
  it('CpuCapacityGoal fails when the cluster cannot carry the load, naming the broker', () => {
    const m = rackModel(['a', 'b'], [{ replicas: [0, 1], load: [90, 10, 10, 10] }]);
    expect(() => optimize(m, { goals: [goal('CpuCapacityGoal')] })).toThrow(
      /CpuCapacityGoal cannot be met: broker 0: 90\.0 over its limit 70\.0/,
    );
  });
});
