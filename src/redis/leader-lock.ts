// The leader lock: one Redis key whose value names the instance allowed to act. Taken with
// SET NX PX, extended and deleted only by its holder (compare-and-act in Lua, atomic in Redis).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

// Extends the lease only if the key still holds our id: after an expiry another instance may own it.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

// Deletes the key only if it still holds our id, so a late release never frees someone else's lock.
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** The key of the leader lock under Ballast's key prefix. */
export function leaderLockKey(keyPrefix: string): string {
  return `${keyPrefix}:leader`;
}

/**
 * A name for this process that no other holder shares: host (the pod name on Kubernetes) and pid
 * say where it runs, the random suffix tells a restarted process with a recycled pid apart.
 */
export function newInstanceId(host = hostname(), pid = process.pid, suffix = randomBytes(4).toString('hex')): string {
  return `${host}-${pid}-${suffix}`;
}

/** What the leadership loop needs from a lock; {@link LeaderLock} is the Redis one. */
export interface LeadershipLock {
  /** This holder's id, the value written into the key. */
  readonly instanceId: string;
  /** Lifetime of the lease in milliseconds. */
  readonly ttlMs: number;
  /** Takes the lock if nobody holds it. */
  tryAcquire(): Promise<boolean>;
  /** Extends the lease by ttlMs if we still hold it; false when the lock is no longer ours. */
  renew(): Promise<boolean>;
  /** Gives the lock up if we still hold it; false when it was not ours any more. */
  release(): Promise<boolean>;
  /** The id of the current holder, or null when nobody holds the lock. */
  holder(): Promise<string | null>;
}

export class LeaderLock implements LeadershipLock {
  constructor(
    private readonly redis: Redis,
    /** The Redis key, see {@link leaderLockKey}. */
    readonly key: string,
    readonly instanceId: string,
    readonly ttlMs: number,
  ) {}

  async tryAcquire(): Promise<boolean> {
    const reply = await this.redis.set(this.key, this.instanceId, 'PX', this.ttlMs, 'NX');
    return reply === 'OK';
  }

  async renew(): Promise<boolean> {
    const reply = await this.redis.eval(RENEW_SCRIPT, 1, this.key, this.instanceId, String(this.ttlMs));
    return reply === 1;
  }

  async release(): Promise<boolean> {
    const reply = await this.redis.eval(RELEASE_SCRIPT, 1, this.key, this.instanceId);
    return reply === 1;
  }

  holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
