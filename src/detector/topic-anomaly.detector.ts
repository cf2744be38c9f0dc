// Topic anomaly: partitions with fewer replicas than the target replication factor configured for
// their topic (first matching pattern, whole name). Pure.
import type { ClusterSnapshot } from '../kafka/index.js';
import { carryFirstSeen, formatDurationMs, type TopicAnomaly, type UnderReplicatedTopic } from './anomaly.js';

export interface ReplicationFactorTarget {
  /** Whole-name pattern. */
  topicPattern: RegExp;
  replicationFactor: number;
}

export interface TopicAnomalyDetection {
  anomaly: TopicAnomaly | null;
  /** First-seen times of the topics below target now, by name. */
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
  snapshot: Pick<ClusterSnapshot, 'partitions'>,
  targets: readonly ReplicationFactorTarget[],
  previous: Readonly<Record<string, number>>,
  nowMs: number,
): TopicAnomalyDetection {
  const byTopic = new Map<string, UnderReplicatedTopic>();
  const targetOf = new Map<string, number | null>();
  for (const p of snapshot.partitions) {
    let target = targetOf.get(p.topic);
    if (target === undefined) {
      target = targets.find((t) => t.topicPattern.test(p.topic))?.replicationFactor ?? null;
      targetOf.set(p.topic, target);
    }
    if (target === null || p.replicas.length >= target) continue;
    let entry = byTopic.get(p.topic);
    if (!entry) {
      entry = { topic: p.topic, targetReplicationFactor: target, partitions: [] };
      byTopic.set(p.topic, entry);
    }
    entry.partitions.push(p.partition);
  }
  const topics = [...byTopic.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  for (const t of topics) t.partitions.sort((a, b) => a - b);
  const firstSeen = carryFirstSeen(
    previous,
    topics.map((t) => t.topic),
    nowMs,
  );
  if (topics.length === 0) return { anomaly: null, firstSeen };
  const firstSeenMs = Math.min(...Object.values(firstSeen));
  const names = topics.map(
    (t) => `${t.topic} (${t.partitions.length} partition(s) below RF ${t.targetReplicationFactor})`,
  );
  return {
    anomaly: {
      type: 'TOPIC_ANOMALY',
      id: `TOPIC_ANOMALY:${topics.map((t) => t.topic).join(',')}`,
      firstSeenMs,
      topics,
      description: `replication factor below target for ${names.join(', ')} (for ${formatDurationMs(nowMs - firstSeenMs)})`,
    },
    firstSeen,
  };
}
