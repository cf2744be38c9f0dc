// Anomaly detection and self-healing under the N-1 failure budget, on a real sandbox: 4 brokers in
// 4 racks with two log dirs each, replication factor 3, min ISR 2, an acks=all producer counting
// every acknowledged message, alerts received by a real webhook. Thresholds are in seconds.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { Alert, AnomalyDetectorStateJson, AnomalyRecord } from '../../src/detector/index.js';
import type { ClusterSnapshot } from '../../src/kafka/index.js';
import type { KafkajsGateway } from '../../src/kafka/kafkajs.gateway.js';
import { waitFor, type KafkaSandbox, type RedisSandbox } from '../../scripts/sandbox/index.js';
import { startSandboxBallast } from '../support/ballast.js';
import { detectorAndExecutorOf, post, waitForExecutorIdle } from '../support/ballast-api.js';
import { expectAckedKeysRead, stopLoadAndReadBack } from '../support/read-back.js';
import { sandboxGateway, startSandboxUnderLoad, stopSandboxUnderLoad } from '../support/sandbox-under-load.js';
import type { SteadyLoad } from '../support/steady-load.js';
import { throttleConfigs } from '../support/throttle-configs.js';

const TOPIC = 'heal';
const PRELOAD = 2_000;
const ALERT_AFTER_MS = 3_000;
// Long enough for a killed broker to be restarted and rejoin on a busy machine before its heal.
const HEAL_AFTER_MS = 40_000;
const BUDGET_REASON = '2 brokers down, failure budget 1: not healing; run fix_offline_replicas or remove_broker to act';

type ReceivedAlert = Alert & { source: string; receivedMs: number };

describe('self-healing within the N-1 failure budget', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;
  let admin: Admin;
  let gateway: KafkajsGateway;
  let load: SteadyLoad;
  let webhook: Server;
  const alerts: ReceivedAlert[] = [];

  const startService = async (webhookUrl: string) =>
    startSandboxBallast(kafka, redis.url, {
      detector: {
        intervalMs: 1_000,
        brokerFailure: { alertThresholdMs: ALERT_AFTER_MS, fixThresholdMs: HEAL_AFTER_MS, selfHealing: true },
        diskFailure: { alertThresholdMs: 2_000, fixThresholdMs: 5_000, selfHealing: true },
        // Only the failures under test: no rebalance of an emptied broker gets in the way.
        goalViolation: { enabled: false },
        alerts: { webhookUrl, timeoutMs: 2_000 },
      },
    });
  let webhookUrl = '';

  const state = () => detectorAndExecutorOf(ballast.url);
  const brokerFailure = (detector: AnomalyDetectorStateJson, id: string): AnomalyRecord | undefined =>
    detector.recentBrokerFailures.find((r) => r.anomalyId === id && r.resolvedMs === undefined);
  const snapshot = () => gateway.snapshot({ topicPattern: new RegExp(`^${TOPIC}$`) });
  /**
   * The first `event` alert the webhook received since `sinceMs` for the anomaly (an id, or a
   * prefix ending in ':'): the same ids recur from one test to the next.
   */
  const alertFor = (anomalyId: string, event: Alert['event'], sinceMs: number) =>
    waitFor(
      `a ${event} alert for ${anomalyId}`,
      () =>
        Promise.resolve(
          alerts.find(
            (a) =>
              a.receivedMs >= sinceMs &&
              a.event === event &&
              (anomalyId.endsWith(':') ? a.anomalyId.startsWith(anomalyId) : a.anomalyId === anomalyId),
          ),
        ),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  const noBrokerDown = () =>
    waitFor(
      'no broker failure left',
      async () => ((await state()).detector.failureBudget.failedBrokers.length === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  const setSelfHealing = async (on: boolean) => {
    const response = await post(
      ballast.url,
      `/kafkacruisecontrol/admin?json=true&${on ? 'enable' : 'disable'}_self_healing_for=BROKER_FAILURE`,
    );
    expect(response.status).toBe(200);
    const { detector } = await state();
    expect(on ? detector.selfHealingEnabled : detector.selfHealingDisabled).toContain('BROKER_FAILURE');
  };
  const fullyReplicated = (what: string, check: (s: ClusterSnapshot) => boolean = () => true) =>
    waitFor(
      what,
      async () => {
        const s = await snapshot();
        return s.partitions.every((p) => p.isr.length === 3 && p.offlineReplicas.length === 0) && check(s)
          ? s
          : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
  const brokerThrottles = async () => throttleConfigs(admin, { brokers: await kafka.liveBrokerIds() });
  /** Waits for the execution the detector started (`executionId`) to end, and returns its summary. */
  const healEnded = async (what: string, executionId: string | undefined) =>
    (
      await waitForExecutorIdle(ballast.url, what, {
        timeoutMs: 240_000,
        intervalMs: 1_000,
        accept: (executor) => executor.lastExecution?.id === executionId,
      })
    ).lastExecution;
  /** Waits until `ms` after `fromMs`, checking all along that nothing was started. */
  const holdStill = async (fromMs: number, ms: number) => {
    while (Date.now() < fromMs + ms) {
      const { detector, executor } = await state();
      expect(executor.lastExecution, JSON.stringify(executor)).toBeUndefined();
      expect(detector.metrics.numSelfHealingStarted).toBe(0);
      expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        alerts.push({ ...(JSON.parse(body) as ReceivedAlert), receivedMs: Date.now() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`;
    ({ kafka, redis, admin, load } = await startSandboxUnderLoad({
      brokers: 4,
      racks: 4,
      topic: TOPIC,
      create: { partitions: 8, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      preload: PRELOAD,
      loadBytesPerSecond: 32 * 1024,
      // With two brokers down sends fail.
      idempotent: false,
    }));
    gateway = sandboxGateway(kafka);
    ballast = await startService(webhookUrl);
  });

  afterAll(async () => {
    await ballast?.app.close();
    await gateway?.onApplicationShutdown();
    await stopSandboxUnderLoad({ kafka, redis, admin, load });
    await new Promise((resolve) => webhook?.close(resolve));
  });

  it('a broker back before the fix threshold cancels its pending heal: alert, then nothing moves', async () => {
    const since = Date.now();
    await kafka.killBroker(3);
    const alert = await alertFor('BROKER_FAILURE:3', 'ALERT', since);
    // Alerted once the broker was gone for the alert threshold, not before.
    expect(alert.atMs - alert.detectionMs).toBeGreaterThanOrEqual(ALERT_AFTER_MS);
    expect(alert.reason).toMatch(/heal after 40 s/);
    expect(alert.failureBudget).toMatchObject({ failedBrokers: [3], withinBudget: true });

    await kafka.restartBroker(3);
    const resolved = await alertFor('BROKER_FAILURE:3', 'RESOLVED', since);
    expect(resolved.atMs - resolved.detectionMs).toBeLessThan(HEAL_AFTER_MS);
    const { detector, executor } = await state();
    const record = detector.recentBrokerFailures.find((r) => r.anomalyId === 'BROKER_FAILURE:3')!;
    expect(record.reason).toMatch(/the pending heal is cancelled/);
    expect(record.fixStartedMs).toBeUndefined();
    expect(detector.metrics.numSelfHealingStarted).toBe(0);
    expect(executor.lastExecution).toBeUndefined();
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    await fullyReplicated('broker 3 to catch up');
  }, 240_000);

  it('two brokers down exceeds the budget: a critical alert with the reason, and no reassignment', async () => {
    const since = Date.now();
    await Promise.all([kafka.killBroker(2), kafka.killBroker(3)]);
    const alert = await alertFor('BROKER_FAILURE:2,3', 'BUDGET_EXCEEDED', since);
    expect(alert.severity).toBe('critical');
    expect(alert.reason).toBe(BUDGET_REASON);
    const { detector } = await state();
    expect(detector.failureBudget).toMatchObject({ budget: 1, failedBrokers: [2, 3], withinBudget: false });
    expect(detector.failureBudget.reason).toBe(BUDGET_REASON);
    expect(brokerFailure(detector, 'BROKER_FAILURE:2,3')).toMatchObject({
      action: 'BUDGET_EXCEEDED',
      reason: BUDGET_REASON,
    });
    // Well past the fix threshold, still nothing moved.
    await holdStill(alert.detectionMs, HEAL_AFTER_MS + 3_000);

    // Whichever broker rejoins first, the other is then one failure, within budget and past its
    // fix threshold: it would be healed at once. Self-healing goes off first (the next test needs it off).
    await setSelfHealing(false);
    await Promise.all([kafka.restartBroker(2), kafka.restartBroker(3)]);
    await noBrokerDown();
    await fullyReplicated('brokers 2 and 3 to catch up');
    expect((await state()).detector.failureBudget).toMatchObject({ impairedBrokers: [], withinBudget: true });
    expect((await state()).executor.lastExecution).toBeUndefined();
  }, 300_000);

  it('with self-healing off only alerts; a Ballast restart keeps the failure time; on again, the broker is healed', async () => {
    // Switched off at run time by the previous test.
    expect((await state()).detector.selfHealingDisabled).toContain('BROKER_FAILURE');
    const since = Date.now();
    await kafka.killBroker(3);
    const alert = await alertFor('BROKER_FAILURE:3', 'ALERT', since);
    expect(alert.reason).toMatch(/self-healing is off for BROKER_FAILURE/);
    const failedSinceMs = brokerFailure((await state()).detector, 'BROKER_FAILURE:3')!.failedBrokersByTimeMs![3]!;

    // Restarted while the broker is down: the failure time and the switch come back from Redis.
    await ballast.app.close();
    ballast = await startService(webhookUrl);
    const after = await waitFor(
      'the restarted Ballast to see the broker failure',
      async () => brokerFailure((await state()).detector, 'BROKER_FAILURE:3'),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(after.failedBrokersByTimeMs![3]).toBe(failedSinceMs);
    expect(after.detectionMs).toBe(failedSinceMs);
    expect((await state()).detector.selfHealingDisabled).toContain('BROKER_FAILURE');
    await holdStill(failedSinceMs, HEAL_AFTER_MS + 3_000);
    expect(brokerFailure((await state()).detector, 'BROKER_FAILURE:3')).toMatchObject({ action: 'ALERT' });

    await setSelfHealing(true);
    const started = await alertFor('BROKER_FAILURE:3', 'FIX_STARTED', since);
    const done = await healEnded('the self-healing execution to finish', started.executionId);
    expect(done).toMatchObject({ operation: 'self_healing:BROKER_FAILURE', status: 'COMPLETED', deadTasks: [] });
    // Every partition has three in-sync replicas on the three survivors.
    const healed = await fullyReplicated('every partition to be fully replicated on the survivors');
    for (const p of healed.partitions) expect(p.replicas, `${p.topic}-${p.partition}`).not.toContain(3);
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    expect(await brokerThrottles()).toEqual([]);

    // The broker comes back empty; its anomaly closes as healed.
    await kafka.restartBroker(3);
    await alertFor('BROKER_FAILURE:3', 'RESOLVED', since);
    const record = (await state()).detector.recentBrokerFailures.find((r) => r.executionId === started.executionId)!;
    expect(record.reason).toBe('no longer detected after self-healing');
  }, 420_000);

  it('a failed log dir: its offline replicas are re-homed and no partition stays under-replicated', async () => {
    const before = await snapshot();
    const onDir = (s: ClusterSnapshot, path: string) =>
      s.logDirs.find((d) => d.brokerId === 1 && d.path === path)?.replicas.filter((r) => r.topic === TOPIC) ?? [];
    const dirs = kafka.broker(1).logDirs;
    const dir = dirs.find((d) => onDir(before, d).length > 0)!;
    const lost = onDir(before, dir).map((r) => r.partition);
    const since = Date.now();
    await kafka.failLogDir(1, dirs.indexOf(dir));

    const started = await alertFor(`DISK_FAILURE:1:`, 'FIX_STARTED', since);
    const done = await healEnded('the disk heal to finish', started.executionId);
    expect(done).toMatchObject({ operation: 'self_healing:DISK_FAILURE', status: 'COMPLETED', deadTasks: [] });
    const healed = await fullyReplicated('the re-homed replicas to be in sync');
    for (const n of lost) expect(healed.partitions.find((p) => p.partition === n)!.replicas).not.toContain(1);
    expect(healed.partitions.every((p) => p.replicas.length === 3)).toBe(true);
    expect(await brokerThrottles()).toEqual([]);
  }, 300_000);

  it('lost no message: every acknowledged message is in the topic', async () => {
    const read = await stopLoadAndReadBack(kafka, load, TOPIC, { everySendAcked: false });
    expectAckedKeysRead(read, load, PRELOAD);
    // Sends that failed (two brokers down, min ISR 2) may or may not have been written; and the
    // producer is not idempotent (kafkajs 2.2.4's sequence bug), so a retried send whose first
    // attempt was written appears twice (CI: 5,949 read for 5,948 sent). Distinct keys are bounded.
    const acked = load.acked.get(TOPIC) ?? 0;
    expect(read.total).toBeGreaterThanOrEqual(PRELOAD + acked);
    expect(read.keys!.size).toBeGreaterThanOrEqual(PRELOAD + load.ackedKeys.size);
    expect(read.keys!.size).toBeLessThanOrEqual(PRELOAD + acked + load.failedMessages());
  });
});
