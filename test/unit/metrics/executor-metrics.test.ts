// Executor metrics on in-memory execution records: tasks by type and state, bytes moved and left,
// the ETA, the throttle per broker, the last-progress time, and the moved-bytes counter across executions.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord, TaskRecord } from '../../../src/executor/index.js';
import { registerExecutorMetrics } from '../../../src/metrics/executor.metrics.js';
import { ScrapeCache } from '../../../src/metrics/pull-gauge.js';
import { scrape } from '../../support/scrape.js';

const MB = 1024 * 1024;

function task(id: number, state: TaskRecord['state'], over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    kind: 'INTER_BROKER_REPLICA_ACTION',
    topic: 't',
    partition: id,
    oldReplicas: [0, 1],
    newReplicas: [2, 1],
    oldLeader: 0,
    newLeader: 2,
    sourceBrokers: [0],
    destinationBrokers: [2],
    sizeBytes: 10 * MB,
    state,
    ...over,
  };
}

function record(over: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: 'exec-1',
    status: 'IN_PROGRESS',
    operation: 'rebalance',
    reason: 'test',
    startedAtMs: 100_000,
    options: {
      limits: {
        concurrentPartitionMovementsPerBroker: 5,
        maxPartitionMovementsInCluster: 50,
        concurrentIntraBrokerPartitionMovements: 2,
        concurrentLeaderMovements: 100,
      },
      strategies: [],
      replicationThrottleBytesPerSecond: 5 * MB,
      leaderMovementTimeoutMs: 60_000,
    },
    tasks: [
      task(0, 'COMPLETED', { startedAtMs: 101_000, finishedAtMs: 120_000 }),
      task(1, 'IN_PROGRESS', { startedAtMs: 121_000, destinationBrokers: [2, 3] }),
      task(2, 'PENDING'),
      task(3, 'COMPLETED', { kind: 'LEADER_ACTION', destinationBrokers: [], finishedAtMs: 125_000 }),
    ],
    throttledBrokers: [0, 2, 3],
    throttleRatesByBroker: { 0: 2 * MB, 2: 3 * MB },
    events: [],
    ...over,
  };
}

function setup(initial: ExecutionRecord | null, nowMs = 140_000) {
  const registry = new Registry();
  const cache = new ScrapeCache();
  const source = { record: initial };
  registerExecutorMetrics(registry, { lastExecution: () => source.record }, cache, () => nowMs);
  return { registry, cache, source };
}

describe('executor metrics', () => {
  it('report nothing running and no execution series before any execution', async () => {
    const { registry, cache } = setup(null);
    const m = await scrape(registry, cache);
    expect(m.get('ballast_execution_in_progress')?.get('{}')).toBe(0);
    expect(m.get('ballast_execution_tasks')?.size ?? 0).toBe(0);
    expect(m.get('ballast_execution_data_to_move_bytes')?.size ?? 0).toBe(0);
    expect(m.get('ballast_execution_eta_seconds')?.size ?? 0).toBe(0);
  });

  it('count tasks by type and state, with zeros for the pairs that have none', async () => {
    const { registry, cache } = setup(record());
    const tasks = (await scrape(registry, cache)).get('ballast_execution_tasks')!;
    expect(tasks.size).toBe(18);
    expect(tasks.get('{state=COMPLETED,type=INTER_BROKER_REPLICA_ACTION}')).toBe(1);
    expect(tasks.get('{state=IN_PROGRESS,type=INTER_BROKER_REPLICA_ACTION}')).toBe(1);
    expect(tasks.get('{state=PENDING,type=INTER_BROKER_REPLICA_ACTION}')).toBe(1);
    expect(tasks.get('{state=COMPLETED,type=LEADER_ACTION}')).toBe(1);
    expect(tasks.get('{state=DEAD,type=INTRA_BROKER_REPLICA_ACTION}')).toBe(0);
  });

  it('report bytes moved and left, the ETA at the average rate, throttles and the last progress', async () => {
    const { registry, cache } = setup(record());
    const m = await scrape(registry, cache);
    // 10 MB done of 10 + 2 × 10 + 10 = 40 MB, in 40 s since the start: 30 MB left at 0.25 MB/s.
    expect(m.get('ballast_execution_data_to_move_bytes')?.get('{}')).toBe(40 * MB);
    expect(m.get('ballast_execution_data_moved_bytes')?.get('{}')).toBe(10 * MB);
    expect(m.get('ballast_execution_data_remaining_bytes')?.get('{}')).toBe(30 * MB);
    expect(m.get('ballast_execution_eta_seconds')?.get('{}')).toBeCloseTo(120);
    expect(m.get('ballast_execution_in_progress')?.get('{}')).toBe(1);
    expect(m.get('ballast_execution_paused')?.get('{}')).toBe(0);
    expect(m.get('ballast_execution_start_timestamp_seconds')?.get('{}')).toBe(100);
    expect(m.get('ballast_execution_last_progress_timestamp_seconds')?.get('{}')).toBe(125);
    const throttle = m.get('ballast_execution_throttle_bytes_per_second')!;
    expect([...throttle]).toEqual([
      ['{broker=0}', 2 * MB],
      ['{broker=2}', 3 * MB],
      ['{broker=3}', 5 * MB],
    ]);
  });

  it('drop the ETA, throttles and progress time once the execution ended, keeping its tasks', async () => {
    const { registry, cache } = setup(record({ status: 'COMPLETED', finishedAtMs: 130_000 }));
    const m = await scrape(registry, cache);
    expect(m.get('ballast_execution_in_progress')?.get('{}')).toBe(0);
    expect(m.get('ballast_execution_eta_seconds')?.size ?? 0).toBe(0);
    expect(m.get('ballast_execution_throttle_bytes_per_second')?.size ?? 0).toBe(0);
    expect(m.get('ballast_execution_last_progress_timestamp_seconds')?.size ?? 0).toBe(0);
    expect(m.get('ballast_execution_tasks')?.get('{state=COMPLETED,type=INTER_BROKER_REPLICA_ACTION}')).toBe(1);
  });

  it('report a paused execution', async () => {
    const { registry, cache } = setup(record({ pausedReason: 'broker 3 died' }));
    expect((await scrape(registry, cache)).get('ballast_execution_paused')?.get('{}')).toBe(1);
  });

  it('count moved bytes from when they are first seen, across executions', async () => {
    const { registry, cache, source } = setup(record());
    const moved = async () => (await scrape(registry, cache)).get('ballast_execution_moved_bytes_total')?.get('{}');
    // What the first record had already moved happened before this process counted (or was counted by the last one).
    expect(await moved()).toBe(0);
    const progressed = record();
    progressed.tasks[1] = { ...progressed.tasks[1]!, state: 'COMPLETED' };
    source.record = progressed;
    expect(await moved()).toBe(20 * MB);
    source.record = record({ id: 'exec-2' });
    expect(await moved()).toBe(30 * MB);
    expect(await moved()).toBe(30 * MB);
  });
});
