// The one kafkajs client of the service. For now it answers the questions the health and state
// endpoints ask; the full gateway (snapshots, reassignments, log dirs, configs) is built on it.
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type logCreator } from 'kafkajs';
import { describeError, withTimeout } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaUnavailableError } from './kafka.errors.js';

export interface ClusterIdentity {
  clusterId: string;
  /** Broker id of the active controller as brokers report it; null when none is known. */
  controllerId: number | null;
  brokers: { id: number; host: string; port: number }[];
}

export interface PartitionCount {
  topics: number;
  partitions: number;
}

@Injectable()
export class KafkaConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  private readonly kafka: Kafka;
  private adminClient: Promise<Admin> | undefined;

  constructor(private readonly config: BallastConfig) {
    const { bootstrapServers, clientId, connectionTimeoutMs, requestTimeoutMs } = config.kafka;
    this.kafka = new Kafka({
      clientId,
      brokers: [...bootstrapServers],
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: logLevel.WARN,
      logCreator: this.logCreator,
    });
  }

  /** Brokers currently in the cluster metadata, the controller and the cluster id. */
  async describeCluster(timeoutMs: number): Promise<ClusterIdentity> {
    const { brokers, controller, clusterId } = await this.call('describe the cluster', timeoutMs, (admin) =>
      admin.describeCluster(),
    );
    return {
      clusterId,
      controllerId: controller,
      brokers: brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.id - b.id),
    };
  }

  /** Number of topics and partitions in the cluster, internal topics included. */
  async countPartitions(timeoutMs: number): Promise<PartitionCount> {
    const { topics } = await this.call('read topic metadata', timeoutMs, (admin) => admin.fetchTopicMetadata());
    return { topics: topics.length, partitions: topics.reduce((sum, t) => sum + t.partitions.length, 0) };
  }

  async onApplicationShutdown(): Promise<void> {
    const pending = this.adminClient;
    this.adminClient = undefined;
    if (pending) await pending.then((admin) => admin.disconnect()).catch(() => undefined);
  }

  private async call<T>(what: string, timeoutMs: number, fn: (admin: Admin) => Promise<T>): Promise<T> {
    const servers = this.config.kafka.bootstrapServers;
    try {
      return await withTimeout(
        this.admin().then(fn),
        timeoutMs,
        () => new KafkaUnavailableError(servers, `no answer within ${timeoutMs} ms to ${what}`),
      );
    } catch (error) {
      if (error instanceof KafkaUnavailableError) throw error;
      throw new KafkaUnavailableError(servers, `could not ${what}: ${describeError(error)}`, error);
    }
  }

  private admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafka.admin();
      // A failed connect is forgotten so that the next call tries again.
      this.adminClient = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.adminClient = undefined;
          throw error;
        },
      );
    }
    return this.adminClient;
  }

  private readonly logCreator: logCreator =
    () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const line = { msg: `kafkajs: ${message}`, ...extra };
      if (level === logLevel.ERROR) this.logger.error(line);
      else if (level === logLevel.WARN) this.logger.warn(line);
      else this.logger.debug(line);
    };
}
