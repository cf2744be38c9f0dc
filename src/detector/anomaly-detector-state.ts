// The anomaly_detector part of GET /state in Cruise Control's AnomalyDetectorState shape, plus
// Ballast's failure-budget status and each anomaly's last decision. Pure.
import { ANOMALY_TYPES, type AnomalyType, type DetectedType } from './anomaly.js';
import type { AnomalyRecord } from './anomaly-records.js';
import type { FailureBudgetStatus } from './self-healing.policy.js';

export interface AnomalyDetectorStateJson {
  selfHealingEnabled: AnomalyType[];
  selfHealingDisabled: AnomalyType[];
  selfHealingEnabledRatio: Record<AnomalyType, number>;
  recentGoalViolations: AnomalyRecord[];
  recentBrokerFailures: AnomalyRecord[];
  recentMetricAnomalies: AnomalyRecord[];
  recentDiskFailures: AnomalyRecord[];
  recentTopicAnomalies: AnomalyRecord[];
  recentMaintenanceEvents: AnomalyRecord[];
  metrics: {
    meanTimeBetweenAnomaliesMs: Record<AnomalyType, number>;
    meanTimeToStartFixMs: number;
    numSelfHealingStarted: number;
    numSelfHealingFailedToStart: number;
    ongoingAnomalyDurationMs: number;
  };
  ongoingSelfHealingAnomaly?: string;
  balancednessScore: number;
  /**
   * Ballast: per type, how long the oldest open anomaly has been past its fix threshold without a
   * heal running although self-healing is on and the budget allows it (a heal that waits, cannot
   * start, or is held by an execution), ms; 0 when none is.
   */
  healOverdueMs: Record<AnomalyType, number>;
  /** Ballast: the N-1 failure budget as of the last detection. */
  failureBudget: Omit<FailureBudgetStatus, 'countedBrokers'> & { countedBrokers: number };
  /** Ballast: when the detectors last ran, epoch ms; null before the first run. */
  lastDetectionMs: number | null;
  /** Ballast: why the last detection could not run, when it could not. */
  lastDetectionError?: string;
}

export interface DetectorStateInput {
  nowMs: number;
  selfHealing: Readonly<Record<AnomalyType, boolean>>;
  records: readonly AnomalyRecord[];
  budget: FailureBudgetStatus;
  ongoingSelfHealingAnomaly: string | null;
  numSelfHealingStarted: number;
  numSelfHealingFailedToStart: number;
  balancednessScore: number;
  lastDetectionMs: number | null;
  lastDetectionError?: string;
  /** Each detected type's fix threshold, ms. */
  fixThresholdMs: Readonly<Record<DetectedType, number>>;
}

/** Actions by which the policy wanted a heal it did not start (ALERT and IGNORE mean it did not want one). */
const WANTED_HEAL = new Set(['FIX', 'WAIT', 'STOP_EXECUTION']);

export function anomalyDetectorState(input: DetectorStateInput): AnomalyDetectorStateJson {
  const enabled = ANOMALY_TYPES.filter((t) => input.selfHealing[t]);
  const ratio = {} as Record<AnomalyType, number>;
  const between = {} as Record<AnomalyType, number>;
  for (const t of ANOMALY_TYPES) {
    ratio[t] = input.selfHealing[t] ? 1 : 0;
    const times = input.records
      .filter((r) => r.type === t)
      .map((r) => r.detectionMs)
      .sort((a, b) => a - b);
    between[t] = times.length < 2 ? 0 : (times.at(-1)! - times[0]!) / (times.length - 1);
  }
  const ofType = (t: AnomalyType) => input.records.filter((r) => r.type === t);
  const fixStarts = input.records.filter((r) => r.fixStartedMs !== undefined);
  const open = input.records.filter((r) => r.resolvedMs === undefined);
  const oldestOpen = open.length === 0 ? null : Math.min(...open.map((r) => r.detectionMs));
  const overdue = Object.fromEntries(ANOMALY_TYPES.map((t) => [t, 0])) as Record<AnomalyType, number>;
  for (const r of open) {
    if (!input.selfHealing[r.type] || !input.budget.withinBudget || r.status === 'FIX_STARTED') continue;
    if (!WANTED_HEAL.has(r.action)) continue;
    overdue[r.type] = Math.max(overdue[r.type], input.nowMs - r.detectionMs - input.fixThresholdMs[r.type]);
  }
  return {
    selfHealingEnabled: enabled,
    selfHealingDisabled: ANOMALY_TYPES.filter((t) => !input.selfHealing[t]),
    selfHealingEnabledRatio: ratio,
    recentGoalViolations: ofType('GOAL_VIOLATION'),
    recentBrokerFailures: ofType('BROKER_FAILURE'),
    recentMetricAnomalies: ofType('METRIC_ANOMALY'),
    recentDiskFailures: ofType('DISK_FAILURE'),
    recentTopicAnomalies: ofType('TOPIC_ANOMALY'),
    recentMaintenanceEvents: [],
    metrics: {
      meanTimeBetweenAnomaliesMs: between,
      meanTimeToStartFixMs:
        fixStarts.length === 0
          ? 0
          : fixStarts.reduce((sum, r) => sum + (r.fixStartedMs! - r.detectionMs), 0) / fixStarts.length,
      numSelfHealingStarted: input.numSelfHealingStarted,
      numSelfHealingFailedToStart: input.numSelfHealingFailedToStart,
      ongoingAnomalyDurationMs: oldestOpen === null ? 0 : input.nowMs - oldestOpen,
    },
    ...(input.ongoingSelfHealingAnomaly !== null ? { ongoingSelfHealingAnomaly: input.ongoingSelfHealingAnomaly } : {}),
    balancednessScore: input.balancednessScore,
    healOverdueMs: overdue,
    failureBudget: input.budget,
    lastDetectionMs: input.lastDetectionMs,
    ...(input.lastDetectionError !== undefined ? { lastDetectionError: input.lastDetectionError } : {}),
  };
}
