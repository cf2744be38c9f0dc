// InMemoryGateway, admin actions: cancelling reassignments, preferred elections, log dir moves and
// incremental config changes answer per partition or change, as Kafka does.
import { describe, expect, it } from 'vitest';
import { ORDERS_0, PAYMENTS_0, cluster, onDir, partition } from '../../fixtures/in-memory-cluster.js';

describe('InMemoryGateway cancelReassignments', () => {
  it('refuses when an original replica is on a dead broker (KAFKA-14424), changing nothing', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }]);
    gateway.killBroker(3);
    const before = await gateway.snapshot();
    const [result] = await gateway.cancelReassignments([ORDERS_0]);
    expect(result).toMatchObject({ ...ORDERS_0, ok: false, error: 'UNSAFE_CANCELLATION' });
    expect(result?.message).toMatch(/\b3\b/);
    expect(await gateway.snapshot()).toEqual(before);
  });

  it('restores the original replicas and drops the adding ones', async () => {
    const gateway = cluster();
    await gateway.reassign([{ topic: 'orders', partition: 1, replicas: [4] }]);
    expect(await gateway.cancelReassignments([{ topic: 'orders', partition: 1 }])).toEqual([
      { topic: 'orders', partition: 1, ok: true },
    ]);
    const s = await gateway.snapshot();
    expect(s.reassignments).toEqual([]);
    // KRaft reverts to the merged list minus adding replicas: the removed ones come back ascending.
    expect(partition(s, 'orders', 1)).toMatchObject({ leader: 2, replicas: [1, 2, 3], isr: [2, 3, 1] });
    expect(s.logDirs.filter((d) => d.brokerId === 4).flatMap((d) => d.replicas)).toEqual([]);
  });

  it('keeps the target-first order of replicas that stayed, as KRaft does', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }]);
    await gateway.cancelReassignments([ORDERS_0]);
    expect(partition(await gateway.snapshot(), 'orders', 0)).toMatchObject({ leader: 1, replicas: [2, 1, 3] });
  });

  it('accepts when only an adding replica is on a dead broker', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [4, 2, 1] }]);
    gateway.killBroker(4);
    expect((await gateway.cancelReassignments([ORDERS_0]))[0]?.ok).toBe(true);
    expect((await gateway.snapshot()).brokers.map((b) => b.id)).toEqual([1, 2, 3]);
  });

  it('reports partitions without a reassignment and unknown ones', async () => {
    const results = await cluster().cancelReassignments([ORDERS_0, { topic: 'nope', partition: 0 }]);
    expect(results.map((r) => r.error)).toEqual(['NO_REASSIGNMENT_IN_PROGRESS', 'UNKNOWN_TOPIC_OR_PARTITION']);
  });
});

describe('InMemoryGateway electPreferredLeaders', () => {
  it('elects the preferred leader after a reorder, then reports it is not needed', async () => {
    const gateway = cluster();
    await gateway.reassign([{ ...ORDERS_0, replicas: [3, 1, 2] }]);
    expect(await gateway.electPreferredLeaders([ORDERS_0])).toEqual([{ ...ORDERS_0, ok: true }]);
    expect(partition(await gateway.snapshot(), 'orders', 0).leader).toBe(3);
    const [again] = await gateway.electPreferredLeaders([ORDERS_0]);
    expect(again).toMatchObject({ ok: false, error: 'ELECTION_NOT_NEEDED' });
  });

  it('refuses when the preferred replica is dead, out of sync or on a failed dir', async () => {
    const gateway = cluster();
    gateway.killBroker(1);
    gateway.failLogDir(3, '/d0');
    const results = await gateway.electPreferredLeaders([
      ORDERS_0, // preferred 1 is dead
      PAYMENTS_0, // preferred 3's replica is on the failed dir
      { topic: 'nope', partition: 0 },
    ]);
    expect(results.map((r) => r.error)).toEqual([
      'PREFERRED_LEADER_NOT_AVAILABLE',
      'PREFERRED_LEADER_NOT_AVAILABLE',
      'UNKNOWN_TOPIC_OR_PARTITION',
    ]);
    gateway.restartBroker(1); // back and in sync: now it can lead again
    expect((await gateway.electPreferredLeaders([ORDERS_0]))[0]?.ok).toBe(true);
  });
});

describe('InMemoryGateway moveReplicasBetweenLogDirs', () => {
  it('moves a replica to another dir of its broker at once, size included', async () => {
    const gateway = cluster();
    const move = { ...ORDERS_0, brokerId: 1, logDir: '/d1' };
    expect(await gateway.moveReplicasBetweenLogDirs([move])).toEqual([{ ...ORDERS_0, ok: true }]);
    const s = await gateway.snapshot();
    expect(onDir(s, 1, '/d0')).not.toContain('orders-0');
    const moved = s.logDirs.find((d) => d.brokerId === 1 && d.path === '/d1')?.replicas;
    expect(moved).toContainEqual({ ...ORDERS_0, sizeBytes: 1000, offsetLag: 0, isFuture: false });
  });

  it('refuses moves Kafka refuses', async () => {
    const gateway = cluster();
    gateway.failLogDir(2, '/d1');
    gateway.failLogDir(3, '/d0');
    gateway.killBroker(4);
    const results = await gateway.moveReplicasBetweenLogDirs([
      { topic: 'nope', partition: 0, brokerId: 1, logDir: '/d1' },
      { ...ORDERS_0, brokerId: 4, logDir: '/d1' }, // dead broker
      { ...PAYMENTS_0, brokerId: 2, logDir: '/d1' }, // 2 holds no payments replica
      { ...ORDERS_0, brokerId: 1, logDir: '/nope' },
      { ...ORDERS_0, brokerId: 2, logDir: '/d1' }, // destination failed
      { ...ORDERS_0, brokerId: 3, logDir: '/d1' }, // source failed
    ]);
    expect(results.map((r) => r.error)).toEqual([
      'UNKNOWN_TOPIC_OR_PARTITION',
      'BROKER_NOT_AVAILABLE',
      'REPLICA_NOT_AVAILABLE',
      'LOG_DIR_NOT_FOUND',
      'KAFKA_STORAGE_ERROR',
      'KAFKA_STORAGE_ERROR',
    ]);
  });
});

describe('InMemoryGateway alterConfigs', () => {
  const ORDERS = { type: 'topic', topic: 'orders' } as const;
  const BROKER_1 = { type: 'broker', brokerId: 1 } as const;

  it('sets a throttle list without touching the topic’s other configs', async () => {
    const gateway = cluster();
    const [result] = await gateway.alterConfigs([
      { resource: ORDERS, name: 'leader.replication.throttled.replicas', operation: 'SET', value: '0:1,0:2' },
    ]);
    expect(result).toMatchObject({ ok: true, name: 'leader.replication.throttled.replicas' });
    expect(gateway.configsOf(ORDERS)).toEqual({
      'cleanup.policy': 'delete',
      'min.insync.replicas': '2',
      'retention.ms': '86400000',
      'leader.replication.throttled.replicas': '0:1,0:2',
    });
    const configs = (await gateway.snapshot()).topics.find((t) => t.name === 'orders')?.configs;
    expect(configs).toMatchObject({
      leaderThrottledReplicas: '0:1,0:2',
      followerThrottledReplicas: '',
      minInsyncReplicas: 2,
    });
  });

  it('APPENDs missing items, SUBTRACTs present ones, keeps an emptied list as "", DELETEs', async () => {
    const gateway = cluster();
    const name = 'follower.replication.throttled.replicas';
    const change = async (operation: 'APPEND' | 'SUBTRACT' | 'DELETE', value?: string) => {
      await gateway.alterConfigs([{ resource: ORDERS, name, operation, value }]);
      return gateway.configsOf(ORDERS)[name];
    };
    expect(await change('APPEND', '0:3')).toBe('0:3');
    expect(await change('APPEND', '0:3,1:4')).toBe('0:3,1:4');
    expect(await change('SUBTRACT', '0:3,9:9')).toBe('1:4');
    expect(await change('SUBTRACT', '1:4')).toBe('');
    expect(gateway.configsOf(ORDERS)).toHaveProperty(name, '');
    expect(await change('DELETE')).toBeUndefined();
    expect(gateway.configsOf(ORDERS)['cleanup.policy']).toBe('delete');
  });

  it('parses numeric topic configs and broker throttles into the snapshot', async () => {
    const gateway = cluster();
    await gateway.alterConfigs([
      { resource: ORDERS, name: 'min.insync.replicas', operation: 'SET', value: '3' },
      { resource: ORDERS, name: 'retention.bytes', operation: 'SET', value: '-1' },
      { resource: ORDERS, name: 'retention.ms', operation: 'DELETE' },
      { resource: BROKER_1, name: 'leader.replication.throttled.rate', operation: 'SET', value: '1000000' },
      { resource: BROKER_1, name: 'replica.alter.log.dirs.io.max.bytes.per.second', operation: 'SET', value: '5' },
      {
        resource: { type: 'broker', brokerId: 4 },
        name: 'follower.replication.throttled.rate',
        operation: 'SET',
        value: '7',
      },
    ]);
    const s = await gateway.snapshot();
    expect(s.topics.find((t) => t.name === 'orders')?.configs).toMatchObject({
      minInsyncReplicas: 3,
      retentionBytes: -1,
      retentionMs: null,
    });
    expect(s.brokerThrottles[1]).toEqual({
      leaderReplicationThrottledRate: 1_000_000,
      followerReplicationThrottledRate: null,
      replicaAlterLogDirsIoMaxBytesPerSecond: 5,
    });
    expect(s.brokerThrottles[4]?.followerReplicationThrottledRate).toBe(7);
    expect(gateway.configsOf({ type: 'broker', brokerId: 4 })).toEqual({
      'log.cleaner.threads': '2',
      'follower.replication.throttled.rate': '7',
    });
  });

  it('reports unknown topics, unavailable brokers and missing values', async () => {
    const gateway = cluster();
    gateway.killBroker(4);
    const results = await gateway.alterConfigs([
      { resource: { type: 'topic', topic: 'nope' }, name: 'retention.ms', operation: 'SET', value: '1' },
      { resource: { type: 'broker', brokerId: 4 }, name: 'leader.replication.throttled.rate', operation: 'DELETE' },
      { resource: { type: 'broker', brokerId: 9 }, name: 'leader.replication.throttled.rate', operation: 'DELETE' },
      {
        resource: { type: 'topic', topic: 'payments' },
        name: 'leader.replication.throttled.replicas',
        operation: 'SET',
      },
      { resource: BROKER_1, name: 'follower.replication.throttled.rate', operation: 'APPEND' },
    ]);
    expect(results.map((r) => r.error)).toEqual([
      'UNKNOWN_TOPIC_OR_PARTITION',
      'BROKER_NOT_AVAILABLE',
      'BROKER_NOT_AVAILABLE',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
    ]);
    expect(results.every((r) => !r.ok)).toBe(true);
  });

  it('applies a resource’s changes all or nothing, like one IncrementalAlterConfigs request', async () => {
    const gateway = cluster();
    const results = await gateway.alterConfigs([
      { resource: ORDERS, name: 'leader.replication.throttled.replicas', operation: 'SET', value: '*' },
      { resource: ORDERS, name: 'retention.ms', operation: 'SET', value: 'soon' },
      { resource: { type: 'topic', topic: 'payments' }, name: 'retention.ms', operation: 'SET', value: '60000' },
    ]);
    expect(results.map((r) => [r.ok, r.error])).toEqual([
      [false, 'INVALID_CONFIG'],
      [false, 'INVALID_CONFIG'],
      [true, undefined],
    ]);
    expect(gateway.configsOf(ORDERS)).not.toHaveProperty('leader.replication.throttled.replicas');
    expect(gateway.configsOf({ type: 'topic', topic: 'payments' })).toEqual({ 'retention.ms': '60000' });
  });

  it('refuses list operations on numeric configs and duplicate keys', async () => {
    const gateway = cluster();
    const [append] = await gateway.alterConfigs([
      { resource: ORDERS, name: 'retention.ms', operation: 'APPEND', value: '1' },
    ]);
    expect(append?.error).toBe('INVALID_CONFIG');
    const duplicates = await gateway.alterConfigs([
      { resource: ORDERS, name: 'cleanup.policy', operation: 'SET', value: 'compact' },
      { resource: ORDERS, name: 'cleanup.policy', operation: 'DELETE' },
    ]);
    expect(duplicates.map((r) => r.error)).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST']);
    expect(gateway.configsOf(ORDERS)['cleanup.policy']).toBe('delete');
  });
});
