// Replicas of dead brokers and of brokers being removed leave them before the goals run; the
// proposal fails naming the brokers when there is nowhere to go.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOALS } from '../../../goals/index.js';
import { DrainError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, type ClusterModel } from '../../../src/model/index.js';
import { smallModel } from '../../fixtures/small-models.js';
import { expectInvariants } from '../model/model-invariants.js';

/** Brokers 0..n-1 on racks given per broker (no known disks); partitions of `t` (or `topic`). */
function model(racks: string[], parts: { replicas: number[]; topic?: string }[], dead: number[] = []): ClusterModel {
  const states = racks.map((_, b) => (dead.includes(b) ? 0 : BrokerState.ALIVE));
  return smallModel(racks, parts, { capacity: [100, 10_000, 10_000, 10_000], diskCapacityMb: null, states });
}

const brokersOf = (m: ClusterModel, p: number) => {
  const out: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    out.push(m.brokerKafkaId(m.replicaBroker[r]!));
  return out;
};

describe('draining dead and removed brokers', () => {
  it("moves a dead broker's replicas to live brokers, into racks the partition does not use", () => {
    const m = model(['a', 'b', 'c', 'c'], [{ replicas: [0, 2] }, { replicas: [1, 2] }], [2]);
    const result = optimize(m, { goals: DEFAULT_GOALS, skipHardGoalCheck: true });
    const rackOf = (id: number) => ['a', 'b', 'c', 'c'][id];
    for (const p of [0, 1]) {
      expect(brokersOf(m, p)).not.toContain(2);
      expect(new Set(brokersOf(m, p).map(rackOf)).size).toBe(2);
    }
    expect(result.replicaMoves).toBe(2);
    expectInvariants(m);
  });

  it('drains a broker being removed while it is still alive, and nothing moves onto it', () => {
    const m = model(['a', 'b', 'c', 'a'], [{ replicas: [0, 1] }, { replicas: [1, 2] }, { replicas: [2, 3] }]);
    optimize(m, { goals: DEFAULT_GOALS, brokersToRemove: new Set([1]) });
    for (const p of [0, 1, 2]) expect(brokersOf(m, p)).not.toContain(1);
    expectInvariants(m);
  });

  it('fails naming the broker and partitions when too few brokers are left for the replication factor', () => {
    const m = model(['a', 'b', 'c'], [{ replicas: [0, 1, 2] }], [2]);
    // No goal at all: the drain alone decides.
    const attempt = () => optimize(m.clone(), { goals: [] });
    expect(attempt).toThrow(DrainError);
    expect(attempt).toThrow(
      /1 replica\(s\) of dead or removed broker\(s\) 2 have no eligible broker to move to \(e\.g\. t-0\)/,
    );
  });

  it('leaves replicas of excluded topics where they are, even on a dead broker', () => {
    const m = model(['a', 'b', 'c'], [{ replicas: [0, 2], topic: 'keep' }, { replicas: [1, 2] }], [2]);
    optimize(m, { goals: DEFAULT_GOALS, excludedTopics: /^keep$/, skipHardGoalCheck: true });
    expect(brokersOf(m, 0)).toEqual([0, 2]);
    expect(brokersOf(m, 1)).not.toContain(2);
  });
});
