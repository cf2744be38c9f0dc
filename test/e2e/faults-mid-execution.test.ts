// Faults in the middle of an execution (issue 15), on a real sandbox: 4 brokers in 4 racks,
// replication factor 3, min ISR 2, an acks=all producer counting every acknowledged message.
// - A broker killed while a throttled add_broker moves replicas that keep it: the detector stops
//   the execution past the fix threshold, the stop ends (moves that cannot finish re-targeted), and
//   the heal runs; nothing is left behind.
// - Redis flushed in the middle of a heal: the lost execution is never reported from memory, what
//   Kafka shows of it is recovered, stopped and cleaned up, and the failure is healed anew.
import type { Admin } from 'kafkajs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { waitFor, type KafkaSandbox, type RedisSandbox } from '../../scripts/sandbox/index.js';
import { startSandboxBallast, waitForMonitorReady } from '../support/ballast.js';
import { detectorAndExecutorOf, post, type ExecutionSummary, type ExecutorState } from '../support/ballast-api.js';
import { expectAckedKeysRead, stopLoadAndReadBack } from '../support/read-back.js';
import { startSandboxUnderLoad, stopSandboxUnderLoad } from '../support/sandbox-under-load.js';
import type { SteadyLoad } from '../support/steady-load.js';
import { MARKED_REPLICATION_RATES, throttleConfigs } from '../support/throttle-configs.js';

const TOPIC = 'moves';
// Four partitions on brokers 0–2, none on 3. 1.5 MB each: Kafka lets a move's first fetch (up to
// 1 MB) through unthrottled, so only the rest is paced by the throttle, and moves last seconds.
const ASSIGNMENT = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
];
const PRELOAD = 6_000;
const THROTTLE = 65_536;
const FIX_AFTER_MS = 10_000;
/** Kill → every partition back at 3 in-sync replicas on live brokers: the fix threshold plus this. */
const HEAL_BOUND_MS = 240_000;

/** Every execution summary /state showed, polled every 100 ms in the background, by id. */
class ExecutionWatcher {
  private readonly byId = new Map<string, (ExecutionSummary & { seenAtMs: number })[]>();
  private timer: NodeJS.Timeout | null = null;

  start(read: () => Promise<ExecutorState>): void {
    const poll = async () => {
      try {
        const executor = await read();
        for (const e of [executor.execution, executor.lastExecution]) {
          if (e === undefined) continue;
          const list = this.byId.get(e.id) ?? [];
          if (list.at(-1)?.status !== e.status) list.push({ ...e, seenAtMs: Date.now() });
          this.byId.set(e.id, list);
        }
      } catch {
        // the service restarting or busy: the next poll tries again
      }
      if (this.timer !== null) this.timer = setTimeout(() => void poll(), 100);
    };
    this.timer = setTimeout(() => void poll(), 0);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  seen(id: string): (ExecutionSummary & { seenAtMs: number })[] {
    return this.byId.get(id) ?? [];
  }

  /** The first execution of `operation` started at or after `sinceMs`. */
  first(operation: string, sinceMs: number): (ExecutionSummary & { seenAtMs: number }) | undefined {
    for (const list of this.byId.values()) {
      if (list[0]!.operation === operation && list[0]!.startedAtMs >= sinceMs) return list[0];
    }
    return undefined;
  }
}

describe('faults in the middle of an execution', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;
  let admin: Admin;
  let load: SteadyLoad;
  const executions = new ExecutionWatcher();

  const state = () => detectorAndExecutorOf(ballast.url);
  /** The running execution, or the last one once none runs. */
  const current = async () => {
    const { executor } = await state();
    return executor.execution ?? executor.lastExecution;
  };
  const reassignments = async () => (await admin.listPartitionReassignments({})).topics;
  /** Throttle configs left anywhere: broker rates, Ballast's marker, the topic's replica lists. */
  const throttlesLeft = async () =>
    throttleConfigs(admin, {
      brokers: await kafka.liveBrokerIds(),
      brokerConfigs: MARKED_REPLICATION_RATES,
      topics: [TOPIC],
    });
  /** Every partition at 3 in-sync replicas on live brokers, nothing moving, no throttle anywhere. */
  const healed = (what: string, dead: number) =>
    waitFor(
      what,
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC] });
        const partitions = metadata.topics[0]!.partitions;
        const whole = partitions.every(
          (p) => p.replicas.length === 3 && p.isr.length === 3 && !p.replicas.includes(dead),
        );
        if (!whole || (await reassignments()).length > 0) return undefined;
        const left = await throttlesLeft();
        if (left.length > 0) throw new Error(`throttles left: ${left.join(', ')}`);
        return partitions;
      },
      { timeoutMs: HEAL_BOUND_MS, intervalMs: 1_000 },
    );

  beforeAll(async () => {
    ({ kafka, redis, admin, load } = await startSandboxUnderLoad({
      brokers: 4,
      racks: 4,
      topic: TOPIC,
      create: { assignment: ASSIGNMENT, configs: { 'min.insync.replicas': '2' } },
      preload: PRELOAD,
      loadBytesPerSecond: 16 * 1024,
      // A killed broker makes sends fail.
      idempotent: false,
    }));
    ballast = await startSandboxBallast(kafka, redis.url, {
      executor: { defaultReplicationThrottleBytesPerSecond: THROTTLE },
      detector: {
        intervalMs: 1_000,
        brokerFailure: { alertThresholdMs: 2_000, fixThresholdMs: FIX_AFTER_MS, selfHealing: true },
        // Only the failures under test: no rebalance or replication-factor change gets in the way.
        goalViolation: { enabled: false },
        topicAnomaly: { enabled: false },
      },
    });
    await waitForMonitorReady(ballast.url);
    executions.start(async () => (await state()).executor);
  });

  afterAll(async () => {
    executions.stop();
    await ballast?.app.close();
    await stopSandboxUnderLoad({ kafka, redis, admin, load });
  });

  it('a broker killed mid-move is healed past the fix threshold: the execution is stopped, the stop ends, nothing is left', async () => {
    const response = await post(
      ballast.url,
      `/kafkacruisecontrol/add_broker?brokerid=3&dryrun=false&json=true&replication_throttle=${THROTTLE}&excluded_topics=__consumer_offsets`,
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const rebalance = (await current())!;
    expect(rebalance.operation).toBe('add_broker');
    // A move in flight that keeps a broker (old and new replica sets both name it): kill that one.
    const victim = await waitFor(
      'a move in flight that keeps a broker',
      async () => {
        for (const t of await reassignments()) {
          for (const p of t.partitions) {
            const kept = p.replicas.filter(
              (b) => !(p.addingReplicas ?? []).includes(b) && !(p.removingReplicas ?? []).includes(b),
            );
            if (kept.length > 0) return kept[0]!;
          }
        }
        return undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const killedAtMs = Date.now();
    await kafka.killBroker(victim);

    // Past the fix threshold the detector stops the add_broker (said in its events and the
    // anomaly's record); the stop ends although a move kept the dead broker, and the heal starts.
    const heal = await waitFor(
      'the heal to complete',
      async () => {
        const last = await current();
        if (last?.operation !== 'self_healing:BROKER_FAILURE') return undefined;
        if (last.status === 'COMPLETED') return last;
        if (last.status === 'STOPPED' || last.status === 'FAILED') throw new Error(JSON.stringify(last));
        return undefined;
      },
      { timeoutMs: HEAL_BOUND_MS, intervalMs: 1_000 },
    );
    expect(heal.deadTasks).toEqual([]);
    // The heal may start within a second of the stop's end: the add_broker was seen STOPPING (the
    // detector's stop, with its reason) and then STOPPED, or the heal started after it was last
    // seen STOPPING — no execution starts while another runs, and STOPPING only ends STOPPED.
    const interrupted = executions.seen(rebalance.id);
    const stopping = interrupted.find((e) => e.status === 'STOPPING');
    expect(stopping, JSON.stringify(interrupted.map((e) => e.status))).toBeDefined();
    expect(stopping!.events.join('\n')).toMatch(
      new RegExp(`stop requested: BROKER_FAILURE.*broker ${victim} failed while execution`),
    );
    expect(interrupted.map((e) => e.status)).not.toContain('COMPLETED');
    expect(interrupted.some((e) => e.status === 'STOPPED') || heal.startedAtMs >= stopping!.seenAtMs).toBe(true);
    await healed('every partition back at 3 in-sync replicas on the live brokers, nothing left behind', victim);
    const healMs = Date.now() - killedAtMs;
    expect(healMs, `healed ${healMs} ms after the kill`).toBeLessThan(FIX_AFTER_MS + HEAL_BOUND_MS);

    // The broker comes back (empty): the failure closes.
    await kafka.restartBroker(victim);
    await waitFor(
      'no broker failure left',
      async () => ((await state()).detector.failureBudget.failedBrokers.length === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 600_000);

  it('Redis flushed mid-heal: no phantom execution, what Kafka shows is stopped and cleaned up, the failure healed', async () => {
    // A broker that holds replicas, so that its heal moves data.
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    const victim = metadata.topics[0]!.partitions[0]!.replicas.find(
      (b) => b !== metadata.topics[0]!.partitions[0]!.leader,
    )!;
    await kafka.killBroker(victim);
    const heal = await waitFor(
      'a heal with moves in flight',
      async () => {
        const { executor } = await state();
        const running = executor.execution;
        if (running?.operation !== 'self_healing:BROKER_FAILURE') return undefined;
        return (await reassignments()).length > 0 && (await throttlesLeft()).length > 0 ? running : undefined;
      },
      { timeoutMs: FIX_AFTER_MS + 120_000, intervalMs: 250 },
    );

    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    // Not any recovered execution: T1's killed broker may have come back with Ballast's rates still
    // on it (they could not be removed while it was dead), which the idle check cleans up that way.
    const flushedAtMs = Date.now();
    await client.flushall();
    await client.quit();

    // The lost execution disappears from /state (no phantom), and what Kafka shows of it is
    // recovered and stopped with a reason.
    const recovered = await waitFor(
      'the lost heal to be recovered from Kafka',
      async () => Promise.resolve(executions.first('recovered', flushedAtMs)),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(recovered.id).not.toBe(heal.id);
    expect(recovered.reason).toMatch(
      /Kafka carries Ballast's replication throttles on broker\(s\) .* stopping and cleaning up/,
    );
    const { executor } = await state();
    expect([executor.execution?.id, executor.lastExecution?.id]).not.toContain(heal.id);

    // The recovered execution ends STOPPED (its moves finished or were cancelled, its throttles
    // gone); whatever the failure still needs is healed anew, and nothing is left anywhere.
    await waitFor(
      'the recovered execution to end',
      async () => {
        const last = await current();
        if (last?.id === recovered.id && last.status === 'STOPPED') return last;
        return last !== undefined && last.id !== recovered.id && last.id !== heal.id ? last : undefined;
      },
      { timeoutMs: HEAL_BOUND_MS, intervalMs: 1_000 },
    );
    await healed('every partition back at 3 in-sync replicas, nothing left behind', victim);
    const last = (await state()).executor;
    expect(last.execution, 'nothing runs once healed').toBeUndefined();
    // The last execution is the recovered one, stopped, or a new heal of the failure, completed.
    expect(
      [`recovered STOPPED`, `self_healing:BROKER_FAILURE COMPLETED`],
      JSON.stringify(last.lastExecution),
    ).toContain(`${last.lastExecution!.operation} ${last.lastExecution!.status}`);
    await kafka.restartBroker(victim);
  }, 600_000);

  it('lost no message: every acknowledged message is in the topic', async () => {
    const read = await stopLoadAndReadBack(kafka, load, TOPIC, { everySendAcked: false });
    expectAckedKeysRead(read, load, PRELOAD);
    expect(read.keys!.size).toBeLessThanOrEqual(PRELOAD + (load.acked.get(TOPIC) ?? 0) + load.failedMessages());
  });
});
