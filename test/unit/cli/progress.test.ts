// Execution progress from the executor state, the ETA, and the text bar.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../src/cli/format.js';
import { EtaEstimator, executionProgress, renderProgressLine } from '../../../src/cli/progress.js';

const MiB = 1024 * 1024;

describe('executionProgress', () => {
  it("measures by Ballast's byte figures when there is data to move", () => {
    const p = executionProgress({
      state: 'INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS',
      numTotalPartitionMovements: 10,
      numFinishedPartitionMovements: 9,
      totalDataToMoveBytes: 100 * MiB,
      finishedDataMovementBytes: 25 * MiB,
      estimatedRemainingMs: 90_000,
      pausedReason: null,
    });
    expect(p).toMatchObject({ running: true, fraction: 0.25, serverEtaMs: 90_000, partitions: { done: 9, total: 10 } });
    expect(p.pausedReason).toBeUndefined();
  });

  it("falls back to Cruise Control's MB figures, then to task counts", () => {
    expect(executionProgress({ state: 'X', totalDataToMove: 200, finishedDataMovement: 50 }).fraction).toBe(0.25);
    const leadersOnly = executionProgress({
      state: 'LEADER_MOVEMENT_TASK_IN_PROGRESS',
      totalDataToMoveBytes: 0,
      numTotalLeadershipMovements: 4,
      numFinishedLeadershipMovements: 1,
    });
    expect(leadersOnly.fraction).toBe(0.25);
    expect(executionProgress({ state: 'STARTING' }).fraction).toBe(0);
  });

  it('is not running, and whole, once the executor is idle', () => {
    expect(executionProgress({ state: 'NO_TASK_IN_PROGRESS' })).toMatchObject({ running: false, fraction: 1 });
  });
});

describe('EtaEstimator', () => {
  it('has no estimate until progress moves, then extrapolates the observed rate', () => {
    const eta = new EtaEstimator();
    expect(eta.update(0, 0.1)).toBeNull();
    expect(eta.update(10_000, 0.1)).toBeNull();
    // 0.2 of the work in 20 s: the remaining 0.7 take 70 s.
    expect(eta.update(20_000, 0.3)).toBe(70_000);
  });

  it('starts over when progress goes backwards (a new execution)', () => {
    const eta = new EtaEstimator();
    eta.update(0, 0.5);
    expect(eta.update(1000, 0.1)).toBeNull();
    expect(eta.update(2000, 0.2)).toBe(8000);
  });
});

describe('renderProgressLine', () => {
  const progress = executionProgress({
    state: 'INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS',
    numTotalPartitionMovements: 6,
    numFinishedPartitionMovements: 3,
    numTotalLeadershipMovements: 2,
    numFinishedLeadershipMovements: 0,
    totalDataToMoveBytes: 2 * MiB,
    finishedDataMovementBytes: MiB,
  });

  it('draws the bar, the amounts, the counts that are not zero and the ETA', () => {
    expect(renderProgressLine(progress, 65_000, 10)).toBe(
      '[#####.....]   50%  1.0 MiB/2.0 MiB  partitions 3/6  leaders 0/2  ETA 1m 05s  (INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS)',
    );
  });

  it('says when there is no ETA yet and why moves are paused', () => {
    const paused = { ...progress, pausedReason: 'broker 2 is dead' };
    const line = renderProgressLine(paused, null, 10);
    expect(line).toContain('ETA --');
    expect(line).toMatch(/paused: broker 2 is dead$/);
  });
});

describe('units', () => {
  it('formats bytes and durations for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * MiB)).toBe('3.0 GiB');
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(7_800_000)).toBe('2h 10m');
  });
});
