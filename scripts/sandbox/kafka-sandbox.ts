// A real KRaft Kafka cluster on 127.0.0.1 for the demo and the integration/e2e tests: one
// dedicated controller, N brokers with two log dirs each, racks, and a JMX exporter per broker.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { ensureKafkaArtifacts, type KafkaArtifacts } from './artifacts.js';
import {
  brokerDefaults,
  brokerJvmFlags,
  JMX_EXPORTER_CONFIG,
  LOG4J1_CONFIG,
  LOG4J2_CONFIG,
  loggingFlags,
  newClusterId,
  properties,
} from './kafka-config.js';
import { type ClusterMetadata, probeMetadata, topicServedEverywhere } from './metadata-probe.js';
import { freePorts, isAlive, ProcessGroup, readGauge, tailOf, waitFor } from './processes.js';
import { consumeAndCount, produceMessages, type ProduceOptions, type ProduceResult } from './traffic.js';

const execFileAsync = promisify(execFile);

export interface KafkaSandboxOptions {
  /** Number of broker processes. @defaultValue 4 */
  brokers?: number;
  /** Number of racks; broker i goes to rack i mod racks. @defaultValue 2 */
  racks?: number;
  /** Kafka release to run. @defaultValue `KAFKA_VERSION` or {@link DEFAULT_KAFKA_VERSION} */
  kafkaVersion?: string;
  /** Id of the first broker; the rest follow. @defaultValue 0 */
  firstBrokerId?: number;
  /** Maximum heap per broker JVM. @defaultValue 512 */
  brokerHeapMb?: number;
  /** Extra server.properties entries for every broker. */
  brokerConfig?: Record<string, string>;
  /** Milliseconds to wait for the cluster to come up. @defaultValue 120000 */
  startTimeoutMs?: number;
}

export interface SandboxBroker {
  id: number;
  rack: string;
  host: string;
  port: number;
  /** The two JBOD data dirs; the metadata log lives apart so either can fail. */
  logDirs: string[];
  metricsUrl: string;
  /** Process id while running, undefined when stopped. */
  pid: number | undefined;
}

/** One JSON-serialisable description of the running sandbox, printed by `npm run sandbox`. */
export interface SandboxDescription {
  kafkaVersion: string;
  clusterId: string;
  bootstrapServers: string;
  controller: { id: number; host: string; port: number; pid: number | undefined };
  brokers: SandboxBroker[];
  dir: string;
}

interface NodeProcess {
  id: number;
  configFile: string;
  logFile: string;
  child: ChildProcess | undefined;
}

interface BrokerNode extends NodeProcess {
  rack: string;
  port: number;
  metricsPort: number;
  logDirs: string[];
}

const CONTROLLER_ID = 3000;
const HOST = '127.0.0.1';

export class KafkaSandbox {
  private readonly group: ProcessGroup;
  private readonly brokerNodes = new Map<number, BrokerNode>();
  private controller!: NodeProcess & { port: number };
  private adminClient: Admin | undefined;
  private readonly kafkaClient: Kafka;

  private constructor(
    private readonly artifacts: KafkaArtifacts,
    private readonly clusterId: string,
    private readonly options: Required<Omit<KafkaSandboxOptions, 'kafkaVersion'>>,
  ) {
    this.group = new ProcessGroup('ballast-kafka');
    this.kafkaClient = new Kafka({
      clientId: 'ballast-sandbox',
      brokers: () => this.brokerAddresses(),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  /** Fetches the jars if needed, formats storage and starts the controller and brokers. */
  static async start(options: KafkaSandboxOptions = {}): Promise<KafkaSandbox> {
    const brokers = options.brokers ?? 4;
    const racks = options.racks ?? 2;
    if (!Number.isInteger(brokers) || brokers < 1)
      throw new Error(`brokers must be a positive integer, got ${brokers}`);
    if (!Number.isInteger(racks) || racks < 1) throw new Error(`racks must be a positive integer, got ${racks}`);
    const artifacts = await ensureKafkaArtifacts(options.kafkaVersion);
    const sandbox = new KafkaSandbox(artifacts, newClusterId(), {
      brokers,
      racks,
      firstBrokerId: options.firstBrokerId ?? 0,
      brokerHeapMb: options.brokerHeapMb ?? 512,
      brokerConfig: options.brokerConfig ?? {},
      startTimeoutMs: options.startTimeoutMs ?? 120_000,
    });
    try {
      await sandbox.boot();
      return sandbox;
    } catch (error) {
      await sandbox.close();
      throw error;
    }
  }

  get kafkaVersion(): string {
    return this.artifacts.kafkaVersion;
  }

  /** Every broker's address, running or not, comma separated. */
  get bootstrapServers(): string {
    return this.brokerAddresses().join(',');
  }

  /** A kafkajs client bound to this cluster (log output silenced). */
  get kafka(): Kafka {
    return this.kafkaClient;
  }

  brokers(): SandboxBroker[] {
    return [...this.brokerNodes.values()].map((node) => this.describeBroker(node));
  }

  broker(id: number): SandboxBroker {
    return this.describeBroker(this.brokerNode(id));
  }

  describe(): SandboxDescription {
    return {
      kafkaVersion: this.artifacts.kafkaVersion,
      clusterId: this.clusterId,
      bootstrapServers: this.bootstrapServers,
      controller: { id: this.controller.id, host: HOST, port: this.controller.port, pid: this.pidOf(this.controller) },
      brokers: this.brokers(),
      dir: this.group.dir,
    };
  }

  /** A connected admin client, shared and closed with the sandbox. */
  async admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafkaClient.admin();
      await admin.connect();
      this.adminClient = admin;
    }
    return this.adminClient;
  }

  /** Ids of the brokers the cluster metadata lists right now (alive and unfenced). */
  async liveBrokerIds(): Promise<number[]> {
    return (await this.clusterMetadata()).brokers.map((b) => b.id);
  }

  /**
   * Brokers (with racks), controller, cluster id and the state of `topics`' partitions (leader,
   * ISR, offline replicas, per-partition errors), asked of the first running broker that answers.
   */
  async clusterMetadata(topics: string[] = []): Promise<ClusterMetadata> {
    let lastError: unknown = new Error('no broker is running');
    for (const node of this.brokerNodes.values()) {
      if (this.pidOf(node) === undefined) continue;
      try {
        return await probeMetadata(HOST, node.port, topics);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /** SIGKILL: the broker dies like a lost machine, without controlled shutdown. */
  async killBroker(id: number): Promise<void> {
    const node = this.brokerNode(id);
    if (node.child) await this.group.stop(node.child, 'SIGKILL', 10_000);
    node.child = undefined;
  }

  /** SIGTERM: controlled shutdown (leaders move away first), SIGKILL after `timeoutMs`. */
  async stopBroker(id: number, timeoutMs = 60_000): Promise<void> {
    const node = this.brokerNode(id);
    if (node.child) await this.group.stop(node.child, 'SIGTERM', timeoutMs);
    node.child = undefined;
  }

  /** Starts a stopped broker again with its old config and data, and waits until it registers. */
  async restartBroker(id: number): Promise<void> {
    const node = this.brokerNode(id);
    if (node.child && isAlive(node.child.pid ?? -1)) throw new Error(`broker ${id} is already running`);
    this.startJvm(node, this.options.brokerHeapMb, node.metricsPort);
    await this.waitForBrokers([id]);
  }

  /** Adds a broker with the next free id (rack chosen round-robin unless given) and waits for it. */
  async addBroker(rack?: string): Promise<SandboxBroker> {
    const id = Math.max(...this.brokerNodes.keys()) + 1;
    const node = await this.createBrokerNode(id, rack);
    await this.format([node]);
    this.startJvm(node, this.options.brokerHeapMb, node.metricsPort);
    await this.waitForBrokers([id]);
    return this.describeBroker(node);
  }

  /**
   * Makes log dir `dirIndex` of broker `id` fail the way a dead disk does: the directory
   * vanishes under the running broker (a plain file takes its place), so Kafka's next write
   * there fails with an I/O error and the broker takes the dir offline while it stays up.
   * Waits until the broker reports the dir offline through its OfflineLogDirectoryCount metric.
   */
  async failLogDir(id: number, dirIndex: number, timeoutMs = 60_000): Promise<string> {
    const node = this.brokerNode(id);
    const dir = node.logDirs[dirIndex];
    if (dir === undefined) throw new Error(`broker ${id} has no log dir #${dirIndex}`);
    const offlineBefore = await this.offlineLogDirCount(id);
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'simulated disk failure: this log dir was replaced by a file\n');
    await waitFor(
      `broker ${id} to report log dir ${dir} offline`,
      async () => ((await this.offlineLogDirCount(id)) > offlineBefore ? true : undefined),
      { timeoutMs, intervalMs: 500 },
    );
    return dir;
  }

  /** The broker's own OfflineLogDirectoryCount gauge, read from its JMX exporter. */
  async offlineLogDirCount(id: number): Promise<number> {
    return readGauge(this.broker(id).metricsUrl, 'kafka_log_LogManager_Value{name="OfflineLogDirectoryCount"}');
  }

  /**
   * Creates a topic. `assignment[p]` lists partition p's replicas, preferred leader first,
   * to build skew on purpose; otherwise Kafka places `partitions` × `replicationFactor`.
   */
  async createTopic(
    name: string,
    spec: {
      partitions?: number;
      replicationFactor?: number;
      assignment?: number[][];
      configs?: Record<string, string>;
    } = {},
  ): Promise<void> {
    const topic: ITopicConfig = { topic: name };
    if (spec.assignment) {
      topic.replicaAssignment = spec.assignment.map((replicas, partition) => ({ partition, replicas }));
    } else {
      topic.numPartitions = spec.partitions ?? 1;
      topic.replicationFactor = spec.replicationFactor ?? Math.min(3, this.brokerNodes.size);
    }
    if (spec.configs) topic.configEntries = Object.entries(spec.configs).map(([n, value]) => ({ name: n, value }));
    const admin = await this.admin();
    const created = await admin.createTopics({ topics: [topic], waitForLeaders: false, timeout: 30_000 });
    if (!created) throw new Error(`topic ${name} already exists`);
    // Wait until every running broker serves the topic with a leader per partition: metadata
    // reaches brokers asynchronously, and a client asking a late one would be told the topic is unknown.
    const ports = [...this.brokerNodes.values()].filter((n) => this.pidOf(n) !== undefined).map((n) => n.port);
    await waitFor(`topic ${name} to have leaders on every broker`, async () =>
      (await topicServedEverywhere(HOST, ports, name)) ? true : undefined,
    );
  }

  /** Produces `count` messages with acks=all; see {@link produceMessages}. */
  async produce(topic: string, count: number, options: ProduceOptions = {}): Promise<ProduceResult> {
    return produceMessages(this.kafkaClient, await this.admin(), topic, count, options);
  }

  /** Reads the whole topic back and counts what arrived; see {@link consumeAndCount}. */
  async consumeCount(topic: string, timeoutMs = 60_000): Promise<ProduceResult> {
    return consumeAndCount(this.kafkaClient, await this.admin(), topic, timeoutMs);
  }

  /** Kills every process and removes the sandbox's temp dir. Safe to call twice. */
  async close(): Promise<void> {
    try {
      await this.adminClient?.disconnect();
    } catch {
      // the cluster may already be gone
    }
    this.adminClient = undefined;
    await this.group.close();
  }

  /** Stops brokers gracefully, then the controller, then cleans up (used by the CLI on Ctrl-C). */
  async shutdownGracefully(timeoutMs = 30_000): Promise<void> {
    await Promise.all([...this.brokerNodes.keys()].map((id) => this.stopBroker(id, timeoutMs)));
    if (this.controller.child) await this.group.stop(this.controller.child, 'SIGTERM', timeoutMs);
    await this.close();
  }

  private async boot(): Promise<void> {
    const [controllerPort, controllerMetricsPort] = await freePorts(2);
    this.controller = {
      id: CONTROLLER_ID,
      port: controllerPort!,
      configFile: join(this.group.dir, 'controller', 'controller.properties'),
      logFile: join(this.group.dir, 'controller', 'controller.log'),
      child: undefined,
    };
    mkdirSync(join(this.group.dir, 'controller'), { recursive: true });
    writeFileSync(join(this.group.dir, 'log4j.properties'), LOG4J1_CONFIG);
    writeFileSync(join(this.group.dir, 'log4j2.properties'), LOG4J2_CONFIG);
    writeFileSync(join(this.group.dir, 'jmx-exporter.yaml'), JMX_EXPORTER_CONFIG);
    writeFileSync(
      this.controller.configFile,
      properties({
        'process.roles': 'controller',
        'node.id': String(CONTROLLER_ID),
        'controller.quorum.voters': this.quorumVoters(),
        listeners: `CONTROLLER://${HOST}:${controllerPort}`,
        'controller.listener.names': 'CONTROLLER',
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'log.dirs': join(this.group.dir, 'controller', 'metadata'),
        // Fence a dead broker after 6 s instead of 9 s, so failure tests run faster.
        'broker.session.timeout.ms': '6000',
      }),
    );
    const nodes: BrokerNode[] = [];
    for (let i = 0; i < this.options.brokers; i += 1) {
      nodes.push(await this.createBrokerNode(this.options.firstBrokerId + i));
    }
    await this.format([this.controller, ...nodes]);
    this.startJvm(this.controller, 256, controllerMetricsPort!);
    for (const node of nodes) this.startJvm(node, this.options.brokerHeapMb, node.metricsPort);
    await this.waitForBrokers(
      nodes.map((n) => n.id),
      this.options.startTimeoutMs,
    );
  }

  private quorumVoters(): string {
    return `${CONTROLLER_ID}@${HOST}:${this.controller.port}`;
  }

  private async createBrokerNode(id: number, rack?: string): Promise<BrokerNode> {
    const taken = [this.controller.port, ...[...this.brokerNodes.values()].flatMap((n) => [n.port, n.metricsPort])];
    const [port, metricsPort] = await freePorts(2, taken);
    const dir = join(this.group.dir, `broker-${id}`);
    const logDirs = [join(dir, 'data-0'), join(dir, 'data-1')];
    const rackName = rack ?? `rack-${String.fromCharCode(97 + (id % this.options.racks))}`;
    mkdirSync(dir, { recursive: true });
    const node: BrokerNode = {
      id,
      rack: rackName,
      port: port!,
      metricsPort: metricsPort!,
      logDirs,
      configFile: join(dir, 'server.properties'),
      logFile: join(dir, 'server.log'),
      child: undefined,
    };
    writeFileSync(
      node.configFile,
      properties({
        'process.roles': 'broker',
        'node.id': String(id),
        'broker.rack': rackName,
        'controller.quorum.voters': this.quorumVoters(),
        'controller.listener.names': 'CONTROLLER',
        listeners: `PLAINTEXT://${HOST}:${node.port}`,
        'advertised.listeners': `PLAINTEXT://${HOST}:${node.port}`,
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name': 'PLAINTEXT',
        'log.dirs': logDirs.join(','),
        // Metadata apart from the data dirs: a failed data dir must not take the broker down.
        'metadata.log.dir': join(dir, 'metadata'),
        ...brokerDefaults(this.options.brokers),
        ...this.options.brokerConfig,
      }),
    );
    this.brokerNodes.set(id, node);
    return node;
  }

  private async format(nodes: NodeProcess[]): Promise<void> {
    await Promise.all(
      nodes.map(async (node) => {
        try {
          await execFileAsync(
            'java',
            [
              ...loggingFlags(this.group.dir),
              ...brokerJvmFlags(256),
              '-cp',
              this.classpath(),
              'kafka.tools.StorageTool',
              'format',
              '-t',
              this.clusterId,
              '-c',
              node.configFile,
            ],
            { maxBuffer: 4 * 1024 * 1024 },
          );
        } catch (error) {
          const err = error as { stdout?: string; stderr?: string; code?: string };
          if (err.code === 'ENOENT') {
            throw new Error("'java' is not on PATH: the Kafka sandbox needs Java 17 or newer", { cause: error });
          }
          throw new Error(`formatting storage of node ${node.id} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`, {
            cause: error,
          });
        }
      }),
    );
  }

  private startJvm(node: NodeProcess, heapMb: number, metricsPort: number): void {
    const agent = `${this.artifacts.jmxAgentJar}=${HOST}:${metricsPort}:${join(this.group.dir, 'jmx-exporter.yaml')}`;
    const args = [...brokerJvmFlags(heapMb), ...loggingFlags(this.group.dir), `-javaagent:${agent}`];
    node.child = this.group.spawn(
      'java',
      [...args, '-cp', this.classpath(), 'kafka.Kafka', node.configFile],
      node.logFile,
    );
  }

  private classpath(): string {
    return join(this.artifacts.libsDir, '*');
  }

  private async waitForBrokers(ids: number[], timeoutMs = 90_000): Promise<void> {
    await waitFor(
      `brokers ${ids.join(', ')} to register with the controller`,
      async () => {
        for (const node of [this.controller, ...ids.map((id) => this.brokerNode(id))]) {
          if (!node.child || node.child.exitCode !== null || node.child.signalCode !== null) {
            throw new DeadNodeError(`node ${node.id} exited during start-up; last log lines:\n${tailOf(node.logFile)}`);
          }
        }
        const live = new Set(await this.liveBrokerIds());
        return ids.every((id) => live.has(id)) ? true : undefined;
      },
      { timeoutMs, intervalMs: 500, failFast: (error) => error instanceof DeadNodeError },
    );
  }

  private brokerNode(id: number): BrokerNode {
    const node = this.brokerNodes.get(id);
    if (!node) throw new Error(`no broker ${id} in this sandbox (brokers: ${[...this.brokerNodes.keys()].join(', ')})`);
    return node;
  }

  private brokerAddresses(): string[] {
    return [...this.brokerNodes.values()].map((n) => `${HOST}:${n.port}`);
  }

  private pidOf(node: NodeProcess): number | undefined {
    const child = node.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  private describeBroker(node: BrokerNode): SandboxBroker {
    return {
      id: node.id,
      rack: node.rack,
      host: HOST,
      port: node.port,
      logDirs: [...node.logDirs],
      metricsUrl: `http://${HOST}:${node.metricsPort}/metrics`,
      pid: this.pidOf(node),
    };
  }
}

class DeadNodeError extends Error {}
