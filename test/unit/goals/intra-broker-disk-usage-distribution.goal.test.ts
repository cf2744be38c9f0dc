// IntraBrokerDiskUsageDistributionGoal: the disks of each broker within disk.balance.threshold of the
// broker's mean, by moves between its own disks; nothing leaves the broker.
import { describe, expect, it } from 'vitest';
import { intraBrokerDiskCapacityGoal } from '../../../goals/intra-broker-disk-capacity.goal.js';
import { intraBrokerDiskUsageDistributionGoal as goal } from '../../../goals/intra-broker-disk-usage-distribution.goal.js';
import type { Goal } from '../../../goals/index.js';
import { DEFAULT_THRESHOLDS } from '../../../goals/index.js';
import { optimize } from '../../../src/analyzer/index.js';
import type { ClusterModel } from '../../../src/model/index.js';
import { singleBrokerJbod } from '../../fixtures/small-models.js';
import { expectInvariants } from '../../support/model-invariants.js';

/** Broker 0 with disks /a, /b, /c (1000 MB each); replicas as [sizeMb, disk]. */
const jbod = (replicas: [number, string][]): ClusterModel => singleBrokerJbod(['/a', '/b', '/c'], replicas);
const loads = (m: ClusterModel) => ['/a', '/b', '/c'].map((p) => m.diskLoadMb[m.tables.diskPaths.indexOf(p)]!);

describe('IntraBrokerDiskUsageDistributionGoal', () => {
  it('evens the disks of a broker around its mean with moves between them, largest replica that fits first', () => {
    // 600 MB on /a, nothing elsewhere: mean 200 MB per disk, band [180, 220].
    const m = jbod([
      [200, '/a'],
      [200, '/a'],
      [100, '/a'],
      [100, '/a'],
    ]);
    expect(goal.status(m, DEFAULT_THRESHOLDS).satisfied).toBe(false);
    const result = optimize(m, { goals: [goal] });
    expect(loads(m)).toEqual([200, 200, 200]);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect(result.replicaMoves).toBe(0);
    expectInvariants(m);
  });

  it('leaves balanced disks alone', () => {
    const m = jbod([
      [200, '/a'],
      [210, '/b'],
      [195, '/c'],
    ]);
    expect(optimize(m, { goals: [goal] }).proposals).toEqual([]);
  });

  it('vetoes a later move between disks that would push one out of its band', () => {
    const m = jbod([
      [200, '/a'],
      [200, '/b'],
      [200, '/c'],
    ]);
    let allowed: boolean | null = null;
    const later: Goal = {
      name: 'Later',
      hard: false,
      optimize(ctx) {
        allowed = ctx.tryMove({ kind: 'disk', replica: 0, toDisk: ctx.model.tables.diskPaths.indexOf('/b') });
      },
      accepts: () => true,
      status: () => ({ satisfied: true, violations: 0, details: [] }),
    };
    optimize(m, { goals: [goal, later] });
    expect(allowed).toBe(false);
    expect(loads(m)).toEqual([200, 200, 200]);
  });

  it('runs after IntraBrokerDiskCapacityGoal without undoing it', () => {
    const m = jbod([
      [500, '/a'],
      [350, '/a'],
      [50, '/b'],
      [40, '/c'],
    ]);
    const result = optimize(m, { goals: [intraBrokerDiskCapacityGoal, goal] });
    expect(Math.max(...loads(m))).toBeLessThanOrEqual(800);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect(loads(m).reduce((a, b) => a + b, 0)).toBe(940);
  });
});
