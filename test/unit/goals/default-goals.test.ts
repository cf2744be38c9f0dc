// The default goal chain (goals/index.ts) on generated models: partitions, replication factors, rack
// awareness and exclusions kept, hard goals held and soft ones never worse; a hot broker balanced.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOALS, DEFAULT_THRESHOLDS } from '../../../goals/index.js';
import { optimize } from '../../../src/analyzer/index.js';
import { generateSyntheticModel } from '../../../src/model/index.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { racksOf } from '../../support/model-readers.js';

describe('the default chain on generated models (property tests)', () => {
  const seeds = [1, 2, 3, 4, 5];
  for (const skew of ['hot-broker', 'new-empty-broker', 'none'] as const) {
    it(`keeps partitions, replication factors, rack awareness and exclusions (${skew}, seeds ${seeds.join(', ')})`, () => {
      for (const seed of seeds) {
        // CPU capacity with room for the generated load, so the hard goals are feasible.
        const m = generateSyntheticModel({
          seed,
          brokers: 9,
          racks: 3,
          partitions: 150,
          topics: 6,
          skew,
          cpuCapacity: 1000,
        });
        const before = { partitions: m.partitionCount, replicas: m.replicaCount };
        const rf = Array.from(
          { length: m.partitionCount },
          (_, p) => m.partitionReplicaStart[p + 1]! - m.partitionReplicaStart[p]!,
        );
        const excluded = /^topic-0$/;
        const result = optimize(m, {
          goals: DEFAULT_GOALS,
          excludedTopics: excluded,
          excludedBrokersForReplicaMove: new Set([4]),
        });
        expectInvariants(m);
        expect({ partitions: m.partitionCount, replicas: m.replicaCount }).toEqual(before);
        for (let p = 0; p < m.partitionCount; p++) {
          expect(m.partitionReplicaStart[p + 1]! - m.partitionReplicaStart[p]!).toBe(rf[p]);
          expect(new Set(racksOf(m, p)).size, `seed ${seed} partition ${p} rack-aware`).toBe(rf[p]);
        }
        for (const proposal of result.proposals) {
          expect(excluded.test(proposal.topic)).toBe(false);
          const added = proposal.newReplicas.filter((b) => !proposal.oldReplicas.includes(b));
          expect(added).not.toContain(4);
        }
        // Hard goals hold after the run (optimize would have thrown otherwise) and soft ones never got worse.
        for (const report of result.goals) {
          if (report.hard) expect(report.after.satisfied).toBe(true);
          else
            expect(report.after.violations, `${report.name} seed ${seed}`).toBeLessThanOrEqual(
              report.before.violations,
            );
        }
      }
    });
  }

  it('balances a hot broker: disk within the 1.10 band after, from far outside before', () => {
    const m = generateSyntheticModel({
      seed: 7,
      brokers: 9,
      racks: 3,
      partitions: 300,
      topics: 8,
      skew: 'hot-broker',
      cpuCapacity: 1000,
    });
    const result = optimize(m, { goals: DEFAULT_GOALS, thresholds: DEFAULT_THRESHOLDS });
    const disk = result.goals.find((g) => g.name === 'DiskUsageDistributionGoal')!;
    expect(disk.before.violations).toBeGreaterThan(0);
    expect(disk.after.violations).toBeLessThan(disk.before.violations);
    expect(result.replicaMoves).toBeGreaterThan(0);
  });
});
