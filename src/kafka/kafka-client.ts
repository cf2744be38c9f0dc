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
export interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string | number }): Promise<KafkajsBroker>;
  findControllerBroker(): Promise<KafkajsBroker>;
  /** kafkajs's cached metadata: which brokers it knows and which one it names controller. */
  brokerPool: { getNodeIds(): string[]; metadata: { controllerId: number | null } | null };
}

export type { KafkajsBroker };

/** How long a request may take and how often it is tried. */
export interface RequestOptions {
  /** Further attempts after a connection failure or a retriable error; for reads. @defaultValue 0 */
  retries?: number;
  /** Longest all attempts together may take. @defaultValue `kafka.requestTimeoutMs` for each attempt */
  timeoutMs?: number;
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
  /** Brokers whose last request went unanswered, with when: asked last by {@link withAnyBroker}. */
  private readonly unanswered = new Map<number, number>();

  /** `createCluster` replaces kafkajs's own cluster, for tests of what this layer does with it. */
  constructor(
    private readonly settings: KafkaSettings,
    log: logCreator,
    private readonly createCluster?: () => KafkajsCluster,
  ) {
    this.kafka = new Kafka(kafkajsOptions(settings, log));
  }

  get bootstrapServers(): readonly string[] {
    return this.settings.bootstrapServers;
  }

  /** How long one broker may take over its part of a snapshot (`kafka.brokerTimeoutMs`). */
  get brokerTimeoutMs(): number {
    return this.settings.brokerTimeoutMs;
  }

  /**
   * Sends one request to broker `target` (or to the broker the cluster names controller, which
   * under KRaft forwards controller requests) and returns the decoded response. Reads may pass
   * `retries`: connection failures and retriable errors are then retried with backoff.
   */
  async send<T>(
    target: number | 'controller',
    spec: ApiSpec,
    request: ProtocolRequest<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.withBroker(
      target,
      `${spec.apiName} to ${target === 'controller' ? 'the controller' : `broker ${target}`}`,
      options,
      (broker) => sendChecked(broker, spec, request),
    );
  }

  /** A kafkajs Broker for its built-in requests (DescribeConfigs, ListPartitionReassignments). */
  async withBroker<T>(
    target: number | 'controller',
    what: string,
    options: RequestOptions,
    fn: (broker: KafkajsBroker) => Promise<T>,
  ): Promise<T> {
    try {
      const answer = await this.withRetries(what, options, async () => fn(await this.broker(target)));
      if (target !== 'controller') this.unanswered.delete(target);
      return answer;
    } catch (error) {
      if (target !== 'controller' && error instanceof KafkaUnavailableError) this.unanswered.set(target, Date.now());
      throw error;
    }
  }

  /**
   * For a request any broker can answer (Metadata; under KRaft also the controller requests every
   * broker forwards): asks the broker kafkajs names controller, then each other broker it knows,
   * each for `options`, until one answers. Brokers that did not answer lately are asked last, so
   * one registered broker that is stopped or cut off costs a snapshot one timeout, not every read.
   * Only a broker that does not answer (or cannot be reached) passes the request on; an error
   * answer is thrown as it is.
   */
  async withAnyBroker<T>(what: string, options: RequestOptions, fn: (broker: KafkajsBroker) => Promise<T>): Promise<T> {
    const candidates = await this.candidates(options.timeoutMs ?? this.settings.requestTimeoutMs);
    let lastError: unknown;
    for (const target of candidates) {
      try {
        return await this.withBroker(target, `${what} (broker ${target})`, options, fn);
      } catch (error) {
        if (!(error instanceof KafkaUnavailableError)) throw error;
        lastError = error;
      }
    }
    const reason = lastError === undefined ? `no broker known to send ${what} to` : `no broker answered ${what}`;
    throw new KafkaUnavailableError(this.bootstrapServers, reason, lastError);
  }

  /** {@link send} to whichever broker answers first, as {@link withAnyBroker} picks them. */
  async sendToAnyBroker<T>(spec: ApiSpec, request: ProtocolRequest<T>, options: RequestOptions = {}): Promise<T> {
    return this.withAnyBroker(spec.apiName, options, (broker) => sendChecked(broker, spec, request));
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

  /** Broker ids to try, in order: the controller, the rest by id, those that did not answer last (oldest miss first). */
  private async candidates(timeoutMs: number): Promise<number[]> {
    const cluster = await this.connected();
    const known = (): number[] => cluster.brokerPool.getNodeIds().map(Number);
    // Right after connecting kafkajs knows only its seed broker, without an id.
    if (known().length === 0)
      await withTimeout(cluster.refreshMetadata(), timeoutMs, () => new Error('no metadata')).catch(() => undefined);
    const controllerId = cluster.brokerPool.metadata?.controllerId ?? null;
    const missedAt = (id: number) => this.unanswered.get(id) ?? -1;
    return [...new Set(known())].sort(
      (a, b) => missedAt(a) - missedAt(b) || Number(b === controllerId) - Number(a === controllerId) || a - b,
    );
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
      if (!factory && !this.createCluster) throw new Error('kafkajs internals changed: cannot create a cluster');
      const create = (this.kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[factory!]!;
      const cluster = this.createCluster?.() ?? create({ metadataMaxAge: 30_000, allowAutoTopicCreation: false });
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

  /**
   * Tries `fn` up to 1 + `retries` times; each attempt is bounded by `kafka.requestTimeoutMs` and,
   * with `timeoutMs`, all of them together (backoff and metadata refreshes included): kafkajs alone
   * would wait for a broker that accepts connections but never answers (a stopped process).
   */
  private async withRetries<T>(what: string, options: RequestOptions, fn: () => Promise<T>): Promise<T> {
    const retries = options.retries ?? 0;
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const left = () => deadline - Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const timeoutMs = Math.max(1, Math.min(this.settings.requestTimeoutMs, left()));
      try {
        return await withTimeout(
          fn(),
          timeoutMs,
          () => new KafkaUnavailableError(this.bootstrapServers, `no answer within ${timeoutMs} ms to ${what}`),
        );
      } catch (error) {
        if (error instanceof UnsupportedKafkaVersionError) throw error;
        const retryable = error instanceof KafkaUnavailableError || isRetriableKafkajsError(error);
        const backoffMs = Math.min(200 * 2 ** attempt, 2_000);
        if (!retryable || attempt >= retries || left() <= backoffMs) {
          throw toBallastError(error, what, this.bootstrapServers);
        }
        await new Promise((r) => setTimeout(r, backoffMs));
        // The refresh may itself be sent to the broker that does not answer.
        const refreshMs = Math.max(1, Math.min(this.settings.requestTimeoutMs, left()));
        await withTimeout(this.refresh(), refreshMs, () => new Error('refresh timed out')).catch(() => undefined);
      }
    }
  }
}

/** Sends `request` to `broker` after checking that the broker serves its version. */
async function sendChecked<T>(broker: KafkajsBroker, spec: ApiSpec, request: ProtocolRequest<T>): Promise<T> {
  const supported = broker.versions?.[spec.apiKey];
  if (supported && (spec.apiVersion < supported.minVersion || spec.apiVersion > supported.maxVersion)) {
    throw new UnsupportedKafkaVersionError(spec.apiName, spec.apiVersion, spec.sinceKafka, broker.nodeId);
  }
  return broker.connectionPool.send(request);
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
