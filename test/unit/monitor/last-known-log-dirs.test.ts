// The monitor's snapshot when a broker does not answer DescribeLogDirs (issue 15): that broker keeps
// its last known dirs instead of none, and a broker never seen makes the model not ready.
import { describe, expect, it } from 'vitest';
import { brokersWithUnknownDisks, withLastKnownLogDirs } from '../../../src/monitor/last-known-log-dirs.js';
import { snapshot } from '../../fixtures/snapshots.js';

const dirs = [
  { brokerId: 1, path: '/a' },
  { brokerId: 2, path: '/a', totalBytes: 1_000 },
  { brokerId: 2, path: '/b', totalBytes: 1_000 },
  { brokerId: 3, path: '/a' },
];

describe('withLastKnownLogDirs', () => {
  it('keeps the last known dirs of a broker that did not answer, in broker order', () => {
    const before = snapshot({ alive: [1, 2, 3], logDirs: dirs });
    const now = { ...before, logDirs: before.logDirs.filter((d) => d.brokerId !== 2) };
    now.logDirErrors = [{ brokerId: 2, error: 'no answer within 5000 ms' }];
    const kept = withLastKnownLogDirs(now, before);
    expect(kept.stale).toEqual([2]);
    expect(kept.unknown).toEqual([]);
    expect(kept.snapshot.logDirs.map((d) => `${d.brokerId}${d.path}`)).toEqual(['1/a', '2/a', '2/b', '3/a']);
    expect(kept.snapshot.logDirErrors).toEqual(now.logDirErrors);
    expect(brokersWithUnknownDisks(kept.snapshot)).toEqual([]);
    // Carried on through a second silent round.
    expect(withLastKnownLogDirs(now, kept.snapshot).snapshot.logDirs).toHaveLength(4);
  });

  it('reports a broker never seen as unknown, which the model must not be built on', () => {
    const now = snapshot({ alive: [1, 2, 3], logDirs: dirs.filter((d) => d.brokerId !== 2) });
    now.logDirErrors = [{ brokerId: 2, error: 'no answer within 5000 ms' }];
    const kept = withLastKnownLogDirs(now, null);
    expect(kept).toMatchObject({ stale: [], unknown: [2] });
    expect(kept.snapshot).toBe(now);
    expect(brokersWithUnknownDisks(kept.snapshot)).toEqual([2]);
  });
});
