// The Kafka gateway against real KRaft brokers, on the default 3.9.x release and on a 4.x
// release: each read matches what the cluster has, and each action is observed taking effect.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_4_VERSION, DEFAULT_KAFKA_VERSION, KafkaSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { BallastConfig, loadConfig } from '../../src/config/index.js';
import { BALLAST_THROTTLE_MARKER, type ClusterSnapshot, type ConfigChange } from '../../src/kafka/index.js';
import { KafkajsGateway } from '../../src/kafka/kafkajs.gateway.js';
import { replicaListChange, replicationRateSets } from '../fixtures/config-changes.js';

const VERSIONS = [...new Set([process.env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION, DEFAULT_KAFKA_4_VERSION])];
const sameSet = (a: number[], b: number[]) => [...a].sort().join() === [...b].sort().join();
const SLOW_RATE = '10000'; // bytes/s: keeps a ~4 MB partition move in flight for minutes

describe.each(VERSIONS)('Kafka gateway on Kafka %s', (kafkaVersion) => {
  let sandbox: KafkaSandbox;
  let gateway: KafkajsGateway;

  beforeAll(async () => {
    sandbox = await KafkaSandbox.start({ brokers: 4, kafkaVersion });
    const config = loadConfig(
      {},
      { kafka: { bootstrapServers: sandbox.bootstrapServers.split(','), requestTimeoutMs: 15_000 } },
    );
    gateway = new KafkajsGateway(new BallastConfig(config));
  });

  afterAll(async () => {
    await gateway?.onApplicationShutdown();
    await sandbox?.close();
  });

  const partitionOf = (s: ClusterSnapshot, topic: string, partition = 0) =>
    s.partitions.find((p) => p.topic === topic && p.partition === partition)!;
  const dirsHolding = (s: ClusterSnapshot, brokerId: number, topic: string) =>
    s.logDirs.filter((d) => d.brokerId === brokerId && d.replicas.some((r) => r.topic === topic && !r.isFuture));
  const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
    waitFor(what, probe, { timeoutMs: 90_000, intervalMs: 500 });

  async function throttle(topic: string, leaders: number[], followers: number[], brokers: number[]): Promise<void> {
    const changes: ConfigChange[] = [
      replicaListChange(topic, 'leader', 'SET', leaders.map((b) => `0:${b}`).join(',')),
      replicaListChange(topic, 'follower', 'SET', followers.map((b) => `0:${b}`).join(',')),
      ...brokers.flatMap((brokerId): ConfigChange[] => [
        ...replicationRateSets(brokerId, SLOW_RATE),
        // As the executor sets it: Kafka must take the custom config beside the rates, or no rate lands.
        { resource: { type: 'broker', brokerId }, name: BALLAST_THROTTLE_MARKER, operation: 'SET', value: 'ballast' },
      ]),
    ];
    expect((await gateway.alterConfigs(changes)).every((r) => r.ok)).toBe(true);
    // Configs reach brokers asynchronously (KRaft metadata log): start moving only once they apply.
    await until(`throttles on ${topic} to apply`, async () => {
      const snap = await gateway.snapshot({ topicPattern: new RegExp(`^${topic}$`) });
      const rates = brokers.every(
        (id) => snap.brokerThrottles[id]?.followerReplicationThrottledRate === Number(SLOW_RATE),
      );
      return rates && snap.topics[0]?.configs.followerThrottledReplicas !== '' ? true : undefined;
    });
  }

  async function unthrottle(topic: string, brokers: number[]): Promise<void> {
    const changes: ConfigChange[] = [
      { resource: { type: 'topic', topic }, name: 'leader.replication.throttled.replicas', operation: 'DELETE' },
      { resource: { type: 'topic', topic }, name: 'follower.replication.throttled.replicas', operation: 'DELETE' },
      ...brokers.flatMap((brokerId): ConfigChange[] => [
        { resource: { type: 'broker', brokerId }, name: 'leader.replication.throttled.rate', operation: 'DELETE' },
        { resource: { type: 'broker', brokerId }, name: 'follower.replication.throttled.rate', operation: 'DELETE' },
        { resource: { type: 'broker', brokerId }, name: BALLAST_THROTTLE_MARKER, operation: 'DELETE' },
      ]),
    ];
    expect((await gateway.alterConfigs(changes)).every((r) => r.ok)).toBe(true);
  }

  it('reads brokers with racks, partitions, topic configs and log dirs as the cluster has them', async () => {
    await sandbox.createTopic('snap', {
      assignment: [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
      configs: { 'min.insync.replicas': '2', 'retention.ms': '3600000' },
    });
    await sandbox.produce('snap', 900, { valueBytes: 500 });
    const s = await gateway.snapshot({ topicPattern: /^snap$/ });

    expect(s.brokers.map((b) => [b.id, b.rack, b.alive])).toEqual([
      [0, 'rack-a', true],
      [1, 'rack-b', true],
      [2, 'rack-a', true],
      [3, 'rack-b', true],
    ]);
    expect(s.brokers.map((b) => b.port)).toEqual(sandbox.brokers().map((b) => b.port));
    expect(s.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr, p.offlineReplicas])).toEqual([
      [0, 0, [0, 1], [0, 1], []],
      [1, 1, [1, 2], [1, 2], []],
      [2, 2, [2, 3], [2, 3], []],
    ]);
    expect(s.topics).toEqual([
      {
        name: 'snap',
        internal: false,
        configs: expect.objectContaining({ minInsyncReplicas: 2, retentionMs: 3_600_000 }),
      },
    ]);
    expect(s.reassignments).toEqual([]);
    for (const broker of sandbox.brokers()) {
      expect(
        s.logDirs
          .filter((d) => d.brokerId === broker.id)
          .map((d) => d.path)
          .sort(),
      ).toEqual([...broker.logDirs].sort());
    }
    for (const p of s.partitions) {
      for (const brokerId of p.replicas) {
        const [dir, ...more] = dirsHolding(s, brokerId, 'snap').filter((d) =>
          d.replicas.some((r) => r.partition === p.partition),
        );
        expect(more).toEqual([]);
        expect(existsSync(join(dir!.path, `snap-${p.partition}`))).toBe(true);
        expect(dir!.replicas.find((r) => r.partition === p.partition)!.sizeBytes).toBeGreaterThan(100_000);
        expect(dir!.totalBytes).toBeGreaterThan(0);
      }
    }
  });

  it('starts a reassignment and observes it to completion without losing a message', async () => {
    const before = await sandbox.consumeCount('snap');
    const [result] = await gateway.reassign([{ topic: 'snap', partition: 0, replicas: [3, 1] }]);
    expect(result).toEqual({ topic: 'snap', partition: 0, ok: true });
    const done = await until('snap-0 to move to [3,1]', async () => {
      const s = await gateway.snapshot({ topicPattern: /^snap$/ });
      return s.reassignments.length === 0 && partitionOf(s, 'snap').replicas.join() === '3,1' ? s : undefined;
    });
    expect(partitionOf(done, 'snap').isr.sort()).toEqual([1, 3]);
    expect((await sandbox.consumeCount('snap')).total).toBe(before.total);
  });

  it('elects preferred leaders after replicas are reordered, with per-partition results', async () => {
    await sandbox.createTopic('elect', {
      assignment: [
        [1, 2],
        [2, 3],
      ],
    });
    expect(await gateway.reassign([{ topic: 'elect', partition: 0, replicas: [2, 1] }])).toEqual([
      { topic: 'elect', partition: 0, ok: true },
    ]);
    const reordered = await until('the reorder to apply', async () => {
      const p = partitionOf(await gateway.snapshot({ topicPattern: /^elect$/ }), 'elect');
      return p.replicas.join() === '2,1' ? p : undefined;
    });
    expect(reordered.leader).toBe(1);
    const results = await gateway.electPreferredLeaders([
      { topic: 'elect', partition: 0 },
      { topic: 'elect', partition: 1 },
      { topic: 'no-such-topic', partition: 0 },
    ]);
    expect(results).toEqual([
      { topic: 'elect', partition: 0, ok: true },
      expect.objectContaining({ topic: 'elect', partition: 1, ok: false, error: 'ELECTION_NOT_NEEDED' }),
      expect.objectContaining({ topic: 'no-such-topic', partition: 0, ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    ]);
    // The election is acknowledged before every broker's metadata has caught up.
    await until('broker 2 to lead elect-0', async () =>
      partitionOf(await gateway.snapshot({ topicPattern: /^elect$/ }), 'elect').leader === 2 ? true : undefined,
    );
  });

  it('moves a replica between the two log dirs of one broker and sees its size on the new dir', async () => {
    await sandbox.createTopic('jbod', { assignment: [[1]] });
    // Several MB, so a throttled copy takes long enough to be observed.
    await sandbox.produce('jbod', 4_000, { valueBytes: 1_000 });
    const before = await gateway.snapshot({ topicPattern: /^jbod$/ });
    const [from] = dirsHolding(before, 1, 'jbod');
    const sizeBytes = from!.replicas[0]!.sizeBytes;
    const to = sandbox.broker(1).logDirs.find((d) => d !== from!.path)!;

    // Throttle the copy so the future replica can be seen on the destination dir, then release it.
    const ioThrottle = (operation: 'SET' | 'DELETE'): ConfigChange => ({
      resource: { type: 'broker', brokerId: 1 },
      name: 'replica.alter.log.dirs.io.max.bytes.per.second',
      operation,
      value: operation === 'SET' ? '10000' : undefined,
    });
    expect((await gateway.alterConfigs([ioThrottle('SET')]))[0]!.ok).toBe(true);
    await until('the intra-broker throttle to apply', async () =>
      (await gateway.snapshot({ topicPattern: /^jbod$/ })).brokerThrottles[1]
        ?.replicaAlterLogDirsIoMaxBytesPerSecond === 10_000
        ? true
        : undefined,
    );
    expect(
      await gateway.moveReplicasBetweenLogDirs([{ topic: 'jbod', partition: 0, brokerId: 1, logDir: to }]),
    ).toEqual([{ topic: 'jbod', partition: 0, ok: true }]);
    const moving = await until('a future replica on the destination dir', async () => {
      const s = await gateway.snapshot({ topicPattern: /^jbod$/ });
      return s.logDirs.some((d) => d.path === to && d.replicas.some((r) => r.isFuture)) ? s : undefined;
    });
    expect(moving.brokerThrottles[1]!.replicaAlterLogDirsIoMaxBytesPerSecond).toBe(10_000);
    expect(moving.logDirs.find((d) => d.path === from!.path)!.replicas).toEqual([
      expect.objectContaining({ topic: 'jbod', isFuture: false }),
    ]);
    expect((await gateway.alterConfigs([ioThrottle('DELETE')]))[0]!.ok).toBe(true);
    const after = await until('jbod-0 to live on the other dir', async () => {
      const s = await gateway.snapshot({ topicPattern: /^jbod$/ });
      const dirs = s.logDirs.filter((d) => d.brokerId === 1 && d.replicas.some((r) => r.topic === 'jbod'));
      return dirs.length === 1 && dirs[0]!.path === to && !dirs[0]!.replicas[0]!.isFuture ? dirs[0] : undefined;
    });
    expect(after.replicas[0]!.sizeBytes).toBe(sizeBytes);
    expect(existsSync(join(to, 'jbod-0'))).toBe(true);
    expect((await sandbox.consumeCount('jbod')).total).toBe(4_000);
  });

  it('sets and removes throttles incrementally, leaving unrelated dynamic configs untouched', async () => {
    await sandbox.createTopic('configs', { assignment: [[2, 3]] });
    const admin = await sandbox.admin();
    const unrelated: ConfigChange[] = [
      { resource: { type: 'broker', brokerId: 2 }, name: 'max.connections', operation: 'SET', value: '5000' },
      { resource: { type: 'topic', topic: 'configs' }, name: 'retention.ms', operation: 'SET', value: '7200000' },
    ];
    expect((await gateway.alterConfigs(unrelated)).every((r) => r.ok)).toBe(true);
    const dynamic = async () => {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: 4, name: '2', configNames: ['max.connections'] },
          { type: 2, name: 'configs', configNames: ['retention.ms'] },
        ],
      });
      return described.resources.map((r) => r.configEntries[0]?.configValue);
    };

    // Config changes reach the brokers through the metadata log, asynchronously: a read right
    // after the acknowledgement may still see the old value, so each check waits for it to land.
    const settled = (what: string, done: (s: ClusterSnapshot) => boolean) =>
      until(what, async () => {
        const snap = await gateway.snapshot({ topicPattern: /^configs$/ });
        return done(snap) ? snap : undefined;
      });
    await until('the unrelated configs to land', async () =>
      (await dynamic()).join() === '5000,7200000' ? true : undefined,
    );

    await throttle('configs', [2], [3], [2, 3]);
    let s = await settled(
      'the throttles to land',
      (snap) =>
        snap.brokerThrottles[2]?.leaderReplicationThrottledRate === 10_000 &&
        snap.brokerThrottles[3]?.followerReplicationThrottledRate === 10_000 &&
        snap.topics[0]?.configs.followerThrottledReplicas === '0:3',
    );
    expect(s.brokerThrottles[2]).toMatchObject({
      leaderReplicationThrottledRate: 10_000,
      followerReplicationThrottledRate: 10_000,
    });
    // Ballast's marker is read back (its value hidden by Kafka): Kafka alone tells these rates are Ballast's.
    s = await settled('the marker to land', (snap) => snap.brokerThrottles[2]?.setByBallast === true);
    expect(s.brokerThrottles[0]).toEqual({
      leaderReplicationThrottledRate: null,
      followerReplicationThrottledRate: null,
      replicaAlterLogDirsIoMaxBytesPerSecond: null,
    });
    expect(s.topics[0]!.configs).toMatchObject({ leaderThrottledReplicas: '0:2', followerThrottledReplicas: '0:3' });
    expect(await dynamic()).toEqual(['5000', '7200000']);

    const listChanges = await gateway.alterConfigs([
      replicaListChange('configs', 'follower', 'APPEND', '0:1'),
      replicaListChange('configs', 'leader', 'SUBTRACT', '0:2'),
      { resource: { type: 'topic', topic: 'configs' }, name: 'retention.bytes', operation: 'SET' },
    ]);
    expect(listChanges.map((r) => [r.ok, r.error])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'INVALID_REQUEST'],
    ]);
    s = await settled(
      'the list changes to land',
      (snap) => snap.topics[0]?.configs.followerThrottledReplicas === '0:3,0:1',
    );
    expect(s.topics[0]!.configs).toMatchObject({ leaderThrottledReplicas: '', followerThrottledReplicas: '0:3,0:1' });

    await unthrottle('configs', [2, 3]);
    s = await settled(
      'the throttles to be gone',
      (snap) =>
        snap.brokerThrottles[2]?.leaderReplicationThrottledRate === null &&
        snap.brokerThrottles[3]?.followerReplicationThrottledRate === null &&
        snap.topics[0]?.configs.followerThrottledReplicas === '',
    );
    expect(s.brokerThrottles[2]).toMatchObject({
      leaderReplicationThrottledRate: null,
      followerReplicationThrottledRate: null,
    });
    s = await settled('the marker to be gone', (snap) => snap.brokerThrottles[2]?.setByBallast === undefined);
    expect(s.topics[0]!.configs).toMatchObject({ leaderThrottledReplicas: '', followerThrottledReplicas: '' });
    expect(await dynamic()).toEqual(['5000', '7200000']);
    await gateway.alterConfigs(unrelated.map((c) => ({ ...c, operation: 'DELETE' as const })));
  });

  it('cancels a throttled reassignment in flight and restores the original replicas', async () => {
    await sandbox.createTopic('slow', { assignment: [[0, 1]] });
    await sandbox.produce('slow', 4_000, { valueBytes: 1_000, partition: 0 });
    await throttle('slow', [0, 1], [2], [0, 1, 2]);
    try {
      expect(await gateway.reassign([{ topic: 'slow', partition: 0, replicas: [2, 1] }])).toEqual([
        { topic: 'slow', partition: 0, ok: true },
      ]);
      const moving = await gateway.snapshot({ topicPattern: /^slow$/ });
      expect(moving.reassignments).toEqual([
        { topic: 'slow', partition: 0, replicas: [2, 1, 0], addingReplicas: [2], removingReplicas: [0] },
      ]);

      expect(
        await gateway.cancelReassignments([
          { topic: 'slow', partition: 0 },
          { topic: 'snap', partition: 1 },
        ]),
      ).toEqual([
        { topic: 'slow', partition: 0, ok: true },
        expect.objectContaining({ topic: 'snap', partition: 1, ok: false, error: 'NO_REASSIGNMENT_IN_PROGRESS' }),
      ]);
      // KRaft restores the original replica set, not its order: put the preferred leader back.
      await until('slow-0 back on replicas {0,1}', async () => {
        const s = await gateway.snapshot({ topicPattern: /^slow$/ });
        return s.reassignments.length === 0 && sameSet(partitionOf(s, 'slow').replicas, [0, 1]) ? true : undefined;
      });
      expect(await gateway.reassign([{ topic: 'slow', partition: 0, replicas: [0, 1] }])).toEqual([
        { topic: 'slow', partition: 0, ok: true },
      ]);
      const restored = await until('slow-0 in its original order', async () => {
        const s = await gateway.snapshot({ topicPattern: /^slow$/ });
        return s.reassignments.length === 0 && partitionOf(s, 'slow').replicas.join() === '0,1' ? s : undefined;
      });
      expect(partitionOf(restored, 'slow').isr.sort()).toEqual([0, 1]);
    } finally {
      await unthrottle('slow', [0, 1, 2]);
    }
    expect((await sandbox.consumeCount('slow')).total).toBe(4_000);
  });

  it('refuses to cancel while an original replica is down (KAFKA-14424), and cancels once it is back', async () => {
    await sandbox.createTopic('stuck', { assignment: [[3, 2]] });
    await sandbox.produce('stuck', 4_000, { valueBytes: 1_000, partition: 0 });
    await throttle('stuck', [2, 3], [0], [0, 2, 3]);
    try {
      expect(await gateway.reassign([{ topic: 'stuck', partition: 0, replicas: [0, 2] }])).toEqual([
        { topic: 'stuck', partition: 0, ok: true },
      ]);
      await sandbox.killBroker(3);
      await until('broker 3 to leave the metadata', async () =>
        (await gateway.clusterSummary()).brokers.some((b) => b.id === 3) ? undefined : true,
      );

      const [refused] = await gateway.cancelReassignments([{ topic: 'stuck', partition: 0 }]);
      expect(refused).toMatchObject({ ok: false, error: 'UNSAFE_CANCELLATION' });
      expect(refused!.message).toContain('3');
      const s = await gateway.snapshot({ topicPattern: /^stuck$/ });
      expect(s.reassignments.map((r) => r.addingReplicas)).toEqual([[0]]);
      expect(s.brokers.find((b) => b.id === 3)).toMatchObject({ alive: false });

      await sandbox.restartBroker(3);
      await until('cancel to be accepted', async () =>
        (await gateway.cancelReassignments([{ topic: 'stuck', partition: 0 }]))[0]!.ok ? true : undefined,
      );
      await until('stuck-0 back on replicas {2,3}', async () => {
        const after = await gateway.snapshot({ topicPattern: /^stuck$/ });
        return after.reassignments.length === 0 && sameSet(partitionOf(after, 'stuck').replicas, [2, 3])
          ? true
          : undefined;
      });
    } finally {
      if (sandbox.broker(3).pid === undefined) await sandbox.restartBroker(3);
      await unthrottle('stuck', [0, 2, 3]);
    }
    expect((await sandbox.consumeCount('stuck')).total).toBe(4_000);
  });

  it('reports a failed log dir as failed, with the replicas it held offline', async () => {
    await sandbox.createTopic('dead-disk', { assignment: [[2, 0]] });
    await sandbox.produce('dead-disk', 200);
    const [dir] = dirsHolding(await gateway.snapshot({ topicPattern: /^dead-disk$/ }), 2, 'dead-disk');
    await sandbox.failLogDir(2, sandbox.broker(2).logDirs.indexOf(dir!.path));

    const s = await until('the dead dir and its replica to be reported', async () => {
      const snap = await gateway.snapshot({ topicPattern: /^dead-disk$/ });
      return partitionOf(snap, 'dead-disk').offlineReplicas.includes(2) ? snap : undefined;
    });
    const reported = s.logDirs.find((d) => d.brokerId === 2 && d.path === dir!.path)!;
    expect(reported).toMatchObject({ failed: true, error: 'KAFKA_STORAGE_ERROR' });
    expect(s.logDirs.filter((d) => d.brokerId === 2 && !d.failed)).toHaveLength(1);
    expect(s.brokers.find((b) => b.id === 2)!.alive).toBe(true);
    expect(partitionOf(s, 'dead-disk')).toMatchObject({ leader: 0, isr: [0], offlineReplicas: [2] });
  });
});
