// Ballast's alert rules with the real promtool (Debian's prometheus package): the rule file is
// valid, and promtool's rule unit tests fire (and hold back) the alerts on synthetic series.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ensurePromtool } from '../../scripts/tools/promtool.js';

const RULES = resolve('helm/ballast/files/ballast-rules.yaml');

interface Rule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

/** The annotations promtool renders for `alert` with the given $value and $labels (only the templates these rules use). */
function annotations(alert: string, value: number, labels: Record<string, string>): Record<string, string> {
  const rule = rules.find((r) => r.alert === alert)!;
  return Object.fromEntries(
    Object.entries(rule.annotations).map(([name, text]) => [
      name,
      text
        .replace(/\{\{ \$value \}\}/g, String(value))
        .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, label: string) => labels[label] ?? ''),
    ]),
  );
}

const target = { job: 'ballast', instance: 'ballast:9090' };
const series = (name: string, extra: Record<string, string> = {}) =>
  `${name}{${Object.entries({ ...target, ...extra })
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

function firing(alert: string, value: number, extra: Record<string, string> = {}) {
  const rule = rules.find((r) => r.alert === alert)!;
  const labels = { ...target, ...extra, ...rule.labels };
  return { exp_labels: labels, exp_annotations: annotations(alert, value, labels) };
}

/** promtool rule unit tests: each case gives series (one sample a minute) and what is expected when. */
const TESTS = [
  {
    interval: '1m',
    input_series: [
      { series: series('ballast_failure_budget_used_brokers'), values: '0 0 2x10' },
      { series: series('ballast_failure_budget_brokers'), values: '1x12' },
    ],
    alert_rule_test: [
      // Over budget from 2m; `for: 1m` holds it back until 3m.
      { eval_time: '2m', alertname: 'BallastFailureBudgetExceeded', exp_alerts: [] },
      {
        eval_time: '4m',
        alertname: 'BallastFailureBudgetExceeded',
        exp_alerts: [firing('BallastFailureBudgetExceeded', 2)],
      },
    ],
  },
  {
    interval: '1m',
    input_series: [
      { series: series('ballast_anomalies_open', { type: 'GOAL_VIOLATION' }), values: '1x20' },
      { series: series('ballast_self_healing_enabled', { type: 'GOAL_VIOLATION' }), values: '0x20' },
      // Healing is on for broker failures: no alert for that type.
      { series: series('ballast_anomalies_open', { type: 'BROKER_FAILURE' }), values: '1x20' },
      { series: series('ballast_self_healing_enabled', { type: 'BROKER_FAILURE' }), values: '1x20' },
      { series: series('ballast_anomalies_open', { type: 'DISK_FAILURE' }), values: '0x20' },
      { series: series('ballast_self_healing_enabled', { type: 'DISK_FAILURE' }), values: '0x20' },
    ],
    alert_rule_test: [
      { eval_time: '3m', alertname: 'BallastAnomalyWithSelfHealingDisabled', exp_alerts: [] },
      {
        eval_time: '10m',
        alertname: 'BallastAnomalyWithSelfHealingDisabled',
        exp_alerts: [firing('BallastAnomalyWithSelfHealingDisabled', 1, { type: 'GOAL_VIOLATION' })],
      },
    ],
  },
  {
    interval: '1m',
    input_series: [
      // Due since 0 (the fix threshold passed), never started; disk failures healed on time.
      { series: series('ballast_self_healing_overdue_seconds', { type: 'BROKER_FAILURE' }), values: '0+60x30' },
      { series: series('ballast_self_healing_overdue_seconds', { type: 'DISK_FAILURE' }), values: '0x30' },
    ],
    alert_rule_test: [
      // Over 600 s from 11m; `for: 5m` holds it back until 16m.
      { eval_time: '15m', alertname: 'BallastSelfHealingOverdue', exp_alerts: [] },
      {
        eval_time: '17m',
        alertname: 'BallastSelfHealingOverdue',
        exp_alerts: [firing('BallastSelfHealingOverdue', 1020, { type: 'BROKER_FAILURE' })],
      },
    ],
  },
  {
    interval: '1m',
    input_series: [
      // Started at time 0 and never progressed since.
      { series: series('ballast_execution_in_progress'), values: '1x60' },
      { series: series('ballast_execution_last_progress_timestamp_seconds'), values: '0x60' },
    ],
    alert_rule_test: [
      { eval_time: '35m', alertname: 'BallastExecutionStalled', exp_alerts: [] },
      { eval_time: '37m', alertname: 'BallastExecutionStalled', exp_alerts: [firing('BallastExecutionStalled', 1)] },
    ],
  },
  {
    interval: '1m',
    input_series: [
      // A task starts or finishes every minute: never stalled, however long it runs.
      { series: series('ballast_execution_in_progress'), values: '1x60' },
      { series: series('ballast_execution_last_progress_timestamp_seconds'), values: '0+60x60' },
    ],
    alert_rule_test: [{ eval_time: '60m', alertname: 'BallastExecutionStalled', exp_alerts: [] }],
  },
  {
    interval: '1m',
    input_series: [
      { series: series('ballast_model_ready'), values: '0x40' },
      { series: series('ballast_model_ready', { instance: 'other:9090' }), values: '0x5 1x35' },
    ],
    alert_rule_test: [
      { eval_time: '29m', alertname: 'BallastModelNotReady', exp_alerts: [] },
      { eval_time: '31m', alertname: 'BallastModelNotReady', exp_alerts: [firing('BallastModelNotReady', 0)] },
    ],
  },
  {
    interval: '1m',
    input_series: [
      {
        series: series('ballast_proposal_computations_total', { operation: 'optimize', result: 'failure' }),
        values: '0+1x30',
      },
      {
        series: series('ballast_proposal_computations_total', { operation: 'optimize', result: 'success' }),
        values: '5x30',
      },
      // The second instance still succeeds now and then: not failing.
      {
        series: series('ballast_proposal_computations_total', {
          instance: 'b:9090',
          operation: 'optimize',
          result: 'failure',
        }),
        values: '0+1x30',
      },
      {
        series: series('ballast_proposal_computations_total', {
          instance: 'b:9090',
          operation: 'optimize',
          result: 'success',
        }),
        values: '0+1x30',
      },
    ],
    alert_rule_test: [
      { eval_time: '3m', alertname: 'BallastProposalComputationFailing', exp_alerts: [] },
      {
        eval_time: '20m',
        alertname: 'BallastProposalComputationFailing',
        // increase() over 15 one-per-minute failures extrapolates to the window's 15.
        exp_alerts: [firing('BallastProposalComputationFailing', 15)],
      },
    ],
  },
  {
    interval: '1m',
    input_series: [
      // The leader serves 1 until 4m, then only standbys answer.
      { series: series('ballast_leader'), values: '1x4 0x20' },
      { series: series('ballast_leader', { instance: 'standby:9090' }), values: '0x25' },
    ],
    alert_rule_test: [
      { eval_time: '3m', alertname: 'BallastNoLeader', exp_alerts: [] },
      { eval_time: '8m', alertname: 'BallastNoLeader', exp_alerts: [] },
      {
        eval_time: '12m',
        alertname: 'BallastNoLeader',
        exp_alerts: [
          {
            exp_labels: { job: 'ballast', severity: 'warning' },
            exp_annotations: annotations('BallastNoLeader', 0, {}),
          },
        ],
      },
    ],
  },
  {
    interval: '1m',
    // No instance answers at all.
    input_series: [{ series: series('ballast_model_ready'), values: '1x10' }],
    alert_rule_test: [
      {
        eval_time: '6m',
        alertname: 'BallastNoLeader',
        exp_alerts: [{ exp_labels: { severity: 'warning' }, exp_annotations: annotations('BallastNoLeader', 1, {}) }],
      },
    ],
  },
];

describe('alert rules (promtool)', () => {
  let promtool: string;
  let dir: string;

  beforeAll(() => {
    promtool = ensurePromtool();
    dir = mkdtempSync(join(tmpdir(), 'ballast-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the rule file passes promtool check rules and holds the five alerts the issue asks for', () => {
    const run = spawnSync(promtool, ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS: \d+ rules found/);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'BallastFailureBudgetExceeded',
        'BallastAnomalyWithSelfHealingDisabled',
        'BallastExecutionStalled',
        'BallastModelNotReady',
        'BallastProposalComputationFailing',
      ]),
    );
  });

  it('fires each alert when its condition has lasted, and not before or otherwise (promtool test rules)', () => {
    const file = join(dir, 'ballast-rules.test.yaml');
    writeFileSync(file, stringify({ rule_files: [RULES], evaluation_interval: '1m', tests: TESTS }));
    const run = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS/);
  });

  it('promtool test rules fails when an expectation is wrong (the harness can fail)', () => {
    const wrong = structuredClone(TESTS[0]!);
    wrong.alert_rule_test[0] = { ...wrong.alert_rule_test[1]!, eval_time: '2m' };
    const file = join(dir, 'wrong.test.yaml');
    writeFileSync(file, stringify({ rule_files: [RULES], evaluation_interval: '1m', tests: [wrong] }));
    const run = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/BallastFailureBudgetExceeded/);
  });
});
