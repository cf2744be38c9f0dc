// Admin-only sampler, for clusters without a metrics pipeline: replica sizes from DescribeLogDirs
// (already in the snapshot) and bytes-in from how fast each leader's log grows between rounds.
// CPU is estimated from bytes (flagged); consumer bytes-out cannot be seen through the admin API.
import { getOrInsert } from '../../common/index.js';
import type { ClusterSnapshot } from '../../kafka/index.js';
import {
  MetricSampler,
  partitionKey,
  type BrokerPoint,
  type SamplingProblem,
  type SamplingRound,
  type TopicRates,
} from './metric-sampler.js';

interface LeaderSize {
  leader: number;
  bytes: number;
  timeMs: number;
}

/** Size of each partition's leader replica, from the snapshot's log dirs (future replicas ignored). */
export function leaderSizes(snapshot: ClusterSnapshot): Map<string, { leader: number; bytes: number }> {
  const leaderOf = new Map<string, number>();
  for (const p of snapshot.partitions) if (p.leader >= 0) leaderOf.set(partitionKey(p.topic, p.partition), p.leader);
  const sizes = new Map<string, { leader: number; bytes: number }>();
  for (const dir of snapshot.logDirs) {
    if (dir.failed) continue;
    for (const r of dir.replicas) {
      if (r.isFuture) continue;
      const key = partitionKey(r.topic, r.partition);
      if (leaderOf.get(key) === dir.brokerId) sizes.set(key, { leader: dir.brokerId, bytes: r.sizeBytes });
    }
  }
  return sizes;
}

export class AdminSampler extends MetricSampler {
  readonly name = 'admin';
  private previous = new Map<string, LeaderSize>();

  sample(snapshot: ClusterSnapshot, nowMs: number): Promise<SamplingRound> {
    const problems: SamplingProblem[] = [];
    const current = leaderSizes(snapshot);
    const topicsByBroker = new Map<number, Map<string, TopicRates>>();
    const unmeasurable: { brokerId: number; topic: string }[] = [];
    let measured = 0;
    for (const [key, now] of current) {
      const before = this.previous.get(key);
      const topic = key.slice(0, key.lastIndexOf('-'));
      if (!before || before.leader !== now.leader || nowMs <= before.timeMs) {
        // New partition or new leader: no growth yet, and the topic's sum on this broker would miss it.
        unmeasurable.push({ brokerId: now.leader, topic });
        continue;
      }
      const grownBytes = now.bytes - before.bytes;
      // A shrinking log lost old segments to retention: the bytes appended are unknown this round.
      if (grownBytes < 0) {
        const message = `${key} shrank by ${-grownBytes} bytes (retention): bytes-in unknown this round`;
        problems.push({ kind: 'log-shrank', brokerId: now.leader, message });
        unmeasurable.push({ brokerId: now.leader, topic });
        continue;
      }
      const topics = getOrInsert(topicsByBroker, now.leader, () => new Map<string, TopicRates>());
      const rates = topics.get(topic) ?? { bytesInPerSec: 0, bytesOutPerSec: 0 };
      rates.bytesInPerSec += (grownBytes * 1000) / (nowMs - before.timeMs);
      topics.set(topic, rates);
      measured++;
    }
    // A topic with one unmeasurable partition on a broker would have its bytes split wrongly over the
    // others (and the missing one would get a made-up share): leave the topic out on that broker.
    for (const { brokerId, topic } of unmeasurable) topicsByBroker.get(brokerId)?.delete(topic);
    this.previous = new Map([...current].map(([key, s]) => [key, { ...s, timeMs: nowMs }]));
    const brokers: BrokerPoint[] = [...topicsByBroker].map(([brokerId, topics]) => ({
      brokerId,
      cpuPercent: null,
      topics,
    }));
    const points = measured > 0 ? [{ timeMs: nowMs, brokers, replicaSizes: null }] : [];
    return Promise.resolve({ points, problems, cpuEstimated: true, unmeasured: ['NW_OUT'] });
  }
}
