// The dashboards and alert rules name only metrics Ballast really exports (its own ballast_*
// series and the standard process_/nodejs_ ones), and the committed dashboard files are exactly
// what scripts/tools/dashboards.ts generates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRUISE_CONTROL_ENDPOINTS } from '../../../src/api/endpoints.js';
import { anomalyDetectorState, ANOMALY_TYPES } from '../../../src/detector/index.js';
import { registerApiMetrics } from '../../../src/metrics/api.metrics.js';
import { registerDetectorMetrics } from '../../../src/metrics/detector.metrics.js';
import { registerExecutorMetrics } from '../../../src/metrics/executor.metrics.js';
import { MetricsService } from '../../../src/metrics/metrics.service.js';
import { registerModelMetrics } from '../../../src/metrics/model.metrics.js';
import { registerProposalMetrics } from '../../../src/metrics/proposal.metrics.js';
import { DASHBOARDS, DASHBOARDS_DIR, dashboardJson } from '../../../scripts/tools/dashboards.js';

/** Every metric name a scrape of Ballast can hold, histogram and summary series included. */
function exportedNames(): Set<string> {
  const metrics = new MetricsService();
  const { registry, scrapeCache } = metrics;
  registerModelMetrics(registry, { monitorState: () => ({}) as never, latestProposal: () => null }, scrapeCache);
  registerProposalMetrics(registry);
  // src/api registers these when it mounts the request middleware.
  registerApiMetrics(registry, CRUISE_CONTROL_ENDPOINTS);
  registerExecutorMetrics(registry, { lastExecution: () => null }, scrapeCache);
  const off = Object.fromEntries(ANOMALY_TYPES.map((t) => [t, false])) as Record<
    (typeof ANOMALY_TYPES)[number],
    boolean
  >;
  registerDetectorMetrics(
    registry,
    {
      detectorState: () =>
        anomalyDetectorState({
          nowMs: 0,
          selfHealing: off,
          records: [],
          fixThresholdMs: {
            BROKER_FAILURE: 0,
            DISK_FAILURE: 0,
            METRIC_ANOMALY: 0,
            GOAL_VIOLATION: 0,
            TOPIC_ANOMALY: 0,
          },
          budget: {
            budget: 1,
            failedBrokers: [],
            impairedBrokers: [],
            countedBrokers: 0,
            withinBudget: true,
            reason: '',
          },
          ongoingSelfHealingAnomaly: null,
          numSelfHealingStarted: 0,
          numSelfHealingFailedToStart: 0,
          balancednessScore: 100,
          lastDetectionMs: null,
        }),
    },
    scrapeCache,
  );
  const names = new Set<string>();
  for (const m of registry.getMetricsAsArray()) {
    const { name, type } = m as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** Metric names in a PromQL expression (Ballast's and the process/runtime ones). */
const metricNames = (expr: string): string[] =>
  [...expr.matchAll(/\b(?:ballast|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0]);

const panelExprs = (): { where: string; expr: string }[] =>
  DASHBOARDS.flatMap((d) =>
    d.panels.flatMap((p) => p.targets.map((t) => ({ where: `${d.title} / ${p.title}`, expr: t.expr }))),
  );

describe('dashboards and alert rules', () => {
  it('every dashboard query names only exported metrics, and selects by the job variable', () => {
    const names = exportedNames();
    const unknown: string[] = [];
    for (const { where, expr } of panelExprs()) {
      const used = metricNames(expr);
      expect(used.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const name of used) if (!names.has(name)) unknown.push(`${where}: ${name}`);
      expect(expr, where).toContain('job=~"$job"');
    }
    expect(unknown).toEqual([]);
  });

  it('every alert expression names only exported metrics', () => {
    const names = exportedNames();
    const file = parse(readFileSync('helm/ballast/files/ballast-rules.yaml', 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) {
      const used = metricNames(rule.expr);
      expect(used.length, rule.alert).toBeGreaterThan(0);
      expect(
        used.filter((n) => !names.has(n)),
        rule.alert,
      ).toEqual([]);
    }
  });

  it('the committed dashboard files are what the generator writes', () => {
    expect(DASHBOARDS).toHaveLength(4);
    for (const spec of DASHBOARDS) {
      const committed = JSON.parse(readFileSync(join(DASHBOARDS_DIR, spec.file), 'utf8')) as unknown;
      expect(committed, `${spec.file}: run npx tsx scripts/tools/dashboards.ts`).toEqual(dashboardJson(spec));
    }
  });

  it('the metric-name check would catch a panel on a metric that does not exist', () => {
    const names = exportedNames();
    expect(metricNames('rate(ballast_no_such_metric_total[5m])').every((n) => names.has(n))).toBe(false);
    expect(names.has('ballast_proposal_computation_seconds_bucket')).toBe(true);
    expect(names.has('process_cpu_seconds_total')).toBe(true);
  });
});
