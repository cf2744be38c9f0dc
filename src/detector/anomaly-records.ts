// What GET /state shows of recent anomalies: one record per anomaly, updated every detection cycle
// from the policy's decisions, and closed when the anomaly is no longer detected — healed, or gone
// before its heal started (a broker back before the fix threshold cancels the pending heal). Pure.
import type {
  Anomaly,
  DetectedType,
  MetricAnomaly,
  OversizedPartition,
  SlowBroker,
  UnderReplicatedTopic,
} from './anomaly.js';
import type { AnomalyStatus, Decision, DecisionAction } from './self-healing.policy.js';

export interface AnomalyRecord {
  anomalyId: string;
  type: DetectedType;
  /** Cruise Control's `detectionMs`: when it was first seen. */
  detectionMs: number;
  statusUpdateMs: number;
  status: AnomalyStatus;
  description: string;
  /** Ballast: the policy's last decision and why. */
  action: DecisionAction;
  reason: string;
  /** Ballast: when it was no longer detected; absent while it lasts. */
  resolvedMs?: number;
  /** Ballast: the self-healing execution started for it. */
  executionId?: string;
  /** When its heal was started, epoch ms. */
  fixStartedMs?: number;
  failedBrokersByTimeMs?: Record<number, number>;
  failedDisksByTimeMs?: Record<number, Record<string, number>>;
  fixableViolatedGoals?: string[];
  unfixableViolatedGoals?: string[];
  /** Ballast (METRIC_ANOMALY): the slow brokers, their scores and evidence. */
  slowBrokers?: SlowBroker[];
  /** Ballast (METRIC_ANOMALY): the heal it calls for. */
  slowBrokerAction?: MetricAnomaly['action'];
  /** Ballast (TOPIC_ANOMALY): topics below their target replication factor. */
  topicsBelowReplicationFactor?: UnderReplicatedTopic[];
  /** Ballast (TOPIC_ANOMALY): partitions above the size limit, largest first (at most 20 listed). */
  oversizedPartitions?: OversizedPartition[];
}

export interface CycleRecords {
  records: AnomalyRecord[];
  /** Records closed this cycle (no longer detected), for logs. */
  resolved: AnomalyRecord[];
}

/** Records after a detection cycle: the open ones updated, the vanished ones closed, `maxPerType` kept per type. */
export function recordCycle(
  records: readonly AnomalyRecord[],
  anomalies: readonly Anomaly[],
  decisions: readonly Decision[],
  nowMs: number,
  maxPerType: number,
): CycleRecords {
  const byId = new Map(anomalies.map((a) => [a.id, a]));
  const next: AnomalyRecord[] = [];
  const resolved: AnomalyRecord[] = [];
  const open = new Map<string, AnomalyRecord>();
  for (const r of records) {
    if (r.resolvedMs !== undefined) {
      next.push(r);
    } else if (byId.has(r.anomalyId)) {
      open.set(r.anomalyId, r);
    } else {
      // A heal was started for it, even if the anomaly outlived the heal and was decided afresh since
      // (a failed log dir stays failed once its replicas are re-homed: nothing left to heal).
      const healed = r.status === 'FIX_STARTED' || r.fixStartedMs !== undefined;
      const closed: AnomalyRecord = {
        ...r,
        resolvedMs: nowMs,
        reason: healed
          ? 'no longer detected after self-healing'
          : r.action === 'IGNORE'
            ? 'no longer detected'
            : 'no longer detected before any heal started: the pending heal is cancelled',
      };
      next.push(closed);
      resolved.push(closed);
    }
  }
  for (const d of decisions) {
    const anomaly = byId.get(d.anomalyId)!;
    const before = open.get(d.anomalyId);
    const record: AnomalyRecord = {
      ...before,
      ...detailsOf(anomaly),
      anomalyId: anomaly.id,
      type: anomaly.type,
      detectionMs: anomaly.firstSeenMs,
      description: anomaly.description,
      // A FIX decision is recorded as FIX_STARTED only once the execution has started (see withOutcome).
      status: d.action === 'FIX' ? (before?.status ?? 'DETECTED') : d.status,
      statusUpdateMs: before?.statusUpdateMs ?? nowMs,
      action: d.action,
      reason: d.reason,
    };
    if (before !== undefined && before.status !== record.status) record.statusUpdateMs = nowMs;
    next.push(record);
  }
  return { records: trim(next, maxPerType), resolved };
}

/** The record of `anomalyId` after its heal was tried: started (with the execution) or failed to start. */
export function withOutcome(
  records: readonly AnomalyRecord[],
  anomalyId: string,
  nowMs: number,
  outcome: { status: AnomalyStatus; reason: string; executionId?: string },
): AnomalyRecord[] {
  return records.map((r) =>
    r.anomalyId === anomalyId && r.resolvedMs === undefined
      ? {
          ...r,
          status: outcome.status,
          statusUpdateMs: nowMs,
          reason: outcome.reason,
          ...(outcome.executionId !== undefined ? { executionId: outcome.executionId, fixStartedMs: nowMs } : {}),
        }
      : r,
  );
}

/** A cluster can have thousands of oversized partitions; /state lists the largest. */
const MAX_LISTED_PARTITIONS = 20;

function detailsOf(a: Anomaly): Partial<AnomalyRecord> {
  switch (a.type) {
    case 'BROKER_FAILURE':
      return { failedBrokersByTimeMs: a.failedBrokersByTimeMs };
    case 'DISK_FAILURE':
      return { failedDisksByTimeMs: a.failedDisksByTimeMs };
    case 'METRIC_ANOMALY':
      return { slowBrokers: a.slowBrokers, slowBrokerAction: a.action };
    case 'GOAL_VIOLATION':
      return { fixableViolatedGoals: a.fixableViolatedGoals, unfixableViolatedGoals: a.unfixableViolatedGoals };
    case 'TOPIC_ANOMALY':
      return {
        topicsBelowReplicationFactor: a.topics,
        oversizedPartitions: a.oversizedPartitions.slice(0, MAX_LISTED_PARTITIONS),
      };
  }
}

/** Newest first per type; open records are always kept. */
function trim(records: AnomalyRecord[], maxPerType: number): AnomalyRecord[] {
  const sorted = [...records].sort((a, b) => b.detectionMs - a.detectionMs || (a.anomalyId < b.anomalyId ? -1 : 1));
  const kept = new Map<string, number>();
  return sorted.filter((r) => {
    const n = kept.get(r.type) ?? 0;
    if (r.resolvedMs !== undefined && n >= maxPerType) return false;
    kept.set(r.type, n + 1);
    return true;
  });
}
