// Execution progress for the CLI: read from the executor part of GET /state (Cruise Control's
// ExecutorState plus Ballast's byte figures), an ETA, and a one-line text bar. Pure.
import { formatBytes, formatDuration } from './format.js';

/** The ExecutorState fields the CLI reads; every one may be missing (an older Ballast, or Cruise Control). */
export interface ExecutorStateView {
  state?: string;
  numTotalPartitionMovements?: number;
  numFinishedPartitionMovements?: number;
  numTotalLeadershipMovements?: number;
  numFinishedLeadershipMovements?: number;
  numTotalIntraBrokerPartitionMovements?: number;
  numFinishedIntraBrokerPartitionMovements?: number;
  totalDataToMove?: number;
  finishedDataMovement?: number;
  totalDataToMoveBytes?: number;
  finishedDataMovementBytes?: number;
  estimatedRemainingMs?: number | null;
  pausedReason?: string | null;
  lastExecution?: { id?: string; operation?: string; status?: string; elapsedMs?: number; deadTasks?: string[] };
}

export interface ExecutionProgress {
  /** The executor's phase, e.g. INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS. */
  phase: string;
  running: boolean;
  /** 0..1: by bytes when there is data to move, else by finished tasks. */
  fraction: number;
  bytes?: { done: number; total: number };
  partitions: { done: number; total: number };
  leaders: { done: number; total: number };
  intraBroker: { done: number; total: number };
  /** The server's ETA when it gives one. */
  serverEtaMs?: number;
  pausedReason?: string;
}

const MB = 1024 * 1024;

export function executionProgress(state: ExecutorStateView): ExecutionProgress {
  const phase = state.state ?? 'UNKNOWN';
  const count = (done: number | undefined, total: number | undefined) => ({ done: done ?? 0, total: total ?? 0 });
  const partitions = count(state.numFinishedPartitionMovements, state.numTotalPartitionMovements);
  const leaders = count(state.numFinishedLeadershipMovements, state.numTotalLeadershipMovements);
  const intraBroker = count(
    state.numFinishedIntraBrokerPartitionMovements,
    state.numTotalIntraBrokerPartitionMovements,
  );
  const bytes =
    state.totalDataToMoveBytes !== undefined
      ? { done: state.finishedDataMovementBytes ?? 0, total: state.totalDataToMoveBytes }
      : state.totalDataToMove !== undefined
        ? { done: (state.finishedDataMovement ?? 0) * MB, total: state.totalDataToMove * MB }
        : undefined;
  const tasksDone = partitions.done + leaders.done + intraBroker.done;
  const tasksTotal = partitions.total + leaders.total + intraBroker.total;
  const fraction =
    bytes !== undefined && bytes.total > 0
      ? bytes.done / bytes.total
      : tasksTotal > 0
        ? tasksDone / tasksTotal
        : phase === 'NO_TASK_IN_PROGRESS'
          ? 1
          : 0;
  return {
    phase,
    running: phase !== 'NO_TASK_IN_PROGRESS',
    fraction: Math.min(1, Math.max(0, fraction)),
    ...(bytes !== undefined ? { bytes } : {}),
    partitions,
    leaders,
    intraBroker,
    ...(typeof state.estimatedRemainingMs === 'number' ? { serverEtaMs: state.estimatedRemainingMs } : {}),
    ...(state.pausedReason ? { pausedReason: state.pausedReason } : {}),
  };
}

/**
 * ETA from what the CLI itself has seen: the rate between the first observation and the latest.
 * Used when the server gives no ETA; null until progress has moved.
 */
export class EtaEstimator {
  private first: { atMs: number; fraction: number } | undefined;

  update(atMs: number, fraction: number): number | null {
    if (this.first === undefined || fraction < this.first.fraction) {
      this.first = { atMs, fraction };
      return null;
    }
    const progressed = fraction - this.first.fraction;
    const elapsedMs = atMs - this.first.atMs;
    if (progressed <= 0 || elapsedMs <= 0) return null;
    return Math.round(((1 - fraction) * elapsedMs) / progressed);
  }
}

/** `[#####.....]  50%  1.0 MiB/2.0 MiB  partitions 3/6  leaders 0/2  ETA 1m 05s  (phase)` */
export function renderProgressLine(progress: ExecutionProgress, etaMs: number | null, width = 30): string {
  const filled = Math.round(progress.fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const pct = `${Math.floor(progress.fraction * 100)}%`.padStart(4);
  const parts = [bar, pct];
  if (progress.bytes !== undefined && progress.bytes.total > 0) {
    parts.push(`${formatBytes(progress.bytes.done)}/${formatBytes(progress.bytes.total)}`);
  }
  const counts: [string, { done: number; total: number }][] = [
    ['partitions', progress.partitions],
    ['disk moves', progress.intraBroker],
    ['leaders', progress.leaders],
  ];
  for (const [label, c] of counts) if (c.total > 0) parts.push(`${label} ${c.done}/${c.total}`);
  if (progress.running) parts.push(etaMs === null ? 'ETA --' : `ETA ${formatDuration(etaMs)}`);
  parts.push(`(${progress.phase})`);
  if (progress.pausedReason) parts.push(`paused: ${progress.pausedReason}`);
  return parts.join('  ');
}
