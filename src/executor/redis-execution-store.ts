// The execution kept in Redis (one JSON value, rewritten on every step), so a restarted Ballast
// resumes or finishes it. Redis errors are RedisUnavailableError with what was being done.
import { Injectable } from '@nestjs/common';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { redactUrl, RedisConnection, RedisUnavailableError } from '../redis/index.js';
import { ExecutionStore, upgradedRecord, type ExecutionRecord } from './execution-record.js';

@Injectable()
export class RedisExecutionStore extends ExecutionStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: BallastConfig,
  ) {
    super();
    this.key = `${config.redis.keyPrefix}:executor:execution`;
  }

  async load(): Promise<ExecutionRecord | null> {
    const client = await this.redis.connected();
    try {
      const text = await client.get(this.key);
      return text === null ? null : upgradedRecord(JSON.parse(text) as ExecutionRecord);
    } catch (error) {
      throw new RedisUnavailableError(
        redactUrl(this.config.redis.url),
        `reading ${this.key}: ${describeError(error)}`,
        error,
      );
    }
  }

  override async exists(): Promise<boolean> {
    const client = await this.redis.connected();
    try {
      return (await client.exists(this.key)) === 1;
    } catch (error) {
      throw new RedisUnavailableError(
        redactUrl(this.config.redis.url),
        `checking ${this.key}: ${describeError(error)}`,
        error,
      );
    }
  }

  async save(record: ExecutionRecord): Promise<void> {
    const client = await this.redis.connected();
    try {
      await client.set(this.key, JSON.stringify(record));
    } catch (error) {
      throw new RedisUnavailableError(
        redactUrl(this.config.redis.url),
        `saving execution ${record.id} (status ${record.status}) to ${this.key}: ${describeError(error)}`,
        error,
      );
    }
  }
}
