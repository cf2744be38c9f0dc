// The built service (`node dist/src/main.js`) SIGKILLed in the middle of an execution and started
// again: the new process resumes from Redis and what Kafka says, the execution finishes, and no
// reassignment or throttle is left anywhere; every acknowledged message is still there. Killed the
// moment its first throttles reach Kafka, restarted and stopped, it leaves nothing either (issue 15:
// the throttles were recorded only after they were set, and a stop then left them all behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CruiseControlState } from '../../src/api/state.service.js';
import { BALLAST_THROTTLE_MARKER } from '../../src/kafka/index.js';
import { freePort, KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { waitForMonitorReady } from '../support/ballast.js';
import { RedisWriteGate } from '../support/redis-write-gate.js';
import { startSteadyLoad, type SteadyLoad } from '../support/steady-load.js';

const PRELOAD = 6_000;
const RECORD_KEY = 'ballast:executor:execution';
const HOT = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? [0, 1] : [1, 0]));

type ExecutorState = Record<string, unknown> & {
  state: string;
  lastExecution?: { id: string; status: string; deadTasks: string[] };
  execution?: { id: string };
};

describe('executor across a SIGKILL of the service', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let admin: Admin;
  let load: SteadyLoad;
  let port: number;
  const children: ChildProcess[] = [];

  const start = (redisUrl = redis.url): ChildProcess => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH ?? '',
        BALLAST_KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
        BALLAST_REDIS_URL: redisUrl,
        BALLAST_SERVER_HOST: '127.0.0.1',
        BALLAST_SERVER_PORT: String(port),
        BALLAST_LOGGING_LEVEL: 'warn',
        BALLAST_MONITOR_SAMPLER: 'jmx-scrape',
        BALLAST_MONITOR_JMX_SCRAPE_URLS: kafka
          .brokers()
          .map((b) => `${b.id}=${b.metricsUrl}`)
          .join(','),
        BALLAST_MONITOR_SAMPLING_INTERVAL_MS: '1000',
        BALLAST_MONITOR_WINDOW_MS: '3000',
        BALLAST_MONITOR_NUM_WINDOWS: '3',
        BALLAST_MONITOR_MIN_SAMPLES_PER_WINDOW: '2',
        BALLAST_MONITOR_MIN_VALID_WINDOWS: '2',
        BALLAST_EXECUTOR_STEP_INTERVAL_MS: '1000',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(child);
    return child;
  };
  const base = () => `http://127.0.0.1:${port}`;
  const stateOf = async <T>(substate: string): Promise<T> => {
    const state = (await (
      await fetch(`${base()}/kafkacruisecontrol/state?json=true&substates=${substate}`)
    ).json()) as CruiseControlState;
    return (substate === 'executor' ? state.ExecutorState : state.MonitorState) as T;
  };
  const throttles = async () => {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        ...kafka.brokers().map((b) => ({
          type: 4,
          name: String(b.id),
          configNames: [
            'leader.replication.throttled.rate',
            'follower.replication.throttled.rate',
            BALLAST_THROTTLE_MARKER,
          ],
        })),
        {
          type: 2,
          name: 'hot',
          configNames: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'],
        },
      ],
    });
    return described.resources.flatMap((r) =>
      r.configEntries
        // Ballast's marker comes back with its value hidden (null): being there at all counts.
        .filter(
          (e) =>
            (e.configValue !== null || e.configName === BALLAST_THROTTLE_MARKER) &&
            e.configValue !== '' &&
            !e.isDefault,
        )
        .map((e) => `${r.resourceName}:${e.configName}`),
    );
  };

  beforeAll(async () => {
    [kafka, redis, port] = await Promise.all([
      KafkaSandbox.start({ brokers: 4 }),
      RedisSandbox.start({ useEnv: false }),
      freePort(),
    ]);
    admin = await kafka.admin();
    await kafka.createTopic('hot', { assignment: HOT });
    await kafka.produce('hot', PRELOAD, { valueBytes: 1000 });
    load = await startSteadyLoad(kafka.kafka, [{ name: 'hot', weight: 1 }], 32 * 1024, [], {
      singleMessageSends: true,
    });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await load?.stop();
    await admin?.disconnect();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  it('finishes the execution after a SIGKILL and a restart, leaving nothing behind and losing no message', async () => {
    const first = start();
    await waitFor(
      'the load monitor to be ready',
      async () =>
        (await stateOf<{ ready?: boolean }>('monitor').catch(() => ({ ready: false }))).ready ? true : undefined,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    // 100 KB/s per broker: each ~1 MB partition copy takes seconds, so the kill lands mid-move.
    const response = await fetch(
      `${base()}/kafkacruisecontrol/rebalance?dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=102400`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
    const running = await waitFor(
      'a move to be in flight',
      async () => {
        const state = await stateOf<ExecutorState>('executor');
        return Number(state.numInProgressPartitionMovements ?? 0) > 0 ? state : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // The dead process left its moves in flight and their throttles on.
    expect((await admin.listPartitionReassignments({})).topics.length).toBeGreaterThan(0);
    expect((await throttles()).length).toBeGreaterThan(0);

    start();
    const done = await waitFor(
      'the resumed execution to finish',
      async () => {
        const state = await stateOf<ExecutorState>('executor').catch(() => undefined);
        return state?.state === 'NO_TASK_IN_PROGRESS' && state.lastExecution ? state : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
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
      const response = await fetch(
        `${base()}/kafkacruisecontrol/remove_broker?brokerid=3&dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=102400`,
        { method: 'POST' },
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
    const stop = await fetch(`${base()}/kafkacruisecontrol/stop_proposal_execution?json=true`, { method: 'POST' });
    expect(stop.status, await stop.clone().text()).toBe(200);
    const done = await waitFor(
      'the stopped execution to end',
      async () => {
        const state = await stateOf<ExecutorState>('executor').catch(() => undefined);
        return state?.state === 'NO_TASK_IN_PROGRESS' && state.lastExecution ? state : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(['STOPPED', 'COMPLETED'], JSON.stringify(done.lastExecution)).toContain(done.lastExecution!.status);
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    expect(await throttles()).toEqual([]);
  });

  it('lost no message across both kills', async () => {
    await load.stop();
    expect(load.failedSends(), load.errors().join('; ')).toBe(0);
    const read = await kafka.consumeCount('hot');
    expect([...load.ackedKeys].filter((k) => !read.keys!.has(k))).toEqual([]);
    expect(read.total).toBe(PRELOAD + (load.acked.get('hot') ?? 0));
  });
});
