// Redis restarted in the middle of an execution, then down for longer than several steps: the built
// service keeps running, the execution finishes with every task COMPLETED, no move is sent twice
// (each task keeps the start time it was given, and Kafka counts exactly the reassignment requests
// the record accounts for), nothing is left behind, and every acknowledged message is there.
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/executor/execution-record.js';
import { freePort, waitFor, type KafkaSandbox, type RedisSandbox } from '../../scripts/sandbox/index.js';
import { waitForMonitorReady } from '../support/ballast.js';
import { executorStateOf, post, waitForExecutorIdle, type ExecutorState } from '../support/ballast-api.js';
import { spawnBallast } from '../support/ballast-process.js';
import { expectAckedKeysRead, stopLoadAndReadBack } from '../support/read-back.js';
import { startSandboxUnderLoad, stopSandboxUnderLoad } from '../support/sandbox-under-load.js';
import type { SteadyLoad } from '../support/steady-load.js';
import { throttleConfigs } from '../support/throttle-configs.js';

const PRELOAD = 9_000;
/** Bytes per second per broker: each ~1.5 MB partition copy takes many steps. */
const THROTTLE = 100 * 1024;
/** Longer than several steps (1 s each), and than a BullMQ stalled-job check. */
const OUTAGE_MS = 8_000;
const RECORD_KEY = 'ballast:executor:execution';
/** Broker 2 holds one replica of every partition and leads none of them. */
const HOT = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? [0, 2] : [1, 2]));

/** What the test saw of one task in the records it read, in order. */
interface TaskHistory {
  states: string[];
  startedAtMs: Set<number>;
}

describe('executor across a Redis restart and a Redis outage', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let admin: Admin;
  let load: SteadyLoad;
  let port: number;
  let service: ChildProcess;
  const logLines: string[] = [];

  const base = () => `http://127.0.0.1:${port}`;
  /** Broker rates, and the replica lists of `hot`. */
  const throttles = () => throttleConfigs(admin, { brokers: kafka.brokers().map((b) => b.id), topics: ['hot'] });
  /** AlterPartitionReassignments requests the brokers have answered since they started (all versions). */
  const reassignmentRequests = async () => {
    const series = 'kafka_network_RequestMetrics_Count{name="RequestsPerSec",request="AlterPartitionReassignments"';
    let total = 0;
    for (const b of kafka.brokers()) {
      const text = await (await fetch(b.metricsUrl)).text();
      for (const line of text.split('\n')) if (line.startsWith(series)) total += Number(line.split(' ').at(-1));
    }
    return total;
  };

  beforeAll(async () => {
    [{ kafka, redis, admin, load }, port] = await Promise.all([
      startSandboxUnderLoad({
        brokers: 3,
        racks: 3,
        topic: 'hot',
        create: { assignment: HOT },
        preload: PRELOAD,
        loadBytesPerSecond: 32 * 1024,
      }),
      freePort(),
    ]);
    service = spawnBallast(kafka, redis.url, port, { logLevel: 'info', stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    const collect = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      logLines.push(...lines.filter((l) => l.trim() !== ''));
    };
    service.stdout!.on('data', collect);
    service.stderr!.on('data', collect);
    await waitForMonitorReady(base());
  });

  afterAll(async () => {
    if (service?.exitCode === null) service.kill('SIGKILL');
    await stopSandboxUnderLoad({ kafka, redis, admin, load });
  });

  it('finishes the execution with every move made once, nothing left behind and no message lost', async () => {
    const requestsBefore = await reassignmentRequests();
    const response = await post(
      base(),
      `/kafkacruisecontrol/remove_broker?brokerid=2&dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=${THROTTLE}&concurrent_partition_movements_per_broker=1`,
    );
    expect(response.status, await response.clone().text()).toBe(200);

    // Every record the test reads straight from Redis, all along: a task that went back to PENDING
    // or got a second start time would have been sent again.
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 200, lazyConnect: true });
    client.on('error', () => undefined); // Redis is down on purpose for a while
    const history = new Map<number, TaskHistory>();
    let latest: ExecutionRecord | null = null;
    let reads = 0;
    let watching = true;
    const observe = (record: ExecutionRecord) => {
      reads += 1;
      for (const task of record.tasks) {
        const seen = history.get(task.id) ?? { states: [], startedAtMs: new Set<number>() };
        if (seen.states.at(-1) !== task.state) seen.states.push(task.state);
        if (task.startedAtMs !== undefined) seen.startedAtMs.add(task.startedAtMs);
        history.set(task.id, seen);
      }
      return record;
    };
    const watch = (async () => {
      while (watching) {
        const text = await client.get(RECORD_KEY).catch(() => null);
        if (text !== null) latest = observe(JSON.parse(text) as ExecutionRecord);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const count = (record: ExecutionRecord | null, state: string) =>
      record?.tasks.filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION' && t.state === state).length ?? 0;
    const midway = async (what: string, minCompleted: number) =>
      waitFor(
        what,
        () =>
          Promise.resolve(
            count(latest, 'COMPLETED') >= minCompleted &&
              count(latest, 'IN_PROGRESS') > 0 &&
              count(latest, 'PENDING') > 0
              ? latest!
              : undefined,
          ),
        { timeoutMs: 120_000, intervalMs: 100 },
      );

    try {
      // 1. A restart while a move is in flight and more wait their turn.
      const beforeRestart = await midway('a move in flight with more pending', 1);
      expect((await admin.listPartitionReassignments({})).topics.length).toBeGreaterThan(0);
      const restartStarted = Date.now();
      await redis.restart();
      const restartMs = Date.now() - restartStarted;

      // 2. Once a step has completed a move after the restart, Redis goes away for OUTAGE_MS.
      const afterRestart = await midway(
        'a move completed after the restart, another in flight and more pending',
        count(beforeRestart, 'COMPLETED') + 1,
      );
      const outageStarted = Date.now();
      await redis.stop();
      const during: ExecutorState[] = [];
      while (Date.now() - outageStarted < OUTAGE_MS) {
        expect(service.exitCode, logLines.slice(-20).join('\n')).toBeNull();
        // The API still answers from what the service last knew.
        during.push(await executorStateOf(base()));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      await redis.startAgain();
      const outageMs = Date.now() - outageStarted;
      expect(during.every((s) => s.state !== 'NO_TASK_IN_PROGRESS')).toBe(true);

      // 3. The same execution finishes.
      const done = await waitForExecutorIdle(base(), 'the execution to finish', {
        timeoutMs: 240_000,
        intervalMs: 1_000,
        accept: (state) => state.lastExecution !== undefined,
      });
      watching = false;
      await watch;
      const final = observe(JSON.parse((await client.get(RECORD_KEY))!) as ExecutionRecord);
      client.disconnect();

      expect(service.exitCode, logLines.slice(-20).join('\n')).toBeNull();
      expect(done.lastExecution!.id).toBe(beforeRestart.id);
      expect(afterRestart.id).toBe(beforeRestart.id);
      expect(done.lastExecution, JSON.stringify(done)).toMatchObject({ status: 'COMPLETED', deadTasks: [] });
      expect(final.status).toBe('COMPLETED');
      expect(final.tasks.filter((t) => t.state !== 'COMPLETED')).toEqual([]);
      expect(final.tasks.filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION')).toHaveLength(HOT.length);

      // No move sent twice: every task went PENDING → IN_PROGRESS → COMPLETED (some steps unseen) and
      // kept the one start time it was given, before and after the restart and the outage.
      const order = ['PENDING', 'IN_PROGRESS', 'COMPLETED'];
      for (const task of final.tasks) {
        const seen = history.get(task.id)!;
        const ranks = seen.states.map((s) => order.indexOf(s));
        expect(
          ranks.every((r, i) => r >= 0 && (i === 0 || r > ranks[i - 1]!)),
          `task ${task.id}: ${seen.states.join(' → ')}`,
        ).toBe(true);
        expect([...seen.startedAtMs], `task ${task.id}`).toEqual([task.startedAtMs]);
      }
      for (const task of beforeRestart.tasks.filter((t) => t.startedAtMs !== undefined))
        expect(final.tasks.find((t) => t.id === task.id)!.startedAtMs).toBe(task.startedAtMs);

      // Kafka's side of it: one AlterPartitionReassignments request per batch of moves started in one
      // step, plus at most one per batch of leader moves (a reorder, only where the leader is not first).
      const batches = (kind: string) =>
        new Set(final.tasks.filter((t) => t.kind === kind).map((t) => t.startedAtMs)).size;
      const requests = (await reassignmentRequests()) - requestsBefore;
      console.log(
        `redis restart ${restartMs} ms, outage ${outageMs} ms; execution ${final.finishedAtMs! - final.startedAtMs} ms, ` +
          `${final.tasks.length} tasks started in ${batches('INTER_BROKER_REPLICA_ACTION')} + ${batches('LEADER_ACTION')} batches, ` +
          `${requests} AlterPartitionReassignments requests, ${reads} records read; events: ${JSON.stringify(final.events)}`,
      );
      expect(requests).toBeGreaterThanOrEqual(batches('INTER_BROKER_REPLICA_ACTION'));
      expect(requests).toBeLessThanOrEqual(batches('INTER_BROKER_REPLICA_ACTION') + batches('LEADER_ACTION'));

      // Nothing left behind, and broker 2 holds nothing.
      expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
      expect(await throttles()).toEqual([]);
      const metadata = await kafka.clusterMetadata(['hot']);
      expect(metadata.topics[0]!.partitions.filter((p) => p.replicas.includes(2))).toEqual([]);

      // The service said what losing Redis meant for the execution, and when Redis was back; every
      // line it wrote is a JSON log line (no error printed raw by a library left without a listener).
      const logged = (msg: string) => logLines.some((l) => l.includes(`"msg":"${msg}"`) && l.includes(final.id));
      expect(logged('executor cannot reach Redis'), logLines.slice(-30).join('\n')).toBe(true);
      expect(logged('executor reached Redis again'), logLines.slice(-30).join('\n')).toBe(true);
      expect(logLines.filter((l) => !l.startsWith('{'))).toEqual([]);
    } finally {
      watching = false;
      client.disconnect();
    }

    const read = await stopLoadAndReadBack(kafka, load, 'hot', { everySendAcked: true });
    expectAckedKeysRead(read, load, PRELOAD);
    expect(read.total).toBe(PRELOAD + (load.acked.get('hot') ?? 0));
  });
});
