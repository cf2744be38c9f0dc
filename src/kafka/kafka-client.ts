// The connection layer under the gateway: one kafkajs cluster (its pooled, authenticated broker
// connections), requests addressed to a chosen broker, version checks, timeouts and retries.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import { describeError, withTimeout } from '../common/index.js';
import type { BallastConfigValues } from '../config/index.js';
import {
  KafkaRequestError,
  KafkaUnavailableError,
  NotControllerError,
  UnsupportedKafkaVersionError,
} from './kafka.errors.js';
import type { ApiSpec, ProtocolRequest } from './protocol/index.js';

/** The slice of kafkajs's internal Broker that Ballast uses. */
interface KafkajsBroker {
  nodeId: number;
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  connectionPool: { send<T>(request: ProtocolRequest<T>): Promise<T> };
  describeConfigs(args: {
    resources: { type: number; name: string; configNames?: string[] }[];
    includeSynonyms?: boolean;
  }): Promise<DescribeConfigsResponse>;
  listPartitionReassignments(args: { topics: null; timeout: number }): Promise<ListReassignmentsResponse>;
}

export interface DescribeConfigsResponse {
  resources: {
    errorCode: number;
    resourceType: number;
    resourceName: string;
    configEntries: { configName: string; configValue: string | null; configSource?: number; isDefault?: boolean }[];
  }[];
}

export interface ListReassignmentsResponse {
  topics: {
    name: string;
    partitions: { partition: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[];
  }[];
}

/** The slice of kafkajs's internal Cluster that Ballast uses. */
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string | number }): Promise<KafkajsBroker>;
  findControllerBroker(): Promise<KafkajsBroker>;
}

type KafkaSettings = BallastConfigValues['kafka'];

/** kafkajs options from Ballast's config, TLS files read once here. */
export function kafkajsOptions(settings: KafkaSettings, log: logCreator): KafkaConfig {
  const { tls, sasl } = settings;
  const options: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.bootstrapServers],
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: log,
  };
  if (tls.enabled) {
    options.ssl = {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.caFile ? { ca: [readFileSync(tls.caFile, 'utf8')] } : {}),
      ...(tls.certFile ? { cert: readFileSync(tls.certFile, 'utf8') } : {}),
      ...(tls.keyFile ? { key: readFileSync(tls.keyFile, 'utf8') } : {}),
    };
  }
  if (sasl.mechanism !== 'none') {
    options.sasl = { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
  }
  return options;
}

export class KafkaClient {
  private readonly kafka: Kafka;
  private cluster: Promise<KafkajsCluster> | undefined;

  constructor(
    private readonly settings: KafkaSettings,
    log: logCreator,
  ) {
    this.kafka = new Kafka(kafkajsOptions(settings, log));
  }

  get bootstrapServers(): readonly string[] {
    return this.settings.bootstrapServers;
  }

  /**
   * Sends one request to broker `target` (or to the broker the cluster names controller, which
   * under KRaft forwards controller requests) and returns the decoded response. Reads may pass
   * `retries`: connection failures and retriable errors are then retried with backoff.
   */
  async send<T>(target: number | 'controller', spec: ApiSpec, request: ProtocolRequest<T>, retries = 0): Promise<T> {
    return this.withRetries(
      `${spec.apiName} to ${target === 'controller' ? 'the controller' : `broker ${target}`}`,
      retries,
      async () => {
        const broker = await this.broker(target);
        const supported = broker.versions?.[spec.apiKey];
        if (supported && (spec.apiVersion < supported.minVersion || spec.apiVersion > supported.maxVersion)) {
          throw new UnsupportedKafkaVersionError(spec.apiName, spec.apiVersion, spec.sinceKafka, broker.nodeId);
        }
        return broker.connectionPool.send(request);
      },
    );
  }

  /** A kafkajs Broker for its built-in requests (DescribeConfigs, ListPartitionReassignments). */
  async withBroker<T>(
    target: number | 'controller',
    what: string,
    retries: number,
    fn: (broker: KafkajsBroker) => Promise<T>,
  ): Promise<T> {
    return this.withRetries(what, retries, async () => fn(await this.broker(target)));
  }

  /** Fresh metadata so that broker lookups see brokers that joined or left. */
  async refresh(): Promise<void> {
    await (await this.connected()).refreshMetadata();
  }

  async close(): Promise<void> {
    const pending = this.cluster;
    this.cluster = undefined;
    if (pending) await pending.then((c) => c.disconnect()).catch(() => undefined);
  }

  private async broker(target: number | 'controller'): Promise<KafkajsBroker> {
    const cluster = await this.connected();
    return target === 'controller' ? cluster.findControllerBroker() : cluster.findBroker({ nodeId: target });
  }

  private connected(): Promise<KafkajsCluster> {
    if (!this.cluster) {
      // kafkajs builds its clusters privately; the admin client's factory is reached through its
      // symbol so that every kafkajs option (TLS, SASL, retries, logging) is applied its own way.
      const factory = Object.getOwnPropertySymbols(this.kafka).find(
        (s) => s.description === 'private:Kafka:createCluster',
      );
      if (!factory) throw new Error('kafkajs internals changed: cannot create a cluster');
      const create = (this.kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[factory]!;
      const cluster = create({ metadataMaxAge: 30_000, allowAutoTopicCreation: false });
      this.cluster = cluster.connect().then(
        () => cluster,
        (error: unknown) => {
          this.cluster = undefined;
          throw error;
        },
      );
    }
    return this.cluster;
  }

  private async withRetries<T>(what: string, retries: number, fn: () => Promise<T>): Promise<T> {
    const timeoutMs = this.settings.requestTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await withTimeout(
          fn(),
          timeoutMs,
          () => new KafkaUnavailableError(this.bootstrapServers, `no answer within ${timeoutMs} ms to ${what}`),
        );
      } catch (error) {
        if (error instanceof UnsupportedKafkaVersionError) throw error;
        const retryable = error instanceof KafkaUnavailableError || isRetriableKafkajsError(error);
        if (!retryable || attempt >= retries) throw toBallastError(error, what, this.bootstrapServers);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 2_000)));
        await this.refresh().catch(() => undefined);
      }
    }
  }
}

function isRetriableKafkajsError(error: unknown): boolean {
  const e = error as { name?: string; retriable?: boolean };
  return e?.retriable === true || e?.name === 'KafkaJSConnectionError' || e?.name === 'KafkaJSBrokerNotFound';
}

function toBallastError(error: unknown, what: string, servers: readonly string[]): Error {
  if (error instanceof KafkaUnavailableError || error instanceof KafkaRequestError) return error;
  const e = error as { name?: string; type?: string };
  if (e?.name === 'KafkaJSProtocolError' && e.type === 'NOT_CONTROLLER') return new NotControllerError(what, error);
  if (e?.name === 'KafkaJSProtocolError' && e.type) {
    return new KafkaRequestError(what, e.type, describeError(error), error);
  }
  return new KafkaUnavailableError(servers, `could not ${what}: ${describeError(error)}`, error);
}
