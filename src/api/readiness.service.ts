// Liveness and readiness: the service is ready when Kafka and Redis both answer.
import { Injectable } from '@nestjs/common';
import { describeError, withTimeout } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaGateway, KafkaUnavailableError } from '../kafka/index.js';
import { RedisConnection } from '../redis/index.js';

export interface DependencyCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: { kafka: DependencyCheck; redis: DependencyCheck };
}

@Injectable()
export class ReadinessService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: BallastConfig,
    private readonly kafka: KafkaGateway,
    private readonly redis: RedisConnection,
  ) {}

  liveness(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  async readiness(): Promise<ReadinessReport> {
    const timeoutMs = this.config.api.readinessTimeoutMs;
    const [kafka, redis] = await Promise.all([
      timed(async () => {
        const cluster = await withTimeout(
          this.kafka.clusterSummary(),
          timeoutMs,
          () => new KafkaUnavailableError(this.config.kafka.bootstrapServers, `no metadata within ${timeoutMs} ms`),
        );
        return { clusterId: cluster.clusterId, brokers: cluster.brokers.length, controllerId: cluster.controllerId };
      }),
      timed(async () => {
        await this.redis.ping(timeoutMs);
        return {};
      }),
    ]);
    return { status: kafka.ok && redis.ok ? 'ready' : 'not_ready', checks: { kafka, redis } };
  }
}

async function timed(check: () => Promise<Record<string, unknown>>): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    const details = await check();
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...details };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: describeError(error) };
  }
}
