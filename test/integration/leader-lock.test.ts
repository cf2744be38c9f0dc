// The leader lock against a real, private Redis: one holder at a time, hand-over on release and
// on expiry, a holder that lost its key notices at its next renewal, and a standby serves its
// endpoints naming the leader until the lock is its own.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { JsonLogger } from '../../src/common/index.js';
import { loadConfig } from '../../src/config/index.js';
import { LeaderElection, LeadershipLostError, LeaseKeeper } from '../../src/leader/index.js';
import { LeaderLock, leaderLockKey } from '../../src/redis/index.js';

describe('the leader lock on a real Redis', () => {
  let redis: RedisSandbox;
  let admin: Redis;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await RedisSandbox.start({ useEnv: false });
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    admin?.disconnect();
    await redis?.close();
  });

  /** A holder with its own connection, as another process would have. */
  const holder = (key: string, id: string, ttlMs = 3_000): LeaderLock => {
    const client = new Redis(redis.url);
    clients.push(client);
    return new LeaderLock(client, key, id, ttlMs);
  };

  it('lets exactly one of two holders acquire, writing its id under <keyPrefix>:leader with the TTL', async () => {
    const key = leaderLockKey('one-holder');
    const a = holder(key, 'a');
    const b = holder(key, 'b');
    const results = await Promise.all([a.tryAcquire(), b.tryAcquire()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'a' : 'b';
    expect(await admin.get('one-holder:leader')).toBe(winner);
    expect(await a.holder()).toBe(winner);
    expect(await b.holder()).toBe(winner);
    const pttl = await admin.pttl(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(3_000);
  });

  it('hands over when the holder releases; a release or renewal by a non-holder changes nothing', async () => {
    const key = leaderLockKey('release');
    const a = holder(key, 'a');
    const b = holder(key, 'b');
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.release()).toBe(false);
    expect(await b.renew()).toBe(false);
    expect(await admin.get(key)).toBe('a');
    expect(await b.tryAcquire()).toBe(false);
    expect(await a.release()).toBe(true);
    expect(await admin.exists(key)).toBe(0);
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.holder()).toBe('b');
  });

  it('renewal extends the lease of the holder only', async () => {
    const key = leaderLockKey('renew');
    const a = holder(key, 'a', 60_000);
    expect(await a.tryAcquire()).toBe(true);
    await admin.pexpire(key, 1_000);
    expect(await a.renew()).toBe(true);
    expect(await admin.pttl(key)).toBeGreaterThan(1_000);
  });

  it('hands over once the holder stops renewing and its lease expires', async () => {
    const key = leaderLockKey('expiry');
    const a = holder(key, 'a', 500);
    const b = holder(key, 'b', 500);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    await waitFor(
      'the lease of a to expire and b to take the lock',
      async () => ((await b.tryAcquire()) ? true : undefined),
      {
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    );
    expect(await admin.get(key)).toBe('b');
    // a's lease is gone: it can neither renew nor release b's lock.
    expect(await a.renew()).toBe(false);
    expect(await a.release()).toBe(false);
    expect(await admin.get(key)).toBe('b');
  });

  it('a renewing holder keeps the lock past its TTL, and notices at its next renewal once the key was taken over', async () => {
    const key = leaderLockKey('takeover');
    const a = holder(key, 'a', 3_000);
    const b = holder(key, 'b', 3_000);
    const acquiredAt = performance.now();
    expect(await a.tryAcquire()).toBe(true);
    const lost: LeadershipLostError[] = [];
    const keeper = new LeaseKeeper(a, acquiredAt, { onLost: (error) => lost.push(error) });
    keeper.start();
    try {
      // Longer than one TTL: without renewals the key would have expired by now.
      await waitFor(
        'a to renew its lease',
        async () => ((await admin.pttl(key)) > 2_000 && performance.now() - acquiredAt > 3_500 ? true : undefined),
        {
          timeoutMs: 20_000,
          intervalMs: 200,
        },
      );
      expect(await b.tryAcquire()).toBe(false);
      expect(lost).toHaveLength(0);

      // An operator deletes the key and b takes it before a's next renewal.
      await admin.del(key);
      expect(await b.tryAcquire()).toBe(true);
      const error = await waitFor('a to notice', () => Promise.resolve(lost[0]), {
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      expect(error).toBeInstanceOf(LeadershipLostError);
      expect(error.message).toContain('instance a lost the leader lock');
      expect(await admin.get(key)).toBe('b');
    } finally {
      keeper.stop();
    }
  });

  it('a standby serves /health and /ready naming the leader, and takes over once the leader resigns', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    const config = (port: number) =>
      loadConfig(
        {},
        {
          server: { host: '127.0.0.1', port },
          kafka: { bootstrapServers: ['127.0.0.1:9'] },
          redis: { url: redis.url, keyPrefix: 'election' },
          leaderElection: { enabled: true, ttlMs: 3_000, retryIntervalMs: 200 },
        },
      );
    const logger = new JsonLogger('silent');
    const first = LeaderElection.create(config(portA), logger);
    const second = LeaderElection.create(config(portB), logger);
    const lost: unknown[] = [];
    const onLost = (error: unknown): number => lost.push(error);
    const stop = new AbortController();
    try {
      await first.acquire({ signal: stop.signal, onLost });
      expect(await admin.get('election:leader')).toBe(first.instanceId);
      let secondLeads = false;
      const secondWaiting = second.acquire({ signal: stop.signal, onLost }).then(
        () => (secondLeads = true),
        (error: unknown) => lost.push(error),
      );

      // The standby answers as soon as it listens, naming the leader once it has asked Redis.
      const ready = await waitFor('the standby to name the leader', async () => {
        const response = await fetch(`http://127.0.0.1:${portB}/ready`);
        const body = (await response.json()) as { leader: string | null };
        return body.leader === null ? undefined : { status: response.status, body };
      });
      expect(ready).toEqual({ status: 503, body: { status: 'standby', leader: first.instanceId } });
      const health = await fetch(`http://127.0.0.1:${portB}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', role: 'standby' });
      const refused = await fetch(`http://127.0.0.1:${portB}/kafkacruisecontrol/state`);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { errorMessage: string }).errorMessage).toContain(
        `the leader is ${first.instanceId}`,
      );
      expect(secondLeads).toBe(false);

      await first.resign();
      await secondWaiting;
      expect(await admin.get('election:leader')).toBe(second.instanceId);
      // The standby server is gone: the port is the application's now.
      await expect(fetch(`http://127.0.0.1:${portB}/health`)).rejects.toThrow();
      expect(lost).toEqual([]);
    } finally {
      stop.abort();
      await Promise.all([first.resign(), second.resign()]);
    }
  });
});
