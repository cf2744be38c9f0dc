// Topic anomaly: partitions with fewer replicas than the target replication factor configured for
// their topic (first matching pattern, whole name), and partitions larger than a configured size
// (Cruise Control's partition-size anomaly: alert only, moving replicas cannot shrink a partition).
// A moving partition is judged by its target replicas, which it keeps once the move ends. Pure.
import { settledReplicas, type ClusterSnapshot } from '../kafka/pure.js';
import {
  carryFirstSeen,
  formatDurationMs,
  type OversizedPartition,
  type TopicAnomaly,
  type UnderReplicatedTopic,
} from './anomaly.js';
import { topicPartitionName } from '../common/pure.js';

export interface ReplicationFactorTarget {
  /** Whole-name pattern. */
  topicPattern: RegExp;
  replicationFactor: number;
}

export interface TopicAnomalyDetection {
  anomaly: TopicAnomaly | null;
  /** First-seen times of the topics below target now, by name, and of oversized partitions, by `size:topic-partition`. */
  firstSeen: Record<string, number>;
}

/** Compiles configured `{ topicPattern, replicationFactor }` entries into whole-name patterns. */
export function replicationFactorTargets(
  entries: readonly { topicPattern: string; replicationFactor: number }[],
): ReplicationFactorTarget[] {
  return entries.map((e) => ({
    topicPattern: new RegExp(`^(?:${e.topicPattern})$`),
    replicationFactor: e.replicationFactor,
  }));
}

export function detectTopicAnomalies(
  snapshot: Pick<ClusterSnapshot, 'partitions' | 'logDirs' | 'reassignments'>,
  targets: readonly ReplicationFactorTarget[],
  previous: Readonly<Record<string, number>>,
  nowMs: number,
  maxPartitionSizeBytes: number | null = null,
): TopicAnomalyDetection {
  const topics = belowTarget(snapshot, targets);
  const oversized = maxPartitionSizeBytes === null ? [] : oversizedPartitions(snapshot, maxPartitionSizeBytes);
  const keys = [...topics.map((t) => t.topic), ...oversized.map((p) => sizeKey(p))];
  const firstSeen = carryFirstSeen(previous, keys, nowMs);
  if (keys.length === 0) return { anomaly: null, firstSeen };
  const firstSeenMs = Math.min(...Object.values(firstSeen));
  const parts = topics.map(
    (t) => `${t.topic} (${t.partitions.length} partition(s) below RF ${t.targetReplicationFactor})`,
  );
  const what: string[] = [];
  if (parts.length > 0) what.push(`replication factor below target for ${parts.join(', ')}`);
  if (oversized.length > 0) {
    const largest = oversized[0]!;
    what.push(
      `${oversized.length} partition(s) larger than ${formatBytes(maxPartitionSizeBytes!)} ` +
        `(largest ${topicPartitionName(largest.topic, largest.partition)}, ${formatBytes(largest.sizeBytes)})`,
    );
  }
  return {
    anomaly: {
      type: 'TOPIC_ANOMALY',
      id: `TOPIC_ANOMALY:${keys.join(',')}`,
      firstSeenMs,
      topics,
      oversizedPartitions: oversized,
      description: `${what.join('; ')} (for ${formatDurationMs(nowMs - firstSeenMs)})`,
    },
    firstSeen,
  };
}

function belowTarget(
  snapshot: Pick<ClusterSnapshot, 'partitions' | 'reassignments'>,
  targets: readonly ReplicationFactorTarget[],
): UnderReplicatedTopic[] {
  // Mid-move Kafka lists old and new replicas together: counted as shown, a partition moving to too
  // few replicas would pass until its move ends (never, if it is stuck).
  const settled = settledReplicas(snapshot);
  const byTopic = new Map<string, UnderReplicatedTopic>();
  const targetOf = new Map<string, number | null>();
  for (const p of snapshot.partitions) {
    let target = targetOf.get(p.topic);
    if (target === undefined) {
      target = targets.find((t) => t.topicPattern.test(p.topic))?.replicationFactor ?? null;
      targetOf.set(p.topic, target);
    }
    if (target === null || settled(p).length >= target) continue;
    let entry = byTopic.get(p.topic);
    if (!entry) {
      entry = { topic: p.topic, targetReplicationFactor: target, partitions: [] };
      byTopic.set(p.topic, entry);
    }
    entry.partitions.push(p.partition);
  }
  const topics = [...byTopic.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  for (const t of topics) t.partitions.sort((a, b) => a - b);
  return topics;
}

/** Partitions whose largest replica (the leader's log, or a lagging copy's) exceeds the limit, largest first. */
function oversizedPartitions(snapshot: Pick<ClusterSnapshot, 'logDirs'>, maxBytes: number): OversizedPartition[] {
  const largest = new Map<string, OversizedPartition>();
  for (const dir of snapshot.logDirs) {
    for (const r of dir.replicas) {
      // A future replica is a copy in flight: the partition's size is its current log's.
      if (r.isFuture || r.sizeBytes <= maxBytes) continue;
      const key = topicPartitionName(r.topic, r.partition);
      const known = largest.get(key);
      if (!known || known.sizeBytes < r.sizeBytes)
        largest.set(key, { topic: r.topic, partition: r.partition, sizeBytes: r.sizeBytes });
    }
  }
  return [...largest.values()].sort(
    (a, b) => b.sizeBytes - a.sizeBytes || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition),
  );
}

const sizeKey = (p: OversizedPartition) => `size:${topicPartitionName(p.topic, p.partition)}`;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
