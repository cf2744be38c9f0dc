// InMemoryGateway, cluster state: construction, snapshots, broker and log dir failures, and the
// reassignment lifecycle behave like KRaft Kafka.
import { describe, expect, it } from 'vitest';
import { partitionStatus } from '../../../src/kafka/cluster-snapshot.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { ORDERS_0, PAYMENTS_0, cluster, onDir, partition } from '../../fixtures/in-memory-cluster.js';

describe('InMemoryGateway construction and snapshot', () => {
  it('starts with every replica in sync, the first one leading', async () => {
    const s = await cluster().snapshot();
    expect(partition(s, 'orders', 0)).toEqual({
      topic: 'orders',
      partition: 0,
      leader: 1,
      replicas: [1, 2, 3],
      isr: [1, 2, 3],
      offlineReplicas: [],
    });
    expect(partition(s, 'orders', 1).leader).toBe(2);
    expect(s.controllerId).toBe(1);
    expect(s.takenAtMs).toBe(0);
    expect(s.reassignments).toEqual([]);
    expect(s.logDirErrors).toEqual([]);
    expect(s.brokers.map((b) => [b.id, b.alive, b.rack])).toEqual([
      [1, true, 'a'],
      [2, true, 'b'],
      [3, true, 'c'],
      [4, true, 'a'],
    ]);
    expect(s.brokers.every((b) => b.host !== '' && b.port > 0)).toBe(true);
  });

  it('reports topics sorted, internal ones flagged, configs parsed with defaults', async () => {
    const s = await cluster().snapshot();
    expect(s.topics.map((t) => [t.name, t.internal])).toEqual([
      ['__consumer_offsets', true],
      ['orders', false],
      ['payments', false],
    ]);
    expect(s.topics.find((t) => t.name === 'orders')?.configs).toEqual({
      minInsyncReplicas: 2,
      retentionMs: 86_400_000,
      retentionBytes: null,
      leaderThrottledReplicas: '',
      followerThrottledReplicas: '',
    });
  });

  it('places replicas on their log dirs with their sizes', async () => {
    const s = await cluster().snapshot();
    expect(onDir(s, 1, '/d0')).toEqual(['__consumer_offsets-0', 'orders-0', 'payments-0']);
    expect(onDir(s, 1, '/d1')).toEqual(['orders-1']);
    expect(onDir(s, 3, '/d0')).toEqual(['__consumer_offsets-0', 'orders-0', 'orders-1', 'payments-0']);
    expect(onDir(s, 4, '/d0')).toEqual([]);
    const replica = s.logDirs.find((d) => d.brokerId === 2 && d.path === '/d1')?.replicas[0];
    expect(replica).toEqual({ topic: 'orders', partition: 1, sizeBytes: 2000, offsetLag: 0, isFuture: false });
    expect(s.brokerThrottles[1]).toEqual({
      leaderReplicationThrottledRate: null,
      followerReplicationThrottledRate: null,
      replicaAlterLogDirsIoMaxBytesPerSecond: null,
    });
  });

  it('derives usable bytes from the replicas on a dir of known size', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 0, logDirs: [{ path: '/big', totalBytes: 10_000 }, '/unknown'] }],
      topics: [{ name: 't', partitions: [{ replicas: [0], sizeBytes: 1500 }] }],
    });
    const [big, unknown] = (await gateway.snapshot()).logDirs;
    expect([big?.totalBytes, big?.usableBytes]).toEqual([10_000, 8_500]);
    expect([unknown?.totalBytes, unknown?.usableBytes]).toEqual([null, null]);
  });

  it('elects around brokers described as down and refuses inconsistent descriptions', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 1, alive: false }, { id: 2 }],
      topics: [{ name: 't', partitions: [{ replicas: [1, 2] }] }],
    });
    expect(partition(await gateway.snapshot(), 't', 0)).toMatchObject({ leader: 2, isr: [2], offlineReplicas: [1] });
    const build = (replicas: number[], logDirs?: string[]) =>
      new InMemoryGateway({ brokers: [{ id: 1 }], topics: [{ name: 't', partitions: [{ replicas, logDirs }] }] });
    expect(() => build([1, 7])).toThrow(/broker 7/);
    expect(() => build([1, 1])).toThrow(/twice/);
    expect(() => build([1], ['/elsewhere'])).toThrow(/log dir/);
  });

  it('reports the clock set by the test', async () => {
    const gateway = cluster();
    gateway.setClock(1_700_000_000_000);
    expect((await gateway.snapshot()).takenAtMs).toBe(1_700_000_000_000);
  });

  it('returns unshared snapshots: mutating one changes neither the gateway nor the next one', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }]);
    const first = await gateway.snapshot();
    const pristine = structuredClone(first);
    partition(first, 'orders', 0).replicas.push(9);
    partition(first, 'orders', 0).isr.length = 0;
    first.topics[1]!.configs.minInsyncReplicas = 99;
    first.brokers.pop();
    first.logDirs[0]!.replicas.length = 0;
    first.reassignments[0]!.addingReplicas.push(7);
    first.brokerThrottles[1]!.leaderReplicationThrottledRate = 5;
    expect(await gateway.snapshot()).toEqual(pristine);
  });

  it('filters topics, partitions, log-dir replicas and reassignments by topicPattern', async () => {
    const gateway = cluster();
    await gateway.reassign([
      { ...ORDERS_0, replicas: [4, 2, 1] },
      { ...PAYMENTS_0, replicas: [4, 1] },
    ]);
    const s = await gateway.snapshot({ topicPattern: /^orders$/ });
    expect(s.topics.map((t) => t.name)).toEqual(['orders']);
    expect(s.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(['orders-0', 'orders-1']);
    expect(new Set(s.logDirs.flatMap((d) => d.replicas.map((r) => r.topic)))).toEqual(new Set(['orders']));
    expect(s.reassignments.map((r) => r.topic)).toEqual(['orders']);
    expect(s.logDirs).toHaveLength(8); // log dirs themselves are not filtered
    // A global regex is not stateful across topics.
    const global = await gateway.snapshot({ topicPattern: /s/g });
    expect(global.topics.map((t) => t.name)).toEqual(['__consumer_offsets', 'orders', 'payments']);
  });
});

describe('InMemoryGateway broker and log dir failures', () => {
  it('killBroker moves leadership to the next ISR member and marks its replicas offline', async () => {
    const gateway = cluster();
    gateway.killBroker(1);
    const s = await gateway.snapshot();
    expect(partition(s, 'orders', 0)).toMatchObject({
      leader: 2,
      replicas: [1, 2, 3],
      isr: [2, 3],
      offlineReplicas: [1],
    });
    expect(partition(s, 'orders', 1)).toMatchObject({ leader: 2, isr: [2, 3], offlineReplicas: [1] });
    expect(partition(s, 'payments', 0)).toMatchObject({ leader: 3, isr: [3], offlineReplicas: [1] });
    expect(s.brokers.find((b) => b.id === 1)).toEqual({ id: 1, host: '', port: 0, rack: null, alive: false });
    expect(s.logDirs.some((d) => d.brokerId === 1)).toBe(false);
    expect(Object.keys(s.brokerThrottles)).toEqual(['2', '3', '4']);
    expect(s.controllerId).toBe(2);
  });

  it('keeps the last in-sync replica in the ISR, leaderless, until its broker returns', async () => {
    const gateway = cluster();
    gateway.killBroker(3);
    gateway.killBroker(1);
    let payments = partition(await gateway.snapshot(), 'payments', 0);
    expect(payments).toMatchObject({ leader: -1, isr: [1], offlineReplicas: [3, 1] });
    expect(partitionStatus(payments, 1)).toBe('offline');

    gateway.restartBroker(3); // 3 is out of sync: no unclean election
    expect(partition(await gateway.snapshot(), 'payments', 0).leader).toBe(-1);

    gateway.restartBroker(1);
    payments = partition(await gateway.snapshot(), 'payments', 0);
    expect(payments).toMatchObject({ leader: 1, isr: [1, 3], offlineReplicas: [] });
  });

  it('a dead broker that holds no replica is not listed', async () => {
    const gateway = cluster();
    gateway.killBroker(4);
    expect((await gateway.snapshot()).brokers.map((b) => b.id)).toEqual([1, 2, 3]);
  });

  it('restartBroker puts its replicas back in sync without moving leadership back', async () => {
    const gateway = cluster();
    gateway.killBroker(1);
    gateway.restartBroker(1);
    const s = await gateway.snapshot();
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 2, isr: [2, 3, 1], offlineReplicas: [] });
    expect(s.brokers.find((b) => b.id === 1)).toMatchObject({ alive: true, rack: 'a' });
  });

  it('failLogDir takes only the replicas on that dir offline; the broker stays alive', async () => {
    const gateway = cluster();
    gateway.failLogDir(2, '/d0');
    const s = await gateway.snapshot();
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 1, isr: [1, 3], offlineReplicas: [2] });
    // orders-1's replica on broker 2 lives on /d1: untouched, and 2 still leads it.
    expect(partition(s, 'orders', 1)).toMatchObject({ leader: 2, isr: [2, 3, 1], offlineReplicas: [] });
    expect(s.brokers.find((b) => b.id === 2)?.alive).toBe(true);
    expect(s.logDirs.find((d) => d.brokerId === 2 && d.path === '/d0')).toEqual({
      brokerId: 2,
      path: '/d0',
      failed: true,
      error: 'KAFKA_STORAGE_ERROR',
      totalBytes: null,
      usableBytes: null,
      replicas: [],
    });
    expect(onDir(s, 2, '/d1')).toEqual(['orders-1']);
    expect(s.brokerThrottles[2]).toBeDefined();
  });

  it('failLogDir under a leader moves leadership; a restart brings the dir back', async () => {
    const gateway = cluster();
    gateway.failLogDir(1, '/d0');
    expect(partition(await gateway.snapshot(), 'orders', 0)).toMatchObject({ leader: 2, offlineReplicas: [1] });
    gateway.restartBroker(1);
    const s = await gateway.snapshot();
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 2, isr: [2, 3, 1], offlineReplicas: [] });
    expect(s.logDirs.find((d) => d.brokerId === 1 && d.path === '/d0')?.failed).toBe(false);
  });

  it('test controls throw on unknown brokers and dirs', () => {
    const gateway = cluster();
    expect(() => gateway.killBroker(9)).toThrow(/broker 9/);
    expect(() => gateway.failLogDir(1, '/nope')).toThrow(/\/nope/);
    expect(() => gateway.completeReassignments([{ topic: 'nope', partition: 0 }])).toThrow(/nope-0/);
  });
});

describe('InMemoryGateway reassignments', () => {
  it('runs a reassignment: merged replicas, copying replica, then completion', async () => {
    const gateway = cluster();
    expect(await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }])).toEqual([{ ...ORDERS_0, ok: true }]);
    let s = await gateway.snapshot();
    expect(s.reassignments).toEqual([
      { ...ORDERS_0, replicas: [4, 2, 1, 3], addingReplicas: [4], removingReplicas: [3] },
    ]);
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 1, replicas: [4, 2, 1, 3], isr: [1, 2, 3] });
    const copying = s.logDirs.find((d) => d.brokerId === 4 && d.path === '/d0')?.replicas;
    expect(copying).toEqual([{ ...ORDERS_0, sizeBytes: 0, offsetLag: 1000, isFuture: false }]);

    expect(gateway.completeReassignments()).toEqual([ORDERS_0]);
    s = await gateway.snapshot();
    expect(s.reassignments).toEqual([]);
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 1, replicas: [4, 2, 1], isr: [1, 2, 4] });
    expect(onDir(s, 3, '/d0')).not.toContain('orders-0');
    expect(s.logDirs.find((d) => d.brokerId === 4)?.replicas[0]?.sizeBytes).toBe(1000);
  });

  it('orders merged replicas target first, then removed ones ascending, like KRaft', async () => {
    const gateway = cluster();
    await gateway.reassign([{ topic: 'orders', partition: 1, replicas: [4] }]);
    expect((await gateway.snapshot()).reassignments[0]).toMatchObject({
      replicas: [4, 1, 2, 3],
      addingReplicas: [4],
      removingReplicas: [1, 2, 3],
    });
  });

  it('moves leadership when the leader is reassigned away', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...PAYMENTS_0, replicas: [2, 4] }]);
    expect(partition(await gateway.snapshot(), 'payments', 0).leader).toBe(3);
    gateway.completeReassignments([PAYMENTS_0]);
    expect(partition(await gateway.snapshot(), 'payments', 0)).toMatchObject({
      leader: 2,
      replicas: [2, 4],
      isr: [2, 4],
    });
  });

  it('completes a reorder or a shrink at once, with no adding replicas', async () => {
    const gateway = cluster();
    const results = await gateway.reassign([
      { ...ORDERS_0, replicas: [3, 1, 2] },
      { ...PAYMENTS_0, replicas: [1] },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const s = await gateway.snapshot();
    expect(s.reassignments).toEqual([]);
    expect(partition(s, 'orders', 0)).toMatchObject({ leader: 1, replicas: [3, 1, 2] });
    expect(partition(s, 'payments', 0)).toMatchObject({ leader: 1, replicas: [1], isr: [1] });
    expect(onDir(s, 3, '/d0')).not.toContain('payments-0');
  });

  it('refuses unknown partitions and invalid replica lists, changing nothing', async () => {
    const gateway = cluster();
    gateway.killBroker(4);
    const before = await gateway.snapshot();
    const results = await gateway.reassign([
      { topic: 'nope', partition: 0, replicas: [1] },
      { topic: 'orders', partition: 7, replicas: [1] },
      { ...ORDERS_0, replicas: [] },
      { ...ORDERS_0, replicas: [1, 2, 1] },
      { ...ORDERS_0, replicas: [1, 2, 9] },
      { ...ORDERS_0, replicas: [1, 2, 4] },
    ]);
    expect(results.map((r) => [r.topic, r.partition, r.ok, r.error])).toEqual([
      ['nope', 0, false, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['orders', 7, false, 'UNKNOWN_TOPIC_OR_PARTITION'],
      ['orders', 0, false, 'INVALID_REPLICA_ASSIGNMENT'],
      ['orders', 0, false, 'INVALID_REPLICA_ASSIGNMENT'],
      ['orders', 0, false, 'INVALID_REPLICA_ASSIGNMENT'],
      ['orders', 0, false, 'INVALID_REPLICA_ASSIGNMENT'],
    ]);
    expect(results[4]?.message).toMatch(/9/);
    expect(await gateway.snapshot()).toEqual(before);
  });

  it('leaves a reassignment in progress while a replica it adds is down', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }]);
    gateway.killBroker(4);
    expect(gateway.completeReassignments()).toEqual([]);
    expect((await gateway.snapshot()).reassignments).toHaveLength(1);
  });
});
