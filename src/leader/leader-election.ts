// Hot standby for the process entry (main.ts): wait for the leader lock in Redis while serving
// the standby endpoints, then keep the lease alive while the application runs, and give the lock
// back on shutdown. The lock has its own Redis connection: Nest's does not exist yet while waiting.
import type { LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { describeError } from '../common/index.js';
import type { BallastConfigValues } from '../config/index.js';
import { LeaderLock, leaderLockKey, newInstanceId, redactUrl } from '../redis/index.js';
import type { LeadershipLostError } from './leader.errors.js';
import { LeaseKeeper, waitForLeadership } from './lease.js';
import { StandbyServer } from './standby-server.js';

const CONTEXT = 'Leader';
// Redis errors repeat on every reconnect attempt: log them at most this often.
const ERROR_LOG_INTERVAL_MS = 30_000;

export interface AcquireOptions {
  /** Aborting stops the wait (SIGTERM while standing by). */
  signal: AbortSignal;
  /** Certificate and key when the API is served over HTTPS, so probes reach the standby too. */
  https?: { cert: Buffer; key: Buffer };
  /** Called once if the lock is lost after it was acquired. */
  onLost: (error: LeadershipLostError) => void;
}

export class LeaderElection {
  private keeper: LeaseKeeper | undefined;
  private lastErrorLoggedAt = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly lock: LeaderLock,
    private readonly config: BallastConfigValues,
    private readonly logger: LoggerService,
  ) {}

  static create(config: BallastConfigValues, logger: LoggerService): LeaderElection {
    const redis = new Redis(config.redis.url, {
      lazyConnect: true,
      connectionName: 'ballast-leader',
      // Fail commands fast while Redis is away or silent: the lease keeper decides how long it can
      // wait, and a standby must notice SIGTERM between attempts.
      maxRetriesPerRequest: 1,
      commandTimeout: Math.floor(config.leaderElection.ttlMs / 3),
      connectTimeout: Math.min(5_000, config.leaderElection.ttlMs),
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    const { keyPrefix } = config.redis;
    const lock = new LeaderLock(redis, leaderLockKey(keyPrefix), newInstanceId(), config.leaderElection.ttlMs);
    const election = new LeaderElection(redis, lock, config, logger);
    redis.on('error', (error: Error) => election.logRedisError(error));
    return election;
  }

  get instanceId(): string {
    return this.lock.instanceId;
  }

  /**
   * Serves the standby endpoints on the API's address and tries to take the lock every
   * leaderElection.retryIntervalMs; the standby server is closed once it resolves or throws.
   * Once the lock is ours the lease is renewed until {@link resign}; `onLost` is called once if
   * it is lost, and the caller must stop acting at once.
   * @throws LeadershipWaitAbortedError when `signal` aborts (SIGTERM while standing by).
   */
  async acquire(options: AcquireOptions): Promise<void> {
    const { signal, https, onLost } = options;
    let leader: string | null = null;
    const { host, port } = this.config.server;
    const standby = await StandbyServer.start({ host, port, https, leader: () => leader });
    this.logger.log(
      {
        msg: 'standing by for the leader lock',
        instanceId: this.instanceId,
        key: this.lock.key,
        port: standby.port,
        ttlMs: this.lock.ttlMs,
      },
      CONTEXT,
    );
    let acquiredAt: number;
    try {
      acquiredAt = await waitForLeadership(this.lock, {
        retryIntervalMs: this.config.leaderElection.retryIntervalMs,
        signal,
        onStandby: ({ holder, error }) => {
          if (error !== undefined) {
            // Redis does not answer: the leader is unknown, not the last one seen.
            leader = null;
            return this.logRedisError(error);
          }
          if (holder !== leader)
            this.logger.log({ msg: 'standby: leader lock held', instanceId: this.instanceId, leader: holder }, CONTEXT);
          leader = holder;
        },
      });
    } finally {
      await standby.close();
    }
    this.logger.log({ msg: 'acquired leadership', instanceId: this.instanceId, key: this.lock.key }, CONTEXT);
    // Renew from now on, during the application's start-up too: it can outlast a lease.
    this.keeper = new LeaseKeeper(this.lock, acquiredAt, {
      onLost,
      onRenewalError: (error, remainingMs) => {
        this.logger.warn(
          { msg: 'could not renew the leader lock', error: describeError(error), remainingMs: Math.round(remainingMs) },
          CONTEXT,
        );
      },
    });
    this.keeper.start();
  }

  /** Stops renewing, gives the lock back if it is still ours, and closes the lock's connection. */
  async resign(): Promise<void> {
    const keeper = this.keeper;
    this.keeper = undefined;
    keeper?.stop();
    if (keeper !== undefined) {
      const released = await this.lock.release().catch((error: unknown) => {
        this.logger.warn(
          { msg: 'could not release the leader lock; it expires by itself', error: describeError(error) },
          CONTEXT,
        );
        return false;
      });
      if (released) this.logger.log({ msg: 'released the leader lock', instanceId: this.instanceId }, CONTEXT);
    }
    if (this.redis.status === 'wait' || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private logRedisError(error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLoggedAt = now;
    this.logger.warn(
      { msg: 'leader lock: Redis error', error: describeError(error), url: redactUrl(this.config.redis.url) },
      CONTEXT,
    );
  }
}
