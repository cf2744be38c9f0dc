// GET /kafkacruisecontrol/kafka_cluster_state as a pure function of a ClusterSnapshot: Cruise Control's
// KafkaClusterState document (responses/kafkaClusterState.yaml) and its plain-text rendering.
import {
  compareTopicPartition,
  isOffline,
  isUnderMinIsr,
  isUnderReplicated,
  type ClusterSnapshot,
  type PartitionInfo,
} from '../kafka/index.js';

/** Cruise Control's sentinels in the log dir maps; clients that read them know no others. */
export const BROKER_DEAD_LOGDIR = 'broker_dead';
export const NO_ANSWER_LOGDIR = 'timed_out';

export interface ClusterStats {
  Brokers: number;
  Topics: number;
  Replicas: number;
  Leaders: number;
  AvgReplicationFactor: number;
  AvgReplicasPerBroker: number;
  AvgLeadersPerBroker: number;
  MaxReplicasPerBroker: number;
  MaxLeadersPerBroker: number;
  StdReplicasPerBroker: number;
  StdLeadersPerBroker: number;
}

export interface ClusterBrokerState {
  LeaderCountByBrokerId: Record<string, number>;
  OutOfSyncCountByBrokerId: Record<string, number>;
  ReplicaCountByBrokerId: Record<string, number>;
  OfflineReplicaCountByBrokerId: Record<string, number>;
  IsController: Record<string, boolean>;
  OnlineLogDirsByBrokerId: Record<string, string[]>;
  OfflineLogDirsByBrokerId: Record<string, string[]>;
  BrokerSetByBrokerId: Record<string, string>;
  Summary: ClusterStats;
}

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  'in-sync': number[];
  'out-of-sync': number[];
  offline: number[];
  'min-isr': number;
}

export interface ClusterPartitionState {
  offline: PartitionState[];
  'with-offline-replicas': PartitionState[];
  urp: PartitionState[];
  'under-min-isr': PartitionState[];
  /** Healthy partitions; present only when verbose. */
  other?: PartitionState[];
}

export interface KafkaClusterState {
  version: 1;
  KafkaBrokerState: ClusterBrokerState;
  KafkaPartitionState: ClusterPartitionState;
}

/**
 * Cruise Control's kafka_cluster_state. As in Cruise Control, `topicPattern` filters only the
 * partition lists; the broker state always covers the whole cluster.
 */
export function kafkaClusterState(
  snapshot: ClusterSnapshot,
  { verbose, topicPattern }: { verbose: boolean; topicPattern?: RegExp },
  defaultMinInsyncReplicas = 1,
): KafkaClusterState {
  const listed = topicPattern
    ? { ...snapshot, partitions: snapshot.partitions.filter((p) => topicPattern.test(p.topic)) }
    : snapshot;
  return {
    version: 1,
    KafkaBrokerState: brokerState(snapshot),
    KafkaPartitionState: partitionState(listed, verbose, defaultMinInsyncReplicas),
  };
}

// ---------------------------------------------------------------------------------------------
// Broker state

function brokerState(snapshot: ClusterSnapshot): ClusterBrokerState {
  // Every broker the snapshot knows, plus any id only a replica list names (a broker that is gone
  // from the metadata entirely), as Cruise Control lists brokers with replicas and alive brokers.
  const alive = new Set(snapshot.brokers.filter((b) => b.alive).map((b) => b.id));
  const ids = new Set(snapshot.brokers.map((b) => b.id));
  for (const p of snapshot.partitions) for (const id of p.replicas) ids.add(id);
  const brokerIds = [...ids].sort((a, b) => a - b);

  const leaders = zeroCounts(brokerIds);
  const replicas = zeroCounts(brokerIds);
  const outOfSync = zeroCounts(brokerIds);
  const offline = zeroCounts(brokerIds);
  // Unlike Cruise Control, which skips leaderless partitions here, every replica is counted: the
  // replicas of fully offline partitions are exactly what an operator looks for on a dead broker.
  for (const p of snapshot.partitions) {
    if (p.leader >= 0) increment(leaders, p.leader);
    for (const id of new Set(p.replicas)) increment(replicas, id);
    for (const id of outOfSyncReplicas(p)) increment(outOfSync, id);
    for (const id of new Set(p.offlineReplicas)) increment(offline, id);
  }

  const isController: Record<string, boolean> = {};
  for (const id of brokerIds) isController[String(id)] = id === snapshot.controllerId;

  const { online, offline: offlineDirs } = logDirs(snapshot, brokerIds, alive);
  const partitionCount = snapshot.partitions.length;
  const totalReplicas = snapshot.partitions.reduce((sum, p) => sum + new Set(p.replicas).size, 0);
  const totalLeaders = snapshot.partitions.filter((p) => p.leader >= 0).length;
  const aliveIds = brokerIds.filter((id) => alive.has(id));
  const replicaStats = perBrokerStats(aliveIds.map((id) => replicas[String(id)] ?? 0));
  const leaderStats = perBrokerStats(aliveIds.map((id) => leaders[String(id)] ?? 0));

  return {
    LeaderCountByBrokerId: leaders,
    OutOfSyncCountByBrokerId: outOfSync,
    ReplicaCountByBrokerId: replicas,
    OfflineReplicaCountByBrokerId: offline,
    IsController: isController,
    OnlineLogDirsByBrokerId: online,
    OfflineLogDirsByBrokerId: offlineDirs,
    // Ballast has no broker sets yet (Cruise Control's BrokerSetAwareGoal config): an empty map
    // says "no broker belongs to a set" without inventing set names.
    BrokerSetByBrokerId: {},
    Summary: {
      Brokers: aliveIds.length,
      Topics: snapshot.topics.length,
      Replicas: totalReplicas,
      Leaders: totalLeaders,
      // Over all partitions, leaderless ones included, since Replicas counts their replicas too.
      AvgReplicationFactor: partitionCount === 0 ? 0 : totalReplicas / partitionCount,
      // Per-broker figures are over alive brokers: the ones that carry (and will carry) the load.
      AvgReplicasPerBroker: replicaStats.avg,
      AvgLeadersPerBroker: leaderStats.avg,
      MaxReplicasPerBroker: replicaStats.max,
      MaxLeadersPerBroker: leaderStats.max,
      // The spec declares both standard deviations as int32 (Cruise Control itself sends a double):
      // rounded so that the document validates against the spec clients generate their code from.
      StdReplicasPerBroker: Math.round(replicaStats.std),
      StdLeadersPerBroker: Math.round(leaderStats.std),
    },
  };
}

function zeroCounts(brokerIds: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of brokerIds) counts[String(id)] = 0;
  return counts;
}

function increment(counts: Record<string, number>, id: number): void {
  counts[String(id)] = (counts[String(id)] ?? 0) + 1;
}

function outOfSyncReplicas(p: PartitionInfo): number[] {
  const isr = new Set(p.isr);
  return [...new Set(p.replicas)].filter((id) => !isr.has(id));
}

/** Population mean, max and standard deviation, as Cruise Control computes them; zeros for no broker. */
function perBrokerStats(values: number[]): { avg: number; max: number; std: number } {
  if (values.length === 0) return { avg: 0, max: 0, std: 0 };
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - avg) ** 2, 0) / values.length;
  return { avg, max: Math.max(...values), std: Math.sqrt(variance) };
}

function logDirs(
  snapshot: ClusterSnapshot,
  brokerIds: number[],
  alive: Set<number>,
): { online: Record<string, string[]>; offline: Record<string, string[]> } {
  const online: Record<string, string[]> = {};
  const offline: Record<string, string[]> = {};
  const unanswered = new Set(snapshot.logDirErrors.map((e) => e.brokerId));
  for (const id of brokerIds) {
    const key = String(id);
    // Cruise Control's sentinels, put in both lists, for a dead broker and for one whose log dirs
    // could not be read: an empty list would claim the broker has no log dirs at all.
    if (!alive.has(id)) {
      online[key] = [BROKER_DEAD_LOGDIR];
      offline[key] = [BROKER_DEAD_LOGDIR];
    } else if (unanswered.has(id)) {
      online[key] = [NO_ANSWER_LOGDIR];
      offline[key] = [NO_ANSWER_LOGDIR];
    } else {
      online[key] = [];
      offline[key] = [];
    }
  }
  for (const dir of snapshot.logDirs) {
    const key = String(dir.brokerId);
    if (!alive.has(dir.brokerId) || unanswered.has(dir.brokerId)) continue;
    // Any error makes the dir unusable, as Cruise Control reads DescribeLogDirs.
    const list = dir.failed || dir.error !== null ? offline : online;
    (list[key] ??= []).push(dir.path);
  }
  for (const dirs of [...Object.values(online), ...Object.values(offline)]) dirs.sort();
  return { online, offline };
}

// ---------------------------------------------------------------------------------------------
// Partition state

/**
 * Cruise Control's classification (ClusterPartitionState.populateKafkaPartitionState), with two
 * deliberate differences noted below. A partition may be in several lists.
 * - offline: no leader, or an empty ISR (Cruise Control checks only the ISR, but Kafka keeps the
 *   last replica in the ISR of a leaderless partition, so the ISR alone misses most of them).
 * - urp: not offline, and fewer in-sync replicas than replicas.
 * - under-min-isr: fewer in-sync replicas than min.insync.replicas, offline partitions included.
 * - with-offline-replicas: any offline replica, offline partitions included. Cruise Control lists
 *   these only when the partition is under-replicated or verbose is set; here verbose adds `other`
 *   and nothing else, so a list never depends on it.
 * - other (verbose only): partitions in none of the lists above.
 */
function partitionState(
  snapshot: ClusterSnapshot,
  verbose: boolean,
  defaultMinInsyncReplicas: number,
): ClusterPartitionState {
  const minIsrByTopic = new Map(
    snapshot.topics.map((t) => [t.name, t.configs.minInsyncReplicas ?? defaultMinInsyncReplicas]),
  );
  const state: ClusterPartitionState = { offline: [], 'with-offline-replicas': [], urp: [], 'under-min-isr': [] };
  const other: PartitionState[] = [];
  for (const p of [...snapshot.partitions].sort(compareTopicPartition)) {
    const minIsr = minIsrByTopic.get(p.topic) ?? defaultMinInsyncReplicas;
    const entry = toPartitionState(p, minIsr);
    const offline = isOffline(p) || p.isr.length === 0;
    let listed = false;
    if (offline) {
      state.offline.push(entry);
      listed = true;
    } else if (isUnderReplicated(p)) {
      state.urp.push(entry);
      listed = true;
    }
    if (isUnderMinIsr(p, minIsr)) {
      state['under-min-isr'].push(entry);
      listed = true;
    }
    if (p.offlineReplicas.length > 0) {
      state['with-offline-replicas'].push(entry);
      listed = true;
    }
    if (!listed) other.push(entry);
  }
  if (verbose) state.other = other;
  return state;
}

function toPartitionState(p: PartitionInfo, minIsr: number): PartitionState {
  return {
    topic: p.topic,
    partition: p.partition,
    leader: p.leader,
    replicas: [...p.replicas],
    'in-sync': [...p.isr],
    'out-of-sync': outOfSyncReplicas(p),
    offline: [...p.offlineReplicas],
    'min-isr': minIsr,
  };
}

// ---------------------------------------------------------------------------------------------
// Plain text (json=false)

const PARTITION_LISTS: [keyof ClusterPartitionState, string][] = [
  ['offline', 'Offline partitions'],
  ['with-offline-replicas', 'Partitions with offline replicas'],
  ['urp', 'Under-replicated partitions'],
  ['under-min-isr', 'Under min ISR partitions'],
  ['other', 'Other (healthy) partitions'],
];

export function kafkaClusterStateText(state: KafkaClusterState): string {
  const b = state.KafkaBrokerState;
  const s = b.Summary;
  const lines: string[] = [
    `Summary: ${s.Brokers} alive brokers, ${s.Topics} topics, ${s.Replicas} replicas, ${s.Leaders} leaders, ` +
      `avg replication factor ${s.AvgReplicationFactor.toFixed(2)}.`,
    `Leaders/replicas per alive broker: avg ${s.AvgLeadersPerBroker.toFixed(2)}/${s.AvgReplicasPerBroker.toFixed(2)}, ` +
      `max ${s.MaxLeadersPerBroker}/${s.MaxReplicasPerBroker}, std ${s.StdLeadersPerBroker}/${s.StdReplicasPerBroker}.`,
    '',
    'Brokers:',
  ];
  const brokerIds = Object.keys(b.ReplicaCountByBrokerId).sort((x, y) => Number(x) - Number(y));
  lines.push(
    ...table(
      ['BROKER', 'LEADERS', 'REPLICAS', 'OUT-OF-SYNC', 'OFFLINE', 'CONTROLLER', 'ONLINE-LOGDIRS', 'OFFLINE-LOGDIRS'],
      brokerIds.map((id) => [
        id,
        String(b.LeaderCountByBrokerId[id] ?? 0),
        String(b.ReplicaCountByBrokerId[id] ?? 0),
        String(b.OutOfSyncCountByBrokerId[id] ?? 0),
        String(b.OfflineReplicaCountByBrokerId[id] ?? 0),
        String(b.IsController[id] ?? false),
        list(b.OnlineLogDirsByBrokerId[id] ?? []),
        list(b.OfflineLogDirsByBrokerId[id] ?? []),
      ]),
    ),
  );
  for (const [key, title] of PARTITION_LISTS) {
    const partitions = state.KafkaPartitionState[key];
    if (partitions === undefined) continue;
    lines.push('', `${title} (${partitions.length}):`);
    if (partitions.length === 0) continue;
    lines.push(
      ...table(
        ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'IN-SYNC', 'OUT-OF-SYNC', 'OFFLINE', 'MIN-ISR'],
        partitions.map((p) => [
          p.topic,
          String(p.partition),
          String(p.leader),
          list(p.replicas),
          list(p['in-sync']),
          list(p['out-of-sync']),
          list(p.offline),
          String(p['min-isr']),
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function list(values: readonly (string | number)[]): string {
  return `[${values.join(', ')}]`;
}

/** Left-aligned columns, two spaces apart, each as wide as its widest cell. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]): string =>
    `  ${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}`;
  return [format(header), ...rows.map(format)];
}
