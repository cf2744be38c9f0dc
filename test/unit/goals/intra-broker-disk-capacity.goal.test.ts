// IntraBrokerDiskCapacityGoal: a disk above 80% relieved onto the broker's other disks, a dead disk
// emptied, and no room named.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../../src/analyzer/index.js';
import type { ClusterModel } from '../../../src/model/index.js';
import { singleBrokerJbod } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';

describe('IntraBrokerDiskCapacityGoal', () => {
  /** One broker with disks /a and /b (1000 MB each); replicas given as [sizeMb, disk]. */
  const jbod = (replicas: [number, string][], deadDisk?: string) => singleBrokerJbod(['/a', '/b'], replicas, deadDisk);
  const diskLoad = (m: ClusterModel, path: string) => m.diskLoadMb[m.tables.diskPaths.indexOf(path)]!;

  it('moves replicas off a disk above 80% onto the other disk of the same broker', () => {
    const m = jbod([
      [500, '/a'],
      [400, '/a'],
      [100, '/b'],
    ]);
    const result = optimize(m, { goals: [goal('IntraBrokerDiskCapacityGoal')] });
    expect(diskLoad(m, '/a')).toBeLessThanOrEqual(800);
    expect(diskLoad(m, '/a') + diskLoad(m, '/b')).toBe(1000);
    expect(result.replicaMoves).toBe(0);
    expect(result.proposals.every((p) => p.oldReplicas.join() === p.newReplicas.join())).toBe(true);
    expect(result.proposals.some((p) => p.oldLogDirs[0] === '/a' && p.newLogDirs[0] === '/b')).toBe(true);
  });

  it('empties a dead disk of a live broker, and fails naming the disk when there is no room', () => {
    const m = jbod([[300, '/a']], '/a');
    optimize(m, { goals: [goal('IntraBrokerDiskCapacityGoal')] });
    expect(diskLoad(m, '/b')).toBe(300);
    const full = jbod([[900, '/a']], '/a');
    expect(() => optimize(full, { goals: [goal('IntraBrokerDiskCapacityGoal')] })).toThrow(
      /IntraBrokerDiskCapacityGoal cannot be met: broker 0 disk \/a is dead and still holds 900\.0 MB/,
    );
  });
});
