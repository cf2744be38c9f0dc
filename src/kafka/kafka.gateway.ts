// The one interface through which Ballast reads and changes a Kafka cluster. Two implementations:
// KafkajsGateway (real brokers) and InMemoryGateway (unit tests of pure logic).
import type { BrokerInfo, ClusterSnapshot, TopicConfigs } from './cluster-snapshot.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** Outcome of one partition (or resource) in a batch action; nothing is silently dropped. */
export interface ActionResult {
  ok: boolean;
  /** Kafka's error name (e.g. NO_REASSIGNMENT_IN_PROGRESS) or Ballast's (e.g. UNSAFE_CANCELLATION). */
  error?: string;
  message?: string;
}

export type PartitionResult = TopicPartition & ActionResult;

export interface ReassignmentTarget extends TopicPartition {
  /** New replica list, preferred leader first. */
  replicas: number[];
}

export interface LogDirMove extends TopicPartition {
  brokerId: number;
  /** Absolute path of the destination log dir on that broker. */
  logDir: string;
}

export type ConfigOperation = 'SET' | 'DELETE' | 'APPEND' | 'SUBTRACT';

export interface ConfigChange {
  resource: { type: 'broker'; brokerId: number } | { type: 'topic'; topic: string };
  name: string;
  operation: ConfigOperation;
  /** Required for SET, APPEND, SUBTRACT; ignored for DELETE. */
  value?: string;
}

export type ConfigChangeResult = ConfigChange & ActionResult;

export interface SnapshotOptions {
  /** Only topics whose name matches. Internal topics are included when they match. */
  topicPattern?: RegExp;
}

/** Identity and size of the cluster, cheap enough for health checks. */
export interface ClusterSummary {
  clusterId: string | null;
  controllerId: number | null;
  /** Alive brokers only. */
  brokers: BrokerInfo[];
  topics: number;
  partitions: number;
}

export abstract class KafkaGateway {
  /** Alive brokers, controller, topic and partition counts. Implementations may answer from metadata alone. */
  async clusterSummary(): Promise<ClusterSummary> {
    const snapshot = await this.snapshot();
    return {
      clusterId: snapshot.clusterId,
      controllerId: snapshot.controllerId,
      brokers: snapshot.brokers.filter((b) => b.alive),
      topics: snapshot.topics.length,
      partitions: snapshot.partitions.length,
    };
  }

  /** Reads brokers, topics, partitions, log dirs, reassignments and throttle configs. */
  abstract snapshot(options?: SnapshotOptions): Promise<ClusterSnapshot>;

  /**
   * The configs of `topics` as broker `brokerId` has applied them (DescribeConfigs sent to it).
   * Under KRaft a change reaches each broker through the metadata log on its own time. This default
   * answers from a snapshot, for gateways where every broker sees the same.
   */
  async topicConfigsOn(brokerId: number, topics: readonly string[]): Promise<Map<string, TopicConfigs>> {
    void brokerId;
    const wanted = new Set(topics);
    const snapshot = await this.snapshot();
    return new Map(snapshot.topics.filter((t) => wanted.has(t.name)).map((t) => [t.name, t.configs]));
  }

  /** Starts reassignments (AlterPartitionReassignments); per-partition results. */
  abstract reassign(targets: ReassignmentTarget[]): Promise<PartitionResult[]>;

  /**
   * Cancels reassignments in progress, restoring the original replica set. Kafka (KRaft) does not
   * restore its order: the replicas being removed are appended after the kept ones, so a caller
   * that needs the original preferred leader reorders with {@link reassign}. A partition whose
   * original replicas are not all alive is refused (UNSAFE_CANCELLATION, KAFKA-14424): cancelling
   * it could leave it without a leader.
   */
  abstract cancelReassignments(partitions: TopicPartition[]): Promise<PartitionResult[]>;

  /** Preferred leader election (ElectLeaders, PREFERRED); per-partition results. */
  abstract electPreferredLeaders(partitions: TopicPartition[]): Promise<PartitionResult[]>;

  /** Moves replicas between log dirs of their broker (AlterReplicaLogDirs); per-partition results. */
  abstract moveReplicasBetweenLogDirs(moves: LogDirMove[]): Promise<PartitionResult[]>;

  /**
   * Incremental config changes (IncrementalAlterConfigs), never AlterConfigs; per-change results.
   * Under KRaft an acknowledged change reaches the brokers through the metadata log, so a
   * snapshot taken right after may still show the old value for a moment.
   */
  abstract alterConfigs(changes: ConfigChange[]): Promise<ConfigChangeResult[]>;
}
