// The immutable picture of a Kafka cluster that every later stage plans on, and the pure
// helpers that derive partition status from it. Plain data: no kafkajs types leak out.

export interface BrokerInfo {
  id: number;
  /** Empty for a broker that is known only because replicas name it while it is down. */
  host: string;
  port: number;
  rack: string | null;
  /** Registered and unfenced in the cluster metadata. */
  alive: boolean;
}

/** Topic configs Ballast reads; absent values fall back to the broker default (not resolved here). */
export interface TopicConfigs {
  minInsyncReplicas: number | null;
  retentionMs: number | null;
  retentionBytes: number | null;
  /** `leader.replication.throttled.replicas`, as `partition:broker` pairs, or `*`. */
  leaderThrottledReplicas: string;
  /** `follower.replication.throttled.replicas`, as `partition:broker` pairs, or `*`. */
  followerThrottledReplicas: string;
}

export interface PartitionInfo {
  topic: string;
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  /** Replica broker ids in assignment order; the first is the preferred leader. */
  replicas: number[];
  isr: number[];
  /** Replicas on a dead broker or a failed log dir. */
  offlineReplicas: number[];
}

export interface ReplicaOnDisk {
  topic: string;
  partition: number;
  sizeBytes: number;
  /** How far this replica is behind its leader's log end (bytes for futures, messages otherwise, as Kafka reports it). */
  offsetLag: number;
  /** A future replica: the destination copy of an intra-broker (log dir) move in progress. */
  isFuture: boolean;
}

export interface LogDirInfo {
  brokerId: number;
  path: string;
  /** The broker has taken this dir offline (I/O failure): its replicas are offline. */
  failed: boolean;
  /** Kafka's error name when the dir is not usable, e.g. KAFKA_STORAGE_ERROR. */
  error: string | null;
  /** Volume size and free space (DescribeLogDirs v4+); null when the broker did not say. */
  totalBytes: number | null;
  usableBytes: number | null;
  replicas: ReplicaOnDisk[];
}

export interface OngoingReassignment {
  topic: string;
  partition: number;
  /** The full replica set while moving: original ∪ adding. */
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/**
 * A custom dynamic broker config Ballast sets beside the replication throttle rates and removes
 * with them, so throttles it set are recognisable from Kafka alone — after its record of them was
 * lost with Redis. Kafka keeps custom broker configs (KIP-226), lists them, and hides their values
 * as sensitive; topics refuse unknown configs, so the topic lists cannot carry one.
 */
export const BALLAST_THROTTLE_MARKER = 'ballast.replication.throttles.set.by';

/** Dynamic broker configs Ballast touches (throttles); null when not set on that broker. */
export interface BrokerThrottles {
  leaderReplicationThrottledRate: number | null;
  followerReplicationThrottledRate: number | null;
  replicaAlterLogDirsIoMaxBytesPerSecond: number | null;
  /** True when the broker carries {@link BALLAST_THROTTLE_MARKER}: Ballast set its replication rates; absent otherwise. */
  setByBallast?: boolean;
}

export interface ClusterSnapshot {
  takenAtMs: number;
  clusterId: string | null;
  /** The controller id the brokers report; under KRaft this is a broker clients may send controller requests to. */
  controllerId: number | null;
  brokers: BrokerInfo[];
  topics: { name: string; internal: boolean; configs: TopicConfigs }[];
  partitions: PartitionInfo[];
  /** Every alive broker's log dirs; a broker that did not answer is listed in `logDirErrors`. */
  logDirs: LogDirInfo[];
  /**
   * Alive brokers whose log dirs could not be read (no answer within `kafka.brokerTimeoutMs`, or an
   * error): their dirs and replica sizes are unknown, not empty — see {@link logDirsUnknown}.
   */
  logDirErrors: { brokerId: number; error: string }[];
  reassignments: OngoingReassignment[];
  /** Each alive broker's throttle rates; a broker listed in `brokerConfigErrors` has no entry. */
  brokerThrottles: Record<number, BrokerThrottles>;
  /** Alive brokers whose throttle configs could not be read: their rates are unknown, not unset. */
  brokerConfigErrors: { brokerId: number; error: string }[];
}

/** Alive brokers with some of their own data missing from `snapshot` (they did not answer), sorted. */
export function unansweredBrokers(snapshot: Pick<ClusterSnapshot, 'logDirErrors' | 'brokerConfigErrors'>): number[] {
  const ids = new Set([...snapshot.logDirErrors, ...snapshot.brokerConfigErrors].map((e) => e.brokerId));
  return [...ids].sort((a, b) => a - b);
}

/** True when `brokerId`'s log dirs are missing from `snapshot`: what it holds is unknown, not nothing. */
export function logDirsUnknown(snapshot: Pick<ClusterSnapshot, 'logDirErrors'>, brokerId: number): boolean {
  return snapshot.logDirErrors.some((e) => e.brokerId === brokerId);
}

/**
 * Each partition's replicas as they will be once the moves in flight end: a moving partition's
 * target is its reassignment's replicas less the removing ones. The reassignment's own lists are
 * used, not the metadata's: the two are read at different moments, and a move that started between
 * the reads leaves the metadata showing the old set.
 */
export function settledReplicas(
  snapshot: Pick<ClusterSnapshot, 'reassignments'>,
): (p: Pick<PartitionInfo, 'topic' | 'partition' | 'replicas'>) => number[] {
  const targets = new Map<string, number[]>();
  for (const r of snapshot.reassignments) {
    targets.set(
      `${r.topic}\u0000${r.partition}`,
      r.replicas.filter((b) => !r.removingReplicas.includes(b)),
    );
  }
  return (p) => targets.get(`${p.topic}\u0000${p.partition}`) ?? p.replicas;
}

export type PartitionStatus = 'offline' | 'under-min-isr' | 'under-replicated' | 'with-offline-replicas' | 'healthy';

/** True when the partition has no leader. */
export function isOffline(p: PartitionInfo): boolean {
  return p.leader < 0;
}

/** True when fewer replicas are in sync than assigned. */
export function isUnderReplicated(p: PartitionInfo): boolean {
  return p.isr.length < p.replicas.length;
}

/** True when the ISR is smaller than min.insync.replicas: acks=all producers are refused. */
export function isUnderMinIsr(p: PartitionInfo, minInsyncReplicas: number): boolean {
  return p.isr.length < minInsyncReplicas;
}

/** The most severe status of a partition, Cruise Control's categories. */
export function partitionStatus(p: PartitionInfo, minInsyncReplicas: number): PartitionStatus {
  if (isOffline(p)) return 'offline';
  if (isUnderMinIsr(p, minInsyncReplicas)) return 'under-min-isr';
  if (isUnderReplicated(p)) return 'under-replicated';
  if (p.offlineReplicas.length > 0) return 'with-offline-replicas';
  return 'healthy';
}

/** Code-unit string order (as Java's String.compareTo, which Cruise Control sorts with), not locale order. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Snapshot order for anything keyed by topic and partition. */
export function compareTopicPartition(
  a: { topic: string; partition: number },
  b: { topic: string; partition: number },
): number {
  return compareNames(a.topic, b.topic) || a.partition - b.partition;
}
