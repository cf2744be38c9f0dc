// The leadership loop's core: waiting for the lock as a standby, then keeping the lease alive as
// the leader. Works on any LeadershipLock; timers and the clock are the only side effects.
import { describeError, withTimeout } from '../common/index.js';
import type { LeadershipLock } from '../redis/index.js';
import { LeadershipLostError, LeadershipWaitAbortedError } from './leader.errors.js';

/** When the keeper renews, retries and gives up, derived from the lease's lifetime. */
export interface LeaseTimings {
  /** A healthy leader renews this often (ttl/3: two attempts fit in a lease). */
  renewEveryMs: number;
  /** After a failed renewal, the next attempt comes this soon. */
  retryEveryMs: number;
  /**
   * The leader gives up this long before its lease would run out, so it stops acting while the
   * lock is still its own and before a standby can take it.
   */
  guardMs: number;
}

export function leaseTimings(ttlMs: number): LeaseTimings {
  return {
    renewEveryMs: Math.floor(ttlMs / 3),
    retryEveryMs: Math.max(1, Math.floor(ttlMs / 10)),
    guardMs: Math.floor(ttlMs / 6),
  };
}

/**
 * After a failed renewal at `nowMs`: how long to wait before the next attempt, or undefined when
 * no further attempt could finish before the guard, so leadership must be given up now.
 */
export function retryDelayAfterFailureMs(
  nowMs: number,
  validUntilMs: number,
  timings: LeaseTimings,
): number | undefined {
  const giveUpAt = validUntilMs - timings.guardMs;
  return nowMs + timings.retryEveryMs < giveUpAt ? timings.retryEveryMs : undefined;
}

/** Milliseconds since an arbitrary origin that never goes backwards. */
export type Clock = () => number;
const monotonic: Clock = () => performance.now();

export interface WaitForLeadershipOptions {
  /** Pause between two attempts to take the lock. */
  retryIntervalMs: number;
  /** Aborting stops the wait with {@link LeadershipWaitAbortedError}; a lock taken meanwhile is released first. */
  signal?: AbortSignal;
  /** Told after every attempt that did not get the lock: who holds it, or why the attempt failed. */
  onStandby?: (attempt: { holder: string | null; error?: unknown }) => void;
  now?: Clock;
}

/**
 * Tries to take the lock until it succeeds; resolves with the clock reading taken just before the
 * winning request was sent, the conservative start of the lease.
 * @throws LeadershipWaitAbortedError when the signal aborts.
 */
export async function waitForLeadership(lock: LeadershipLock, options: WaitForLeadershipOptions): Promise<number> {
  const now = options.now ?? monotonic;
  const signal = options.signal;
  for (;;) {
    if (signal?.aborted) throw new LeadershipWaitAbortedError();
    let acquiredAt: number | undefined;
    try {
      const sentAt = now();
      if (await lock.tryAcquire()) acquiredAt = sentAt;
      else {
        const holder = await lock.holder();
        // Our own id: an earlier SET went through but its reply was lost. Renew to learn when the lease starts.
        if (holder === lock.instanceId) {
          const renewedAt = now();
          if (await lock.renew()) acquiredAt = renewedAt;
        } else options.onStandby?.({ holder });
      }
    } catch (error) {
      options.onStandby?.({ holder: null, error });
    }
    if (acquiredAt !== undefined) {
      if (!signal?.aborted) return acquiredAt;
      await lock.release().catch(() => false);
      throw new LeadershipWaitAbortedError();
    }
    await pause(options.retryIntervalMs, signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface LeaseKeeperOptions {
  /** Called once, when the lock is found taken or cannot be renewed before the guard. */
  onLost: (error: LeadershipLostError) => void;
  /** Called on every renewal that failed for a reason other than losing the lock (Redis down, a timeout). */
  onRenewalError?: (error: unknown, remainingMs: number) => void;
  now?: Clock;
}

/**
 * Keeps the leader's lease alive: renews every ttl/3; a renewal that answers "not yours" loses the
 * lock at once; failing renewals are retried until the next one could no longer finish before the
 * guard, and then the lock counts as lost too. A renewal never waits past the guard.
 */
export class LeaseKeeper {
  private readonly timings: LeaseTimings;
  private readonly now: Clock;
  private validUntilMs: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly lock: LeadershipLock,
    /** When the lease began (see {@link waitForLeadership}), on the same clock as `now`. */
    acquiredAtMs: number,
    private readonly options: LeaseKeeperOptions,
  ) {
    this.timings = leaseTimings(lock.ttlMs);
    this.now = options.now ?? monotonic;
    this.validUntilMs = acquiredAtMs + lock.ttlMs;
  }

  /** The end of the lease as last confirmed by Redis, on the keeper's clock. */
  get validUntil(): number {
    return this.validUntilMs;
  }

  start(): void {
    this.schedule(this.timings.renewEveryMs);
  }

  /** Stops renewing (before releasing the lock on shutdown); onLost is not called after this. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.renew(), delayMs);
  }

  private async renew(): Promise<void> {
    const sentAt = this.now();
    const budgetMs = this.validUntilMs - this.timings.guardMs - sentAt;
    // A stalled event loop can wake us past the guard: the lease may be about to end.
    if (budgetMs <= 0) return this.lose('the lease ran too close to its end before it could be renewed');
    let renewed: boolean;
    try {
      renewed = await withTimeout(this.lock.renew(), budgetMs, () => new Error(`no answer within ${budgetMs} ms`));
    } catch (error) {
      if (this.stopped) return;
      const delay = retryDelayAfterFailureMs(this.now(), this.validUntilMs, this.timings);
      this.options.onRenewalError?.(error, this.validUntilMs - this.now());
      if (delay === undefined)
        return this.lose(`could not renew the lease before it runs out (${describeError(error)})`, error);
      return this.schedule(delay);
    }
    if (this.stopped) return;
    if (!renewed) return this.lose('the lock expired or another instance holds it');
    this.validUntilMs = sentAt + this.lock.ttlMs;
    this.schedule(this.timings.renewEveryMs);
  }

  private lose(reason: string, cause?: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.options.onLost(new LeadershipLostError(this.lock.instanceId, reason, cause));
  }
}
