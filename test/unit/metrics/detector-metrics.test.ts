// Detector metrics on an in-memory AnomalyDetectorState: open anomalies by type and status,
// self-healing switches and counts, and the failure budget.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_TYPES,
  anomalyDetectorState,
  type AnomalyRecord,
  type DetectorStateInput,
} from '../../../src/detector/index.js';
import { registerDetectorMetrics } from '../../../src/metrics/detector.metrics.js';
import { ScrapeCache } from '../../../src/metrics/pull-gauge.js';
import { scrape } from '../../support/scrape.js';

const anomaly = (over: Partial<AnomalyRecord>): AnomalyRecord => ({
  anomalyId: 'BROKER_FAILURE:1',
  type: 'BROKER_FAILURE',
  detectionMs: 1_000,
  statusUpdateMs: 2_000,
  status: 'DETECTED',
  description: 'broker 1 down',
  action: 'WAIT',
  reason: 'below the fix threshold',
  ...over,
});

function input(over: Partial<DetectorStateInput> = {}): DetectorStateInput {
  const selfHealing = Object.fromEntries(ANOMALY_TYPES.map((t) => [t, false])) as DetectorStateInput['selfHealing'];
  return {
    nowMs: 10_000,
    selfHealing: { ...selfHealing, BROKER_FAILURE: true, DISK_FAILURE: true },
    records: [],
    budget: {
      budget: 1,
      failedBrokers: [],
      impairedBrokers: [],
      countedBrokers: 0,
      withinBudget: true,
      reason: '0 brokers down, failure budget 1: within budget',
    },
    ongoingSelfHealingAnomaly: null,
    numSelfHealingStarted: 0,
    numSelfHealingFailedToStart: 0,
    balancednessScore: 100,
    lastDetectionMs: null,
    fixThresholdMs: {
      BROKER_FAILURE: 5_000,
      DISK_FAILURE: 5_000,
      METRIC_ANOMALY: 5_000,
      GOAL_VIOLATION: 5_000,
      TOPIC_ANOMALY: 5_000,
    },
    ...over,
  };
}

function setup(first: DetectorStateInput) {
  const registry = new Registry();
  const cache = new ScrapeCache();
  const source = { input: first };
  registerDetectorMetrics(registry, { detectorState: () => anomalyDetectorState(source.input) }, cache);
  return { registry, cache, source };
}

describe('detector metrics', () => {
  it('list every anomaly type with zero open anomalies, and the self-healing switches', async () => {
    const { registry, cache } = setup(input());
    const m = await scrape(registry, cache);
    const open = m.get('ballast_anomalies_open')!;
    expect(open.size).toBe(ANOMALY_TYPES.length);
    expect([...open.values()].every((v) => v === 0)).toBe(true);
    expect(m.get('ballast_anomalies')?.size ?? 0).toBe(0);
    expect(m.get('ballast_self_healing_enabled')?.get('{type=BROKER_FAILURE}')).toBe(1);
    expect(m.get('ballast_self_healing_enabled')?.get('{type=GOAL_VIOLATION}')).toBe(0);
    expect(m.get('ballast_anomaly_detection_timestamp_seconds')?.size ?? 0).toBe(0);
    expect(m.get('ballast_failure_budget_exceeded')?.get('{}')).toBe(0);
  });

  it('count open anomalies by type and status, leaving out resolved ones', async () => {
    const { registry, cache } = setup(
      input({
        lastDetectionMs: 9_000,
        records: [
          anomaly({}),
          anomaly({ anomalyId: 'GOAL_VIOLATION:a', type: 'GOAL_VIOLATION', status: 'FIX_STARTED', action: 'FIX' }),
          anomaly({ anomalyId: 'GOAL_VIOLATION:b', type: 'GOAL_VIOLATION', status: 'FIX_STARTED', action: 'FIX' }),
          anomaly({ anomalyId: 'DISK_FAILURE:2', type: 'DISK_FAILURE', resolvedMs: 5_000 }),
        ],
        ongoingSelfHealingAnomaly: 'GOAL_VIOLATION:a',
        numSelfHealingStarted: 3,
        numSelfHealingFailedToStart: 1,
      }),
    );
    const m = await scrape(registry, cache);
    expect(m.get('ballast_anomalies_open')?.get('{type=BROKER_FAILURE}')).toBe(1);
    expect(m.get('ballast_anomalies_open')?.get('{type=GOAL_VIOLATION}')).toBe(2);
    expect(m.get('ballast_anomalies_open')?.get('{type=DISK_FAILURE}')).toBe(0);
    expect([...m.get('ballast_anomalies')!]).toEqual([
      ['{status=DETECTED,type=BROKER_FAILURE}', 1],
      ['{status=FIX_STARTED,type=GOAL_VIOLATION}', 2],
    ]);
    expect(m.get('ballast_self_healing_in_progress')?.get('{}')).toBe(1);
    expect(m.get('ballast_self_healing_started_total')?.get('{}')).toBe(3);
    expect(m.get('ballast_self_healing_failed_to_start_total')?.get('{}')).toBe(1);
    expect(m.get('ballast_anomaly_detection_timestamp_seconds')?.get('{}')).toBe(9);
  });

  it('report how long a wanted heal is overdue: past the fix threshold, self-healing on, within budget, none running', async () => {
    const waiting = anomaly({ action: 'STOP_EXECUTION', status: 'CHECK_WITH_DELAY', detectionMs: 1_000 });
    const { registry, cache, source } = setup(
      input({
        records: [
          waiting,
          // Unfixable (the policy only alerts) or being healed: not overdue.
          anomaly({ anomalyId: 'DISK_FAILURE:2', type: 'DISK_FAILURE', action: 'ALERT', detectionMs: 0 }),
          anomaly({ anomalyId: 'TOPIC_ANOMALY:t', type: 'TOPIC_ANOMALY', status: 'FIX_STARTED', action: 'WAIT' }),
        ],
      }),
    );
    let m = await scrape(registry, cache);
    // 10 s now − 1 s detected − 5 s fix threshold.
    expect(m.get('ballast_self_healing_overdue_seconds')?.get('{type=BROKER_FAILURE}')).toBe(4);
    expect(m.get('ballast_self_healing_overdue_seconds')?.get('{type=DISK_FAILURE}')).toBe(0);
    expect(m.get('ballast_self_healing_overdue_seconds')?.get('{type=TOPIC_ANOMALY}')).toBe(0);
    // Beyond the budget it is the budget alert's business, not this one's.
    source.input = input({
      records: [waiting],
      budget: { ...input().budget, withinBudget: false, failedBrokers: [1, 2], countedBrokers: 2 },
    });
    m = await scrape(registry, cache);
    expect(m.get('ballast_self_healing_overdue_seconds')?.get('{type=BROKER_FAILURE}')).toBe(0);
  });

  it('report the failure budget, its use and when it is exceeded', async () => {
    const { registry, cache } = setup(
      input({
        budget: {
          budget: 1,
          failedBrokers: [1, 4],
          impairedBrokers: [2],
          countedBrokers: 3,
          withinBudget: false,
          reason: '2 brokers down, 1 impaired, failure budget 1: not healing',
        },
        lastDetectionError: 'Kafka unreachable',
      }),
    );
    const m = await scrape(registry, cache);
    expect(m.get('ballast_failure_budget_brokers')?.get('{}')).toBe(1);
    expect(m.get('ballast_failure_budget_used_brokers')?.get('{}')).toBe(3);
    expect(m.get('ballast_failure_budget_exceeded')?.get('{}')).toBe(1);
    expect(m.get('ballast_failed_brokers')?.get('{}')).toBe(2);
    expect(m.get('ballast_impaired_brokers')?.get('{}')).toBe(1);
    expect(m.get('ballast_anomaly_detection_failing')?.get('{}')).toBe(1);
  });
});
