// The built service (`node dist/src/main.js`) SIGKILLed in the middle of an execution and started
// again: the new process resumes from Redis and what Kafka says, the execution finishes, and no
// reassignment or throttle is left anywhere; every acknowledged message is still there. Killed the
// moment its first throttles reach Kafka, restarted and stopped, it leaves nothing either (issue 15:
// the throttles were recorded only after they were set, and a stop then left them all behind).
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor, type KafkaSandbox, type RedisSandbox } from '../../scripts/sandbox/index.js';
import { waitForMonitorReady } from '../support/ballast.js';
import { post, waitForExecutorIdle, waitForMoveInFlight } from '../support/ballast-api.js';
import { spawnBallast } from '../support/ballast-process.js';
import { expectAckedKeysRead, stopLoadAndReadBack } from '../support/read-back.js';
import { RedisWriteGate } from '../support/redis-write-gate.js';
import { startSandboxUnderLoad, stopSandboxUnderLoad } from '../support/sandbox-under-load.js';
import type { SteadyLoad } from '../support/steady-load.js';
import { MARKED_REPLICATION_RATES, throttleConfigs } from '../support/throttle-configs.js';

const PRELOAD = 6_000;
const RECORD_KEY = 'ballast:executor:execution';
const HOT = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? [0, 1] : [1, 0]));

describe('executor across a SIGKILL of the service', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let admin: Admin;
  let load: SteadyLoad;
  let port: number;
  const children: ChildProcess[] = [];

  const start = (redisUrl = redis.url): ChildProcess => {
    const child = spawnBallast(kafka, redisUrl, port, { logLevel: 'warn', stdio: ['ignore', 'ignore', 'ignore'] });
    children.push(child);
    return child;
  };
  const base = () => `http://127.0.0.1:${port}`;
  /** Broker rates and Ballast's marker, and the replica lists of `hot`. */
  const throttles = () =>
    throttleConfigs(admin, {
      brokers: kafka.brokers().map((b) => b.id),
      brokerConfigs: MARKED_REPLICATION_RATES,
      topics: ['hot'],
    });

  beforeAll(async () => {
    [{ kafka, redis, admin, load }, port] = await Promise.all([
      startSandboxUnderLoad({
        brokers: 4,
        topic: 'hot',
        create: { assignment: HOT },
        preload: PRELOAD,
        loadBytesPerSecond: 32 * 1024,
      }),
      freePort(),
    ]);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopSandboxUnderLoad({ kafka, redis, admin, load });
  });

  it('finishes the execution after a SIGKILL and a restart, leaving nothing behind and losing no message', async () => {
    const first = start();
    await waitForMonitorReady(base());
    // 100 KB/s per broker: each ~1 MB partition copy takes seconds, so the kill lands mid-move.
    const response = await post(
      base(),
      '/kafkacruisecontrol/rebalance?dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=102400',
    );
    expect(response.status).toBe(200);
    const running = await waitForMoveInFlight(base());
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The dead process left its moves in flight and their throttles on.
    expect((await admin.listPartitionReassignments({})).topics.length).toBeGreaterThan(0);
    expect((await throttles()).length).toBeGreaterThan(0);

    start();
    const done = await waitForExecutorIdle(base(), 'the resumed execution to finish', {
      timeoutMs: 180_000,
      intervalMs: 1_000,
      accept: (state) => state.lastExecution !== undefined,
    });
    expect(done.lastExecution!.id).toBe(running.execution!.id);
    expect(done.lastExecution, JSON.stringify(done)).toMatchObject({ status: 'COMPLETED', deadTasks: [] });
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    expect(await throttles()).toEqual([]);
  });

  it('killed the moment its first throttles reach Kafka, restarted and stopped: nothing is left behind', async () => {
    // This time the service reaches Redis through a gate that can hold back its execution record's
    // writes: once the execution is recorded, the gate closes, so the first step can send what it
    // sends before its next write, and the kill lands right there (issue 15: throttles were set
    // before they were recorded, so a kill there left a record naming none, and the stop cleared nothing).
    const previous = children.at(-1)!;
    if (previous.exitCode === null && previous.signalCode === null) {
      previous.kill('SIGKILL');
      await new Promise((resolve) => previous.once('exit', resolve));
    }
    const gate = await RedisWriteGate.start(redis.url);
    try {
      const running = start(gate.url);
      await waitForMonitorReady(base());
      expect(await throttles()).toEqual([]);
      const response = await post(
        base(),
        '/kafkacruisecontrol/remove_broker?brokerid=3&dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=102400',
      );
      expect(response.status, await response.clone().text()).toBe(200);
      gate.close(RECORD_KEY);
      // Either throttles reach Kafka while the record's next write is held (they were sent before
      // being recorded), or that write is held for 3 s with none in Kafka (recorded first).
      await waitFor(
        'throttles in Kafka, or the record write held with none sent',
        async () => ((await throttles()).length > 0 || gate.heldForMs() > 3_000 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      running.kill('SIGKILL');
      await new Promise((resolve) => running.once('exit', resolve));
    } finally {
      await gate.stop();
    }
    // What the dead process left in Redis names every broker Kafka shows a throttle on.
    const left = await throttles();
    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    const record = JSON.parse((await client.get(RECORD_KEY)) ?? 'null') as { throttledBrokers: number[] } | null;
    await client.quit();
    const throttledInKafka = [...new Set(left.filter((t) => /^\d+:/.test(t)).map((t) => Number(t.split(':')[0])))];
    expect(record?.throttledBrokers ?? [], JSON.stringify(left)).toEqual(expect.arrayContaining(throttledInKafka));

    start();
    await waitFor(
      'the restarted service to answer',
      async () => ((await fetch(`${base()}/health`).catch(() => null))?.ok ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    const stop = await post(base(), '/kafkacruisecontrol/stop_proposal_execution?json=true');
    expect(stop.status, await stop.clone().text()).toBe(200);
    const done = await waitForExecutorIdle(base(), 'the stopped execution to end', {
      timeoutMs: 120_000,
      intervalMs: 500,
      accept: (state) => state.lastExecution !== undefined,
    });
    expect(['STOPPED', 'COMPLETED'], JSON.stringify(done.lastExecution)).toContain(done.lastExecution!.status);
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    expect(await throttles()).toEqual([]);
  });

  it('lost no message across both kills', async () => {
    const read = await stopLoadAndReadBack(kafka, load, 'hot', { everySendAcked: true });
    expectAckedKeysRead(read, load);
    expect(read.total).toBe(PRELOAD + (load.acked.get('hot') ?? 0));
  });
});
