// Builds a ClusterSnapshot from the in-memory state: fresh objects on every call, so a caller that
// mutates its snapshot changes neither the gateway nor the next snapshot.
import {
  type BrokerInfo,
  type ClusterSnapshot,
  compareNames,
  type LogDirInfo,
  type PartitionInfo,
  type ReplicaOnDisk,
} from '../cluster-snapshot.js';
import type { SnapshotOptions } from '../kafka.gateway.js';
import { brokerThrottlesView, topicConfigsView } from './configs.js';
import { type BrokerState, type ClusterState, type PartitionState, isOnline, isReassigning } from './model.js';

export function buildSnapshot(state: ClusterState, options: SnapshotOptions = {}): ClusterSnapshot {
  const matches = topicMatcher(options.topicPattern);
  const topics = [...state.topics.values()].filter((t) => matches(t.name)).sort((a, b) => compareNames(a.name, b.name));
  const partitions = topics.flatMap((t) => t.partitions);
  const alive = [...state.brokers.values()].filter((b) => b.alive).sort((a, b) => a.id - b.id);
  return {
    takenAtMs: state.nowMs,
    clusterId: state.clusterId,
    controllerId: alive[0]?.id ?? null,
    brokers: brokers(state, partitions),
    topics: topics.map((t) => ({ name: t.name, internal: t.internal, configs: topicConfigsView(t.configs) })),
    partitions: partitions.map((p) => partitionInfo(state, p)),
    logDirs: alive.flatMap((b) => logDirs(state, b, partitions)),
    // Every alive broker answers DescribeLogDirs here; dead ones are not asked, as in Kafka.
    logDirErrors: [],
    brokerConfigErrors: [],
    reassignments: partitions.filter(isReassigning).map((p) => ({
      topic: p.topic,
      partition: p.partition,
      replicas: [...p.replicas],
      addingReplicas: [...p.adding],
      removingReplicas: [...p.removing],
    })),
    brokerThrottles: Object.fromEntries(alive.map((b) => [b.id, brokerThrottlesView(b.configs)])),
  };
}

function topicMatcher(pattern: RegExp | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  // A copy without g/y: RegExp.test on those is stateful (lastIndex) and would skip matches.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return (name) => re.test(name);
}

/**
 * Alive brokers, plus dead ones that replicas of the reported partitions still name. Metadata does
 * not list fenced brokers, so like the real gateway we know only their id: no host, port or rack.
 */
function brokers(state: ClusterState, partitions: PartitionState[]): BrokerInfo[] {
  const named = new Set(partitions.flatMap((p) => p.replicas));
  return [...state.brokers.values()]
    .filter((b) => b.alive || named.has(b.id))
    .sort((a, b) => a.id - b.id)
    .map((b) =>
      b.alive
        ? { id: b.id, host: b.host, port: b.port, rack: b.rack, alive: true }
        : { id: b.id, host: '', port: 0, rack: null, alive: false },
    );
}

function partitionInfo(state: ClusterState, p: PartitionState): PartitionInfo {
  return {
    topic: p.topic,
    partition: p.partition,
    leader: p.leader,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: p.replicas.filter((id) => !isOnline(state, p, id)),
  };
}

/**
 * A broker's dirs. A failed dir reports KAFKA_STORAGE_ERROR, no sizes and no replicas, as Kafka's
 * DescribeLogDirs does (the broker no longer has those logs open).
 */
function logDirs(state: ClusterState, broker: BrokerState, reported: PartitionState[]): LogDirInfo[] {
  const onDir = (path: string, partitions: PartitionState[]): PartitionState[] =>
    partitions.filter((p) => p.replicas.includes(broker.id) && p.dirs.get(broker.id) === path);
  const everyPartition = [...state.topics.values()].flatMap((t) => t.partitions);
  return broker.dirs.map((d) => {
    if (d.failed) {
      const error = 'KAFKA_STORAGE_ERROR';
      return {
        brokerId: broker.id,
        path: d.path,
        failed: true,
        error,
        totalBytes: null,
        usableBytes: null,
        replicas: [],
      };
    }
    // Usable space counts every replica on the volume, not only the topics the caller asked for.
    const used = onDir(d.path, everyPartition).reduce((sum, p) => sum + replicaOnDisk(broker.id, p).sizeBytes, 0);
    return {
      brokerId: broker.id,
      path: d.path,
      failed: false,
      error: null,
      totalBytes: d.totalBytes,
      usableBytes: d.totalBytes === null ? null : Math.max(0, d.totalBytes - used),
      replicas: onDir(d.path, reported).map((p) => replicaOnDisk(broker.id, p)),
    };
  });
}

/**
 * A replica still copying (added by a reassignment, not yet in the ISR) holds nothing yet and lags
 * by the whole log. The model has no messages, so lag is in bytes.
 */
function replicaOnDisk(brokerId: number, p: PartitionState): ReplicaOnDisk {
  const copying = p.copying.has(brokerId);
  return {
    topic: p.topic,
    partition: p.partition,
    sizeBytes: copying ? 0 : p.sizeBytes,
    offsetLag: copying ? p.sizeBytes : 0,
    isFuture: false,
  };
}
