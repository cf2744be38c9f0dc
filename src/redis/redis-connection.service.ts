// The shared Redis connection for Ballast's own commands. BullMQ opens its own connections
// (workers need blocking ones); this one serves state reads and health checks.
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { describeError, withTimeout } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { RedisUnavailableError } from './redis.errors.js';

@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis;
  private lastErrorLoggedAt = 0;

  constructor(private readonly config: BallastConfig) {
    this.client = new Redis(config.redis.url, {
      lazyConnect: true,
      connectionName: 'ballast',
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    });
    this.client.on('error', (error: Error) => {
      // ioredis repeats the same connection error on every retry: log it at most every 30 s.
      const now = Date.now();
      if (now - this.lastErrorLoggedAt > 30_000) {
        this.lastErrorLoggedAt = now;
        this.logger.warn({
          msg: 'Redis connection error',
          error: error.message,
          url: redactUrl(this.config.redis.url),
        });
      }
    });
  }

  /** The client, connected on first use; a connection failure is a {@link RedisUnavailableError}. */
  async connected(): Promise<Redis> {
    try {
      if (this.client.status === 'wait') await this.client.connect();
      return this.client;
    } catch (error) {
      throw new RedisUnavailableError(redactUrl(this.config.redis.url), describeError(error), error);
    }
  }

  /** Round-trip time of a PING in milliseconds. */
  async ping(timeoutMs: number): Promise<number> {
    const url = redactUrl(this.config.redis.url);
    const started = performance.now();
    try {
      const roundTrip = async (): Promise<void> => {
        if (this.client.status === 'wait') await this.client.connect();
        await this.client.ping();
      };
      await withTimeout(roundTrip(), timeoutMs, () => new RedisUnavailableError(url, `no PONG within ${timeoutMs} ms`));
      return performance.now() - started;
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      throw new RedisUnavailableError(url, describeError(error), error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client.status === 'wait' || this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
