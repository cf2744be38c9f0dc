// Anomaly detector metrics, read at scrape time from its state (what GET /state reports): open
// anomalies by type and status, self-healing switches and actions, and the N-1 failure budget.
import { Counter, type Registry } from 'prom-client';
import { ANOMALY_TYPES, type AnomalyDetectorStateJson, type AnomalyRecord } from '../detector/index.js';
import { bool, pullGauge, pullValue, seconds, type ScrapeCache } from './pull-gauge.js';

/** Where detector metrics read from (AnomalyDetectorService.state in the app). */
export interface DetectorMetricsSource {
  detectorState(): AnomalyDetectorStateJson;
}

/** Every anomaly record the state lists, whatever its type. */
export function anomalyRecords(state: AnomalyDetectorStateJson): AnomalyRecord[] {
  return [
    ...state.recentBrokerFailures,
    ...state.recentDiskFailures,
    ...state.recentGoalViolations,
    ...state.recentTopicAnomalies,
    ...state.recentMetricAnomalies,
    ...state.recentMaintenanceEvents,
  ];
}

export function registerDetectorMetrics(registry: Registry, source: DetectorMetricsSource, cache: ScrapeCache): void {
  const state = cache.memo(() => source.detectorState());
  const open = cache.memo(() => anomalyRecords(state()).filter((r) => r.resolvedMs === undefined));

  pullGauge(
    registry,
    'ballast_anomalies_open',
    'Anomalies detected and not resolved, by type (every type listed, 0 when none).',
    ['type'],
    function* () {
      const records = open();
      for (const type of ANOMALY_TYPES) yield [{ type }, records.filter((r) => r.type === type).length];
    },
  );
  pullGauge(
    registry,
    'ballast_anomalies',
    "Open anomalies by type and Cruise Control's anomaly status (DETECTED, FIX_STARTED, ...).",
    ['type', 'status'],
    function* () {
      const counts = new Map<string, { type: string; status: string; n: number }>();
      for (const r of open()) {
        const key = `${r.type}/${r.status}`;
        const entry = counts.get(key) ?? { type: r.type, status: r.status, n: 0 };
        entry.n++;
        counts.set(key, entry);
      }
      for (const { type, status, n } of counts.values()) yield [{ type, status }, n];
    },
  );
  pullGauge(
    registry,
    'ballast_self_healing_enabled',
    'Whether self-healing is on for each anomaly type (1) or off (0).',
    ['type'],
    () => ANOMALY_TYPES.map((type) => [{ type }, bool(state().selfHealingEnabled.includes(type))]),
  );
  pullGauge(
    registry,
    'ballast_self_healing_overdue_seconds',
    'Per anomaly type, how long the oldest open anomaly has been past its fix threshold with no heal running although self-healing is on and the failure budget allows it (0 when none).',
    ['type'],
    () => ANOMALY_TYPES.map((type) => [{ type }, Math.max(0, state().healOverdueMs[type]) / 1000]),
  );
  pullValue(registry, 'ballast_self_healing_in_progress', 'Whether a self-healing execution is running.', () => {
    return bool(state().ongoingSelfHealingAnomaly !== undefined);
  });
  // The detector persists these counts in Redis, so they survive a restart; the counters mirror them.
  new Counter({
    name: 'ballast_self_healing_started_total',
    help: 'Self-healing executions started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(state().metrics.numSelfHealingStarted);
    },
  });
  new Counter({
    name: 'ballast_self_healing_failed_to_start_total',
    help: 'Self-healing executions that could not start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(state().metrics.numSelfHealingFailedToStart);
    },
  });
  pullValue(
    registry,
    'ballast_failure_budget_brokers',
    'The N-1 failure budget: brokers that may be down or impaired while self-healing still acts.',
    () => {
      return state().failureBudget.budget;
    },
  );
  pullValue(
    registry,
    'ballast_failure_budget_used_brokers',
    'Brokers counted against the failure budget (down, plus impaired when detector.countImpairedBrokers).',
    () => state().failureBudget.countedBrokers,
  );
  pullValue(
    registry,
    'ballast_failure_budget_exceeded',
    'Whether more brokers failed than the budget allows (self-healing stands down).',
    () => {
      return bool(!state().failureBudget.withinBudget);
    },
  );
  pullValue(registry, 'ballast_failed_brokers', 'Brokers down, as of the last detection.', () => {
    return state().failureBudget.failedBrokers.length;
  });
  pullValue(
    registry,
    'ballast_impaired_brokers',
    'Live brokers with a failed log dir, as of the last detection.',
    () => {
      return state().failureBudget.impairedBrokers.length;
    },
  );
  pullValue(registry, 'ballast_anomaly_detection_timestamp_seconds', 'When the detectors last ran, Unix time.', () => {
    const last = state().lastDetectionMs;
    return last === null ? null : seconds(last);
  });
  pullValue(registry, 'ballast_anomaly_detection_failing', 'Whether the last detection cycle could not run.', () => {
    return bool(state().lastDetectionError !== undefined);
  });
}
