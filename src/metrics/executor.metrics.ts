// Executor metrics, read at scrape time from the current (or last) execution record: tasks by type
// and state, bytes moved and left, the throttle per broker, the ETA, and when the execution last
// made progress (what the "execution stalled" alert watches).
import { Counter, type Registry } from 'prom-client';
import type { ExecutionRecord, TaskRecord } from '../executor/index.js';
import { bool, pullGauge, pullValue, seconds, type ScrapeCache } from './pull-gauge.js';

/** Where executor metrics read from (ExecutorService.lastKnown in the app). */
export interface ExecutorMetricsSource {
  lastExecution(): ExecutionRecord | null;
}

const TASK_TYPES: readonly TaskRecord['kind'][] = [
  'INTER_BROKER_REPLICA_ACTION',
  'INTRA_BROKER_REPLICA_ACTION',
  'LEADER_ACTION',
];
const TASK_STATES: readonly TaskRecord['state'][] = [
  'PENDING',
  'IN_PROGRESS',
  'COMPLETED',
  'ABORTING',
  'ABORTED',
  'DEAD',
];

/** Bytes an execution copies and has copied, as GET /state counts them (a partition counts once its move completed). */
export function executionBytes(record: ExecutionRecord): { totalBytes: number; movedBytes: number } {
  let totalBytes = 0;
  let movedBytes = 0;
  for (const t of record.tasks) {
    if (t.kind !== 'INTER_BROKER_REPLICA_ACTION') continue;
    const bytes = t.sizeBytes * t.destinationBrokers.length;
    totalBytes += bytes;
    if (t.state === 'COMPLETED') movedBytes += bytes;
  }
  return { totalBytes, movedBytes };
}

const running = (r: ExecutionRecord | null): r is ExecutionRecord =>
  r !== null && (r.status === 'IN_PROGRESS' || r.status === 'STOPPING');

/** The latest time anything happened in the execution: its start, or a task starting or finishing. */
export function lastProgressMs(record: ExecutionRecord): number {
  let latest = record.startedAtMs;
  for (const t of record.tasks) latest = Math.max(latest, t.startedAtMs ?? 0, t.finishedAtMs ?? 0);
  return latest;
}

export function registerExecutorMetrics(
  registry: Registry,
  source: ExecutorMetricsSource,
  cache: ScrapeCache,
  nowMs: () => number = Date.now,
): void {
  const record = cache.memo(() => source.lastExecution());
  const bytes = cache.memo(() => {
    const r = record();
    return r === null ? null : executionBytes(r);
  });

  pullValue(registry, 'ballast_execution_in_progress', 'Whether an execution is running (or stopping).', () => {
    return bool(running(record()));
  });
  pullValue(
    registry,
    'ballast_execution_paused',
    'Whether the running execution holds new moves back (a broker died, under-replication rose outside it).',
    () => bool(running(record()) && record()!.pausedReason !== undefined),
  );
  pullGauge(
    registry,
    'ballast_execution_tasks',
    'Tasks of the current or last execution by type and state.',
    ['type', 'state'],
    function* () {
      const r = record();
      if (r === null) return;
      const counts = new Map<string, number>();
      for (const t of r.tasks) counts.set(`${t.kind}/${t.state}`, (counts.get(`${t.kind}/${t.state}`) ?? 0) + 1);
      // Every (type, state) pair, zeros included, so a panel's stacked series never vanish mid-execution.
      for (const type of TASK_TYPES)
        for (const state of TASK_STATES) yield [{ type, state }, counts.get(`${type}/${state}`) ?? 0];
    },
  );
  pullValue(
    registry,
    'ballast_execution_data_to_move_bytes',
    'Data the current or last execution copies in all.',
    () => {
      return bytes()?.totalBytes ?? null;
    },
  );
  pullValue(registry, 'ballast_execution_data_moved_bytes', 'Data the current or last execution has copied.', () => {
    return bytes()?.movedBytes ?? null;
  });
  pullValue(
    registry,
    'ballast_execution_data_remaining_bytes',
    'Data the current or last execution has yet to copy.',
    () => {
      const b = bytes();
      return b === null ? null : b.totalBytes - b.movedBytes;
    },
  );
  pullValue(
    registry,
    'ballast_execution_eta_seconds',
    'Estimated time left for the running execution at its average rate so far; absent before the first partition finished.',
    () => {
      const r = record();
      const b = bytes();
      if (!running(r) || b === null) return null;
      const elapsedMs = nowMs() - r.startedAtMs;
      if (b.movedBytes === 0 || elapsedMs <= 0) return null;
      return ((b.totalBytes - b.movedBytes) * elapsedMs) / b.movedBytes / 1000;
    },
  );
  pullValue(
    registry,
    'ballast_execution_start_timestamp_seconds',
    'When the current or last execution started, Unix time.',
    () => {
      const r = record();
      return r === null ? null : seconds(r.startedAtMs);
    },
  );
  pullValue(
    registry,
    'ballast_execution_last_progress_timestamp_seconds',
    'When the running execution last started or finished a task (its start at first), Unix time.',
    () => {
      const r = record();
      return running(r) ? seconds(lastProgressMs(r)) : null;
    },
  );
  pullGauge(
    registry,
    'ballast_execution_throttle_bytes_per_second',
    'Replication throttle rate the running execution set on each broker.',
    ['broker'],
    function* () {
      const r = record();
      if (!running(r)) return;
      const rates = r.throttleRatesByBroker ?? {};
      for (const broker of r.throttledBrokers) {
        const rate = rates[broker] ?? r.options.replicationThrottleBytesPerSecond;
        if (rate !== null) yield [{ broker }, rate];
      }
    },
  );

  // A counter fed from the records' moved bytes, so rate() shows the replication throughput of
  // executions across their ends and restarts of Ballast (a reset is what counters are for).
  const seen = { executionId: '', movedBytes: 0 };
  new Counter({
    name: 'ballast_execution_moved_bytes_total',
    help: 'Data copied by executions, counted as each partition move completes.',
    registers: [registry],
    collect() {
      const r = record();
      const b = bytes();
      if (r === null || b === null) return;
      if (r.id !== seen.executionId) {
        // A record first seen after a restart counts only from now: its earlier moves were already counted, or lost with the process.
        const first = seen.executionId === '';
        seen.executionId = r.id;
        seen.movedBytes = first ? b.movedBytes : 0;
      }
      if (b.movedBytes > seen.movedBytes) this.inc(b.movedBytes - seen.movedBytes);
      seen.movedBytes = Math.max(seen.movedBytes, b.movedBytes);
    },
  });
}
