// Anomalies as plain data: Cruise Control's anomaly types and names, what each detector found, and
// the first-seen times every threshold counts from (persisted so a restart keeps them). Pure.

/** Cruise Control's anomaly types, in its priority order (a broker failure is healed first). */
export const ANOMALY_TYPES = [
  'BROKER_FAILURE',
  'MAINTENANCE_EVENT',
  'DISK_FAILURE',
  'METRIC_ANOMALY',
  'GOAL_VIOLATION',
  'TOPIC_ANOMALY',
] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** The types this Ballast detects; MAINTENANCE_EVENT is not built. */
export const DETECTED_TYPES = [
  'BROKER_FAILURE',
  'DISK_FAILURE',
  'METRIC_ANOMALY',
  'GOAL_VIOLATION',
  'TOPIC_ANOMALY',
] as const;
export type DetectedType = (typeof DETECTED_TYPES)[number];

export function isDetectedType(type: string): type is DetectedType {
  return (DETECTED_TYPES as readonly string[]).includes(type);
}

interface AnomalyBase {
  /** Stable while the same things stay failed, e.g. `BROKER_FAILURE:1,3`. */
  id: string;
  /** Epoch ms the oldest part of the anomaly was first seen; thresholds count from here. */
  firstSeenMs: number;
  /** One line for logs, alerts and GET /state. */
  description: string;
}

export interface BrokerFailureAnomaly extends AnomalyBase {
  type: 'BROKER_FAILURE';
  /** Kafka id → epoch ms it was first seen failed. */
  failedBrokersByTimeMs: Record<number, number>;
}

export interface OfflineReplica {
  topic: string;
  partition: number;
  brokerId: number;
}

export interface DiskFailureAnomaly extends AnomalyBase {
  type: 'DISK_FAILURE';
  /** Kafka id → log dir → epoch ms it was first seen failed. */
  failedDisksByTimeMs: Record<number, Record<string, number>>;
  /** Replicas Kafka reports offline on those brokers. */
  offlineReplicas: OfflineReplica[];
}

export interface GoalViolationAnomaly extends AnomalyBase {
  type: 'GOAL_VIOLATION';
  /** Violated goals a dry-run rebalance satisfies. */
  fixableViolatedGoals: string[];
  /** Violated goals a dry-run rebalance does not satisfy: alerted on, never healed. */
  unfixableViolatedGoals: string[];
  /** Cruise Control's balancedness score (0–100) of the detection goals as the cluster is. */
  balancednessScore: number;
}

export interface UnderReplicatedTopic {
  topic: string;
  targetReplicationFactor: number;
  /** Partition numbers with fewer replicas than the target. */
  partitions: number[];
}

export interface OversizedPartition {
  topic: string;
  partition: number;
  /** Size of its largest replica. */
  sizeBytes: number;
}

export interface TopicAnomaly extends AnomalyBase {
  type: 'TOPIC_ANOMALY';
  /** Topics with partitions below their target replication factor: healed by raising it. */
  topics: UnderReplicatedTopic[];
  /** Partitions above detector.topicAnomaly.maxPartitionSizeBytes, largest first: alert only. */
  oversizedPartitions: OversizedPartition[];
}

/** A broker found slow, and on what: `metric` is null once it is no longer slow but still scored. */
export interface SlowBroker {
  brokerId: number;
  score: number;
  /** Partitions it leads now (0 once demoted). */
  leaderCount: number;
  metric: 'logFlushTimeMs999th' | 'produceLocalTimeMs999th' | null;
  /** Its latest value, its own history percentile and its peers' percentile, ms. */
  valueMs: number | null;
  historyMs: number | null;
  peersMs: number | null;
}

export interface MetricAnomaly extends AnomalyBase {
  type: 'METRIC_ANOMALY';
  slowBrokers: SlowBroker[];
  /** The heal: demote those still leading, remove those past the removal score, or nothing left to do. */
  action: 'DEMOTE' | 'REMOVE' | 'NONE';
  brokersToDemote: number[];
  brokersToRemove: number[];
}

export type Anomaly = BrokerFailureAnomaly | DiskFailureAnomaly | MetricAnomaly | GoalViolationAnomaly | TopicAnomaly;

/**
 * When each failed thing was first seen, by detector: `brokers` by Kafka id, `disks` by
 * `brokerId:logDir`, `topics` by topic name, `goals` by goal name. Epoch ms.
 */
export interface FirstSeen {
  brokers: Record<string, number>;
  disks: Record<string, number>;
  topics: Record<string, number>;
  goals: Record<string, number>;
  /** Brokers at or above the slowness demotion score, by Kafka id. */
  slowBrokers: Record<string, number>;
  /** Slowness scores by Kafka id (not times: kept here so they survive a restart with the rest). */
  slownessScores: Record<string, number>;
}

export function emptyFirstSeen(): FirstSeen {
  return { brokers: {}, disks: {}, topics: {}, goals: {}, slowBrokers: {}, slownessScores: {} };
}

/**
 * The first-seen times of `keys`: kept from `previous` when known, `nowMs` for new ones; keys no
 * longer present are forgotten (a broker that came back starts a fresh clock if it fails again).
 */
export function carryFirstSeen(
  previous: Readonly<Record<string, number>>,
  keys: Iterable<string>,
  nowMs: number,
): Record<string, number> {
  const next: Record<string, number> = {};
  for (const key of keys) next[key] = previous[key] ?? nowMs;
  return next;
}

/** "40 s", "15 min", "2.5 h": durations in alerts and reasons. */
export function formatDurationMs(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** "broker 3" / "brokers 1, 3". */
export function brokerList(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'broker' : 'brokers'} ${ids.join(', ')}`;
}
