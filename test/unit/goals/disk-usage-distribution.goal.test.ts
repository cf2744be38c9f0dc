// DiskUsageDistributionGoal: every broker within 10% of the mean disk, a balanced model left alone,
// rack awareness kept only where an earlier goal asks, excluded topics and brokers never used.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { BrokerState, Resource } from '../../../src/model/index.js';
import { rackModel, type SmallPart } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';
import { loadOn, racksOf } from '../../support/model-readers.js';

describe('DiskUsageDistributionGoal', () => {
  it('DiskUsageDistributionGoal brings every broker within 10% of the mean and leaves a balanced model alone', () => {
    const skewed = rackModel(
      ['a', 'b', 'c', 'd'],
      [
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
      ],
    );
    const result = optimize(skewed, { goals: [goal('DiskUsageDistributionGoal')] });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect([0, 1, 2, 3].map((b) => loadOn(skewed, b, Resource.DISK))).toEqual([100, 100, 100, 100]);
    const balanced = rackModel(['a', 'b'], [{ replicas: [0] }, { replicas: [1] }]);
    expect(optimize(balanced, { goals: [goal('DiskUsageDistributionGoal')] }).proposals).toEqual([]);
  });

  it('puts two replicas of a partition in one rack only when no earlier goal vetoes it', () => {
    // Broker 0 (rack a) can only shed to broker 1 (rack b), where broker 2 holds the other replica
    // of every partition: the search must keep asking rather than assume a rack veto.
    const parts = Array.from({ length: 40 }, () => ({ replicas: [0, 2], load: [1, 10, 10, 10] as SmallPart['load'] }));
    const unaware = rackModel(['a', 'b', 'b'], parts);
    const result = optimize(unaware, { goals: [goal('DiskUsageDistributionGoal')] });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const aware = rackModel(['a', 'b', 'b'], parts);
    optimize(aware, { goals: [goal('RackAwareGoal'), goal('DiskUsageDistributionGoal')] });
    for (let p = 0; p < aware.partitionCount; p++) expect(new Set(racksOf(aware, p)).size).toBe(2);
    expect(loadOn(aware, 0, Resource.DISK)).toBe(400);
  });

  it('never moves excluded topics, onto dead brokers or onto excluded brokers', () => {
    const m = rackModel(
      ['a', 'b', 'c', 'd'],
      [
        { topic: 'keep', replicas: [0], load: [1, 10, 10, 300] },
        { topic: 'move', replicas: [0], load: [1, 10, 10, 100] },
        { topic: 'move', replicas: [0], load: [1, 10, 10, 100] },
      ],
      [BrokerState.ALIVE, 0, BrokerState.ALIVE, BrokerState.ALIVE],
    );
    optimize(m, {
      goals: [goal('DiskUsageDistributionGoal')],
      excludedTopics: /^keep$/,
      excludedBrokersForReplicaMove: new Set([3]),
    });
    expect(m.replicaBroker[0]).toBe(m.brokerIndex(0));
    expect(m.brokerReplicaCount[m.brokerIndex(1)]).toBe(0);
    expect(m.brokerReplicaCount[m.brokerIndex(3)]).toBe(0);
    expect(m.brokerReplicaCount[m.brokerIndex(2)]).toBeGreaterThan(0);
  });
});
