// Broker failure: a broker Kafka reports not alive. Under KRaft a dead broker leaves the metadata,
// so the snapshot knows it only while replicas still name it; once its replicas have all moved
// away it costs no redundancy and is forgotten. Pure.
import type { ClusterSnapshot } from '../kafka/pure.js';
import { brokerList, carryFirstSeen, formatDurationMs, type BrokerFailureAnomaly } from './anomaly.js';

export interface BrokerFailureDetection {
  anomaly: BrokerFailureAnomaly | null;
  /** First-seen times of the brokers failed now, by Kafka id. */
  firstSeen: Record<string, number>;
}

export function detectBrokerFailures(
  snapshot: Pick<ClusterSnapshot, 'brokers'>,
  previous: Readonly<Record<string, number>>,
  nowMs: number,
): BrokerFailureDetection {
  const failed = snapshot.brokers
    .filter((b) => !b.alive)
    .map((b) => b.id)
    .sort((a, b) => a - b);
  const firstSeen = carryFirstSeen(
    previous,
    failed.map((id) => String(id)),
    nowMs,
  );
  if (failed.length === 0) return { anomaly: null, firstSeen };
  const failedBrokersByTimeMs: Record<number, number> = {};
  for (const id of failed) failedBrokersByTimeMs[id] = firstSeen[String(id)]!;
  const firstSeenMs = Math.min(...Object.values(failedBrokersByTimeMs));
  return {
    anomaly: {
      type: 'BROKER_FAILURE',
      id: `BROKER_FAILURE:${failed.join(',')}`,
      firstSeenMs,
      failedBrokersByTimeMs,
      description: `${brokerList(failed)} down (the first for ${formatDurationMs(nowMs - firstSeenMs)})`,
    },
    firstSeen,
  };
}
