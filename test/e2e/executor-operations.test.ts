// The executor's repair and maintenance operations on a real sandbox (4 brokers in 4 racks with two
// log dirs each, replication factor 3, min ISR 2), under acks=all load: remove_disks empties a log
// dir, demote_broker leaves a broker leading nothing, topic_configuration changes a replication
// factor, fix_offline_replicas re-homes the replicas of a failed log dir; no acknowledged message is lost.
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizationResultJson } from '../../src/api/optimization-result.js';
import type { RunningApp } from '../../src/app.js';
import type { ClusterSnapshot } from '../../src/kafka/index.js';
import type { KafkajsGateway } from '../../src/kafka/kafkajs.gateway.js';
import { waitFor, type KafkaSandbox, type RedisSandbox } from '../../scripts/sandbox/index.js';
import { startSandboxBallast, waitForMonitorReady } from '../support/ballast.js';
import { executeToCompletion, post } from '../support/ballast-api.js';
import { expectAckedKeysRead, stopLoadAndReadBack } from '../support/read-back.js';
import { sandboxGateway, startSandboxUnderLoad, stopSandboxUnderLoad } from '../support/sandbox-under-load.js';
import type { SteadyLoad } from '../support/steady-load.js';
import { LOG_DIR_MOVE_RATE, REPLICATION_RATES, throttleConfigs } from '../support/throttle-configs.js';

const TOPIC = 'ops';
const PRELOAD = 3_000;
const THROTTLE = 2 * 1024 * 1024;
const RF_TOPIC = 'grow';
const RF_PRELOAD = 1_000;
// Six partitions, three replicas each, every broker in four or five of them.
const ASSIGNMENT = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 0],
  [3, 0, 1],
  [0, 2, 1],
  [1, 3, 0],
];

describe('executor operations on a sandbox', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;
  let admin: Admin;
  let gateway: KafkajsGateway;
  let load: SteadyLoad;

  const snapshot = () => gateway.snapshot({ topicPattern: new RegExp(`^${TOPIC}$`) });
  const replicasIn = (s: ClusterSnapshot, brokerId: number, path: string) =>
    s.logDirs.find((d) => d.brokerId === brokerId && d.path === path)?.replicas.filter((r) => r.topic === TOPIC) ?? [];
  const brokerThrottles = () =>
    throttleConfigs(admin, {
      brokers: kafka.brokers().map((b) => b.id),
      brokerConfigs: [...REPLICATION_RATES, LOG_DIR_MOVE_RATE],
    });

  /** Posts an executing request, waits for the execution to end, and checks nothing is left behind. */
  const runToEnd = async (path: string, operation: string) => {
    const body = await executeToCompletion(ballast.url, path, { operation, timeoutMs: 180_000 });
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    expect(await brokerThrottles()).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    ({ kafka, redis, admin, load } = await startSandboxUnderLoad({
      brokers: 4,
      racks: 4,
      topic: TOPIC,
      create: { assignment: ASSIGNMENT, configs: { 'min.insync.replicas': '2' } },
      preload: PRELOAD,
      quietTopics: [{ name: RF_TOPIC, create: { partitions: 4, replicationFactor: 2 }, preload: RF_PRELOAD }],
      loadBytesPerSecond: 32 * 1024,
    }));
    gateway = sandboxGateway(kafka);
    ballast = await startSandboxBallast(kafka, redis.url);
    await waitForMonitorReady(ballast.url);
  });

  afterAll(async () => {
    await ballast?.app.close();
    await gateway?.onApplicationShutdown();
    await stopSandboxUnderLoad({ kafka, redis, admin, load });
  });

  it('remove_disks empties the named log dir into the other dir of its broker', async () => {
    const before = await snapshot();
    const dirs = kafka.broker(0).logDirs;
    const dir = dirs.find((d) => replicasIn(before, 0, d).length > 0)!;
    const other = dirs.find((d) => d !== dir)!;
    const leaving = replicasIn(before, 0, dir).length;

    // Bad input changes nothing and names the parameter.
    for (const bad of [`0-/no/such/dir`, `7-${dir}`, `0-${dirs[0]},0-${dirs[1]}`, '0:oops']) {
      const response = await post(
        ballast.url,
        `/kafkacruisecontrol/remove_disks?json=true&brokerid_and_logdirs=${bad}`,
      );
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ parameter: 'brokerid_and_logdirs' });
    }
    // A dry run proposes the intra-broker moves and moves nothing.
    const dry = await post(ballast.url, `/kafkacruisecontrol/remove_disks?json=true&brokerid_and_logdirs=0-${dir}`);
    const proposal = (await dry.json()) as OptimizationResultJson;
    expect(dry.status, JSON.stringify(proposal)).toBe(200);
    expect(proposal.summary.numIntraBrokerReplicaMovements).toBeGreaterThanOrEqual(leaving);
    expect(proposal.summary.numReplicaMovements).toBe(0);
    expect(replicasIn(await snapshot(), 0, dir)).toHaveLength(leaving);

    await runToEnd(
      `/kafkacruisecontrol/remove_disks?dryrun=false&json=true&brokerid_and_logdirs=0-${dir}`,
      'remove_disks',
    );
    const after = await snapshot();
    expect(replicasIn(after, 0, dir)).toEqual([]);
    expect(replicasIn(after, 0, other).length).toBe(replicasIn(before, 0, other).length + leaving);
    // Only log dirs changed: every partition keeps its brokers.
    for (const p of after.partitions) expect(p.replicas).toEqual(ASSIGNMENT[p.partition]);
  });

  it('demote_broker moves leadership off the broker and puts it last in every replica list, copying nothing', async () => {
    const led = (s: ClusterSnapshot) => s.partitions.filter((p) => p.leader === 1).length;
    expect(led(await snapshot())).toBeGreaterThan(0);
    const missing = await post(ballast.url, '/kafkacruisecontrol/demote_broker?json=true');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ parameter: 'brokerid' });

    const body = await runToEnd('/kafkacruisecontrol/demote_broker?brokerid=1&dryrun=false&json=true', 'demote_broker');
    expect(body.summary.numReplicaMovements).toBe(0);
    expect(body.summary.numLeaderMovements).toBeGreaterThan(0);
    const after = await snapshot();
    expect(led(after)).toBe(0);
    for (const p of after.partitions) {
      if (p.replicas.includes(1))
        expect(p.replicas.at(-1), `${p.topic}-${p.partition}: [${p.replicas.join(', ')}]`).toBe(1);
      expect(p.isr.length).toBe(3);
    }
  });

  it('topic_configuration raises a replication factor, refusing bad values first', async () => {
    const grow = async () =>
      (await gateway.snapshot({ topicPattern: new RegExp(`^${RF_TOPIC}$`) })).partitions.map((p) => p.replicas);
    const before = await grow();
    for (const [query, parameter] of [
      [`topic=${RF_TOPIC}&replication_factor=5`, 'replication_factor'],
      [`topic=${RF_TOPIC}&replication_factor=0`, 'replication_factor'],
      [`topic=nothing-like-this&replication_factor=3`, 'topic'],
      [`topic=(&replication_factor=3`, 'topic'],
      [`replication_factor=3`, 'topic'],
    ] as const) {
      const response = await post(
        ballast.url,
        `/kafkacruisecontrol/topic_configuration?json=true&dryrun=false&${query}`,
      );
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ parameter });
    }
    expect(await grow()).toEqual(before);

    const body = await runToEnd(
      `/kafkacruisecontrol/topic_configuration?topic=${RF_TOPIC}&replication_factor=3&dryrun=false&json=true&replication_throttle=${THROTTLE}`,
      'topic_configuration',
    );
    expect(body.summary.numReplicaMovements).toBe(4);
    const after = await grow();
    after.forEach((replicas, i) => {
      expect(new Set(replicas).size).toBe(3);
      // The old replicas stay, the preferred leader too.
      expect(replicas.slice(0, 2)).toEqual(before[i]);
    });
    expect((await kafka.consumeCount(RF_TOPIC)).total).toBe(RF_PRELOAD);
  });

  it('fix_offline_replicas re-homes the replicas of a failed log dir; no partition stays under-replicated', async () => {
    const before = await snapshot();
    const brokerDirs = kafka.broker(2).logDirs;
    const dir = brokerDirs.find((d) => replicasIn(before, 2, d).length > 0)!;
    const lost = replicasIn(before, 2, dir).map((r) => r.partition);
    await kafka.failLogDir(2, brokerDirs.indexOf(dir));
    await waitFor(
      'Kafka to report the replicas of the failed dir offline',
      async () => {
        const s = await snapshot();
        return lost.every((n) => s.partitions.find((p) => p.partition === n)!.offlineReplicas.includes(2))
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // The proposal moves the offline replicas off broker 2 once the monitor has seen the failure.
    const proposal = await waitFor(
      'a proposal that moves the offline replicas',
      async () => {
        const response = await post(
          ballast.url,
          `/kafkacruisecontrol/fix_offline_replicas?json=true&excluded_topics=__consumer_offsets`,
        );
        const body = (await response.json()) as OptimizationResultJson & { errorMessage?: string };
        if (response.status !== 200) throw new Error(`${response.status}: ${body.errorMessage}`);
        return body.summary.numReplicaMovements >= lost.length ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    expect(proposal.summary.numReplicaMovements).toBeGreaterThanOrEqual(lost.length);

    await runToEnd(
      `/kafkacruisecontrol/fix_offline_replicas?dryrun=false&json=true&excluded_topics=__consumer_offsets&replication_throttle=${THROTTLE}`,
      'fix_offline_replicas',
    );
    const after = await waitFor(
      'every partition to be fully replicated again',
      async () => {
        const s = await snapshot();
        return s.partitions.every((p) => p.offlineReplicas.length === 0 && p.isr.length === 3) ? s : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    for (const n of lost) expect(after.partitions.find((p) => p.partition === n)!.replicas).not.toContain(2);
    expect(after.partitions.every((p) => p.replicas.length === 3)).toBe(true);
  }, 420_000);

  it('lost no message: every acknowledged message is in the topic', async () => {
    const read = await stopLoadAndReadBack(kafka, load, TOPIC, { everySendAcked: true });
    expectAckedKeysRead(read, load, PRELOAD);
    expect(read.total).toBe(PRELOAD + (load.acked.get(TOPIC) ?? 0));
  });
});
