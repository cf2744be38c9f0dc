// The anomaly detector's state in Redis: one JSON value under `<keyPrefix>:detector:state`,
// rewritten every detection cycle. Redis errors are RedisUnavailableError with what was being done.
import { Injectable } from '@nestjs/common';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { redactUrl, RedisConnection, RedisUnavailableError } from '../redis/index.js';
import { DetectorStore, type PersistedDetectorState } from './detector-store.js';

@Injectable()
export class RedisDetectorStore extends DetectorStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: BallastConfig,
  ) {
    super();
    this.key = `${config.redis.keyPrefix}:detector:state`;
  }

  async load(): Promise<PersistedDetectorState | null> {
    const client = await this.redis.connected();
    try {
      const text = await client.get(this.key);
      return text === null ? null : (JSON.parse(text) as PersistedDetectorState);
    } catch (error) {
      throw new RedisUnavailableError(
        redactUrl(this.config.redis.url),
        `reading ${this.key}: ${describeError(error)}`,
        error,
      );
    }
  }

  async save(state: PersistedDetectorState): Promise<void> {
    const client = await this.redis.connected();
    try {
      await client.set(this.key, JSON.stringify(state));
    } catch (error) {
      throw new RedisUnavailableError(
        redactUrl(this.config.redis.url),
        `saving ${this.key}: ${describeError(error)}`,
        error,
      );
    }
  }
}
