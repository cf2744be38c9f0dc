// Disk failures on a broker that stops answering DescribeLogDirs (issue 15): unknown, not repaired —
// no new anomaly on it, and its first-seen times survive the silence.
import { describe, expect, it } from 'vitest';
import { detectDiskFailures } from '../../../src/detector/disk-failure.detector.js';
import { keepUnansweredDisks } from '../../../src/detector/unanswered-disks.js';
import { snapshot } from '../../fixtures/snapshots.js';

const detect = (snap: ReturnType<typeof snapshot>, previous: Record<string, number>, nowMs: number) =>
  keepUnansweredDisks(detectDiskFailures(snap, previous, nowMs), snap, previous);

describe('keepUnansweredDisks', () => {
  it('keeps the first-seen time of a failed dir while its broker does not answer, and raises nothing on it', () => {
    const failing = snapshot({
      alive: [1, 2],
      logDirs: [
        { brokerId: 1, path: '/d1' },
        { brokerId: 1, path: '/d2', failed: true, error: 'KAFKA_STORAGE_ERROR' },
        { brokerId: 2, path: '/d:1', failed: true, error: 'KAFKA_STORAGE_ERROR' },
      ],
    });
    const first = detect(failing, {}, 7_000);
    expect(first.firstSeen).toEqual({ '1:/d2': 7_000, '2:/d:1': 7_000 });

    const silent = {
      ...failing,
      logDirs: failing.logDirs.filter((d) => d.brokerId !== 1),
      logDirErrors: [{ brokerId: 1, error: 'no answer within 5000 ms' }],
    };
    const during = detect(silent, first.firstSeen, 60_000);
    expect(during.anomaly?.failedDisksByTimeMs).toEqual({ 2: { '/d:1': 7_000 } });
    expect(during.firstSeen).toEqual({ '1:/d2': 7_000, '2:/d:1': 7_000 });

    // Back, still failed: the clock runs from the first sighting, not from the silence's end.
    expect(detect(failing, during.firstSeen, 90_000).anomaly?.firstSeenMs).toBe(7_000);
  });

  it('decides no disk failed on a broker whose log dirs are missing', () => {
    const silent = snapshot({ alive: [1, 2], logDirs: [{ brokerId: 2, path: '/d1' }] });
    silent.logDirErrors = [{ brokerId: 1, error: 'no answer within 5000 ms' }];
    expect(detect(silent, {}, 1)).toEqual({ anomaly: null, firstSeen: {} });
  });
});
