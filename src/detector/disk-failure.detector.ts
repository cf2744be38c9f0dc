// Disk failure: a log dir a live broker has taken offline (JBOD), with the replicas Kafka reports
// offline on that broker that remain once the moves in flight end. Dirs of dead brokers are the broker
// failure's business. Pure.
import { settledReplicas, type ClusterSnapshot } from '../kafka/pure.js';
import { carryFirstSeen, formatDurationMs, type DiskFailureAnomaly, type OfflineReplica } from './anomaly.js';

export interface DiskFailureDetection {
  anomaly: DiskFailureAnomaly | null;
  /** First-seen times of the dirs failed now, by `brokerId:logDir`. */
  firstSeen: Record<string, number>;
}

export function detectDiskFailures(
  snapshot: Pick<ClusterSnapshot, 'brokers' | 'logDirs' | 'partitions' | 'reassignments'>,
  previous: Readonly<Record<string, number>>,
  nowMs: number,
): DiskFailureDetection {
  const alive = new Set(snapshot.brokers.filter((b) => b.alive).map((b) => b.id));
  const failed = snapshot.logDirs
    .filter((d) => d.failed && alive.has(d.brokerId))
    .sort((a, b) => a.brokerId - b.brokerId || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const keys = failed.map((d) => `${d.brokerId}:${d.path}`);
  const firstSeen = carryFirstSeen(previous, keys, nowMs);
  if (failed.length === 0) return { anomaly: null, firstSeen };
  const failedDisksByTimeMs: Record<number, Record<string, number>> = {};
  for (const d of failed) (failedDisksByTimeMs[d.brokerId] ??= {})[d.path] = firstSeen[`${d.brokerId}:${d.path}`]!;
  const impaired = new Set(failed.map((d) => d.brokerId));
  // Kafka no longer says which dir held an offline replica: every offline replica on the broker counts,
  // but for one a move in flight is removing (that move re-homes it). Offline comes from the metadata,
  // not the log dirs: a future replica (a log dir move's copy) is never the offline one.
  const settled = settledReplicas(snapshot);
  const offlineReplicas: OfflineReplica[] = [];
  for (const p of snapshot.partitions) {
    const remaining = settled(p);
    for (const brokerId of p.offlineReplicas) {
      if (impaired.has(brokerId) && remaining.includes(brokerId))
        offlineReplicas.push({ topic: p.topic, partition: p.partition, brokerId });
    }
  }
  const firstSeenMs = Math.min(...Object.values(firstSeen));
  return {
    anomaly: {
      type: 'DISK_FAILURE',
      id: `DISK_FAILURE:${keys.join(',')}`,
      firstSeenMs,
      failedDisksByTimeMs,
      offlineReplicas,
      description:
        `log dir${failed.length === 1 ? '' : 's'} ${keys.join(', ')} failed (the first for ` +
        `${formatDurationMs(nowMs - firstSeenMs)}), ${offlineReplicas.length} replica(s) offline`,
    },
    firstSeen,
  };
}
