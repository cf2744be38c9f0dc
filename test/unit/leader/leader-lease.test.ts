// The leadership loop on an in-memory lock under fake timers: a standby waits and takes over, a
// leader renews every ttl/3, notices a takeover at its next renewal, and gives up before its lease
// runs out when renewals keep failing — never after another instance could hold the lock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LeadershipLostError,
  LeadershipWaitAbortedError,
  LeaseKeeper,
  leaseTimings,
  retryDelayAfterFailureMs,
  waitForLeadership,
} from '../../../src/leader/index.js';
import type { LeadershipLock } from '../../../src/redis/index.js';

const now = (): number => Date.now();

/** One Redis key shared by every holder, expiring on the (fake) clock. */
class Store {
  value: string | null = null;
  expiresAt = 0;
  current(): string | null {
    if (this.value !== null && now() >= this.expiresAt) this.value = null;
    return this.value;
  }
}

/** A holder of the in-memory lock; `fault` makes its Redis calls fail or hang. */
class MemoryLock implements LeadershipLock {
  fault: 'none' | 'error' | 'hang' = 'none';
  renewals = 0;
  constructor(
    private readonly store: Store,
    readonly instanceId: string,
    readonly ttlMs: number,
  ) {}

  private async redis<T>(command: () => T): Promise<T> {
    if (this.fault === 'error') throw new Error('ECONNREFUSED');
    if (this.fault === 'hang') return new Promise<T>(() => undefined);
    await Promise.resolve();
    return command();
  }
  tryAcquire(): Promise<boolean> {
    return this.redis(() => {
      if (this.store.current() !== null) return false;
      this.store.value = this.instanceId;
      this.store.expiresAt = now() + this.ttlMs;
      return true;
    });
  }
  renew(): Promise<boolean> {
    return this.redis(() => {
      this.renewals += 1;
      if (this.store.current() !== this.instanceId) return false;
      this.store.expiresAt = now() + this.ttlMs;
      return true;
    });
  }
  release(): Promise<boolean> {
    return this.redis(() => {
      if (this.store.current() !== this.instanceId) return false;
      this.store.value = null;
      return true;
    });
  }
  holder(): Promise<string | null> {
    return this.redis(() => this.store.current());
  }
}

const TTL_MS = 3_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('lease timings', () => {
  it('renews every ttl/3, retries every ttl/10, and keeps a guard of ttl/6', () => {
    expect(leaseTimings(15_000)).toEqual({ renewEveryMs: 5_000, retryEveryMs: 1_500, guardMs: 2_500 });
    expect(leaseTimings(3_000)).toEqual({ renewEveryMs: 1_000, retryEveryMs: 300, guardMs: 500 });
  });

  it('retries a failed renewal while another attempt fits before the guard, and gives up once none does', () => {
    const timings = leaseTimings(3_000);
    // Lease until 3000, guard from 2500: an attempt at 1000 + 300 fits, one at 2200 + 300 does not.
    expect(retryDelayAfterFailureMs(1_000, 3_000, timings)).toBe(300);
    expect(retryDelayAfterFailureMs(2_199, 3_000, timings)).toBe(300);
    expect(retryDelayAfterFailureMs(2_200, 3_000, timings)).toBeUndefined();
    expect(retryDelayAfterFailureMs(4_000, 3_000, timings)).toBeUndefined();
  });
});

describe('waitForLeadership', () => {
  it('takes a free lock at once, as of the moment it asked', async () => {
    const store = new Store();
    const lock = new MemoryLock(store, 'a', TTL_MS);
    const startedAt = now();
    await expect(waitForLeadership(lock, { retryIntervalMs: 500, now })).resolves.toBe(startedAt);
    expect(store.current()).toBe('a');
  });

  it('stands by naming the holder, and takes the lock once the holder releases it', async () => {
    const store = new Store();
    const leader = new MemoryLock(store, 'leader', TTL_MS);
    const standby = new MemoryLock(store, 'standby', TTL_MS);
    await leader.tryAcquire();
    const seen: (string | null)[] = [];
    let acquired = false;
    const waiting = waitForLeadership(standby, {
      retryIntervalMs: 500,
      now,
      onStandby: ({ holder }) => seen.push(holder),
    }).then(() => (acquired = true));
    await vi.advanceTimersByTimeAsync(1_600);
    expect(acquired).toBe(false);
    expect(seen).toEqual(['leader', 'leader', 'leader', 'leader']);
    await leader.release();
    await vi.advanceTimersByTimeAsync(500);
    await waiting;
    expect(store.current()).toBe('standby');
  });

  it('takes the lock when the holder stops renewing and its lease runs out', async () => {
    const store = new Store();
    await new MemoryLock(store, 'dead', TTL_MS).tryAcquire();
    const standby = new MemoryLock(store, 'standby', TTL_MS);
    const waiting = waitForLeadership(standby, { retryIntervalMs: 500, now });
    await vi.advanceTimersByTimeAsync(TTL_MS + 500);
    await waiting;
    expect(store.current()).toBe('standby');
  });

  it('reports Redis errors and keeps trying until Redis answers', async () => {
    const store = new Store();
    const lock = new MemoryLock(store, 'a', TTL_MS);
    lock.fault = 'error';
    const errors: unknown[] = [];
    const waiting = waitForLeadership(lock, {
      retryIntervalMs: 500,
      now,
      onStandby: ({ holder, error }) => errors.push([holder, (error as Error).message]),
    });
    await vi.advanceTimersByTimeAsync(1_100);
    expect(errors).toEqual([
      [null, 'ECONNREFUSED'],
      [null, 'ECONNREFUSED'],
      [null, 'ECONNREFUSED'],
    ]);
    lock.fault = 'none';
    await vi.advanceTimersByTimeAsync(500);
    await waiting;
    expect(store.current()).toBe('a');
  });

  it('counts the lock as taken when it already holds our id (an acquisition whose reply was lost)', async () => {
    const store = new Store();
    store.value = 'a';
    store.expiresAt = now() + 100;
    const lock = new MemoryLock(store, 'a', TTL_MS);
    await waitForLeadership(lock, { retryIntervalMs: 500, now });
    expect(lock.renewals).toBe(1);
    expect(store.expiresAt).toBe(now() + TTL_MS);
  });

  it('stops waiting when aborted, without taking the lock', async () => {
    const store = new Store();
    await new MemoryLock(store, 'leader', TTL_MS).tryAcquire();
    const controller = new AbortController();
    const waiting = waitForLeadership(new MemoryLock(store, 'standby', TTL_MS), {
      retryIntervalMs: 10_000,
      signal: controller.signal,
      now,
    });
    const outcome = expect(waiting).rejects.toBeInstanceOf(LeadershipWaitAbortedError);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await outcome;
    expect(store.current()).toBe('leader');
  });
});

describe('LeaseKeeper', () => {
  async function leader(store: Store, id = 'leader'): Promise<{ lock: MemoryLock; acquiredAt: number }> {
    const lock = new MemoryLock(store, id, TTL_MS);
    const acquiredAt = await waitForLeadership(lock, { retryIntervalMs: 500, now });
    return { lock, acquiredAt };
  }

  it('keeps the lock for as long as Redis answers, renewing every ttl/3', async () => {
    const store = new Store();
    const { lock, acquiredAt } = await leader(store);
    const onLost = vi.fn();
    const keeper = new LeaseKeeper(lock, acquiredAt, { onLost, now });
    keeper.start();
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(onLost).not.toHaveBeenCalled();
    expect(lock.renewals).toBe(30);
    expect(store.current()).toBe('leader');
    keeper.stop();
  });

  it('notices at its next renewal that another instance holds the lock', async () => {
    const store = new Store();
    const { lock, acquiredAt } = await leader(store);
    const lost: LeadershipLostError[] = [];
    const keeper = new LeaseKeeper(lock, acquiredAt, { onLost: (e) => lost.push(e), now });
    keeper.start();
    await vi.advanceTimersByTimeAsync(100);
    // Someone deleted the key and another instance took it (an operator, or a lease that ran out during a pause).
    store.value = 'usurper';
    expect(lost).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(TTL_MS / 3);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(LeadershipLostError);
    expect(lost[0]!.message).toContain('lost the leader lock: the lock expired or another instance holds it');
    expect(store.current()).toBe('usurper');
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(lost).toHaveLength(1);
  });

  it.each(['error', 'hang'] as const)(
    'gives up while the lease is still its own when renewals %s, before any standby could take over',
    async (fault) => {
      const store = new Store();
      const { lock, acquiredAt } = await leader(store);
      const standby = new MemoryLock(store, 'standby', TTL_MS);
      const events: string[] = [];
      const keeper = new LeaseKeeper(lock, acquiredAt, {
        onLost: () => events.push(`lost while the lock held ${store.current()}`),
        onRenewalError: () => events.push('renewal failed'),
        now,
      });
      keeper.start();
      lock.fault = fault;
      // The standby keeps trying, as it would in another process.
      const standbyWaiting = waitForLeadership(standby, { retryIntervalMs: 100, now }).then(() =>
        events.push('standby acquired'),
      );
      await vi.advanceTimersByTimeAsync(2 * TTL_MS);
      await standbyWaiting;
      const lostAt = events.findIndex((e) => e.startsWith('lost'));
      expect(lostAt).toBeGreaterThan(0);
      expect(events[lostAt]).toBe('lost while the lock held leader');
      expect(events.indexOf('standby acquired')).toBeGreaterThan(lostAt);
      expect(events.filter((e) => e.startsWith('lost'))).toHaveLength(1);
    },
  );

  it('rides out a short Redis outage', async () => {
    const store = new Store();
    const { lock, acquiredAt } = await leader(store);
    const onLost = vi.fn();
    const onRenewalError = vi.fn();
    const keeper = new LeaseKeeper(lock, acquiredAt, { onLost, onRenewalError, now });
    keeper.start();
    lock.fault = 'error';
    await vi.advanceTimersByTimeAsync(TTL_MS / 3 + 1);
    expect(onRenewalError).toHaveBeenCalledTimes(1);
    lock.fault = 'none';
    await vi.advanceTimersByTimeAsync(5 * TTL_MS);
    expect(onLost).not.toHaveBeenCalled();
    expect(store.current()).toBe('leader');
    keeper.stop();
  });

  it('stops renewing and never reports a loss once stopped', async () => {
    const store = new Store();
    const { lock, acquiredAt } = await leader(store);
    const onLost = vi.fn();
    const keeper = new LeaseKeeper(lock, acquiredAt, { onLost, now });
    keeper.start();
    await vi.advanceTimersByTimeAsync(TTL_MS / 3 + 1);
    expect(lock.renewals).toBe(1);
    keeper.stop();
    await vi.advanceTimersByTimeAsync(5 * TTL_MS);
    expect(lock.renewals).toBe(1);
    expect(onLost).not.toHaveBeenCalled();
    expect(store.current()).toBeNull();
  });
});
