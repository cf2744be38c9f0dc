// PreferredLeaderElectionGoal: leadership back to the first replica unless that broker may not lead.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import { ModelBuilder } from '../../../src/model/index.js';
import { goal } from '../../support/goal-tests.js';

describe('PreferredLeaderElectionGoal', () => {
  it('gives leadership back to the first replica unless that broker may not lead', () => {
    const builder = new ModelBuilder();
    ['a', 'b', 'c'].forEach((rack, b) => builder.addBroker({ kafkaId: b, rack, capacity: [100, 1000, 1000, 1000] }));
    const part = (partition: number, replicas: number[]) =>
      builder.addPartition({
        topic: 't',
        partition,
        replicas: replicas.map((broker) => ({ broker })),
        leaderIndex: 1,
        leaderLoad: [1, 1, 1, 1],
        followerLoad: [1, 1, 0, 1],
      });
    part(0, [0, 1]);
    part(1, [2, 0]);
    const m = builder.build();
    const result = optimize(m, {
      goals: [goal('PreferredLeaderElectionGoal')],
      excludedBrokersForLeadership: new Set([2]),
    });
    expect(m.replicaBroker[m.partitionLeader[0]!]).toBe(m.brokerIndex(0));
    // Broker 2 may not lead: t-1 keeps its leader and stays a violation.
    expect(m.replicaBroker[m.partitionLeader[1]!]).toBe(m.brokerIndex(0));
    expect(result.goals[0]).toMatchObject({ before: { violations: 2 }, after: { violations: 1 } });
  });
});
