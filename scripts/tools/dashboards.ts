// Writes Ballast's Grafana dashboards (helm/ballast/dashboards/*.json) from the short panel lists
// below, so every query stays in one readable place. Run `npx tsx scripts/tools/dashboards.ts`
// after changing a panel; test/e2e/observability.test.ts evaluates every query against a real
// Prometheus scraping Ballast.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { dashboardJson, type DashboardSpec, type PanelSpec } from './grafana-json.js';

export { dashboardJson, type DashboardSpec, type PanelSpec } from './grafana-json.js';

/** Every query selects the Ballast instances of the `job` variable. */
const J = '{job=~"$job"}';
const j = (extra: string) => `{job=~"$job",${extra}}`;
const RESOURCES = [
  ['disk', 'Disk'],
  ['network_inbound', 'Network in'],
  ['network_outbound', 'Network out'],
  ['cpu', 'CPU'],
] as const;

export const DASHBOARDS: DashboardSpec[] = [
  {
    uid: 'ballast-cluster-balance',
    title: 'Ballast / Cluster balance',
    file: 'ballast-cluster-balance.json',
    description: 'Per-broker utilization as Ballast’s workload model sees it, balancedness, replicas and leaders.',
    panels: [
      ...RESOURCES.map(([resource, name]): PanelSpec => ({
        title: `${name} utilization by broker over time`,
        type: 'heatmap',
        targets: [{ expr: `ballast_broker_utilization_ratio${j(`resource="${resource}"`)}`, legend: '{{broker}}' }],
        unit: 'percentunit',
        width: 12,
        min: 0,
        max: 1,
      })),
      ...RESOURCES.map(([resource, name]): PanelSpec => ({
        title: `${name} utilization by broker`,
        type: 'bargauge',
        targets: [
          { expr: `ballast_broker_utilization_ratio${j(`resource="${resource}"`)}`, legend: 'broker {{broker}}' },
        ],
        unit: 'percentunit',
        width: 6,
        min: 0,
        max: 1,
      })),
      {
        title: 'Balancedness score',
        type: 'timeseries',
        description:
          'Cruise Control’s score (0-100) of the cluster as it is, and as the latest proposal would leave it.',
        targets: [
          { expr: `ballast_balancedness_score${J}`, legend: 'now' },
          { expr: `ballast_proposal_balancedness_score${J}`, legend: 'after the proposal' },
        ],
        min: 0,
        max: 100,
      },
      {
        title: 'Goal violations by goal',
        type: 'bargauge',
        targets: [{ expr: `ballast_goal_violations${J}`, legend: '{{goal}}' }],
      },
      {
        title: 'Replicas per broker',
        type: 'timeseries',
        targets: [{ expr: `ballast_broker_replicas${J}`, legend: 'broker {{broker}}' }],
      },
      {
        title: 'Leaders per broker',
        type: 'timeseries',
        targets: [{ expr: `ballast_broker_leaders${J}`, legend: 'broker {{broker}}' }],
      },
      {
        title: 'Disk used per broker',
        type: 'bargauge',
        targets: [{ expr: `ballast_broker_disk_used_bytes${J}`, legend: 'broker {{broker}}' }],
        unit: 'bytes',
      },
      {
        title: 'Latest proposal',
        type: 'stat',
        targets: [
          { expr: `ballast_proposal_replica_moves${J}`, legend: 'replica moves' },
          { expr: `ballast_proposal_leader_moves${J}`, legend: 'leader moves' },
        ],
      },
    ],
  },
  {
    uid: 'ballast-execution',
    title: 'Ballast / Execution',
    file: 'ballast-execution.json',
    description: 'Progress, ETA, replication throughput against the throttle, and tasks by state.',
    panels: [
      { title: 'Execution running', type: 'stat', targets: [{ expr: `ballast_execution_in_progress${J}` }], width: 6 },
      {
        title: 'New moves paused',
        type: 'stat',
        description: 'A broker died or under-replication rose outside the execution; see GET /state.',
        targets: [{ expr: `ballast_execution_paused${J}` }],
        width: 6,
      },
      {
        title: 'Progress',
        type: 'gauge',
        targets: [{ expr: `ballast_execution_data_moved_bytes${J} / ballast_execution_data_to_move_bytes${J}` }],
        unit: 'percentunit',
        width: 6,
        min: 0,
        max: 1,
      },
      { title: 'ETA', type: 'stat', targets: [{ expr: `ballast_execution_eta_seconds${J}` }], unit: 's', width: 6 },
      {
        title: 'Data moved and remaining',
        type: 'timeseries',
        targets: [
          { expr: `ballast_execution_data_moved_bytes${J}`, legend: 'moved' },
          { expr: `ballast_execution_data_remaining_bytes${J}`, legend: 'remaining' },
        ],
        unit: 'bytes',
      },
      {
        title: 'Replication throughput against the throttle',
        type: 'timeseries',
        description: 'Data of completed partition moves per second, and the sum of the brokers’ throttle rates.',
        targets: [
          { expr: `rate(ballast_execution_moved_bytes_total${J}[$__rate_interval])`, legend: 'moved' },
          { expr: `sum(ballast_execution_throttle_bytes_per_second${J})`, legend: 'throttle (all brokers)' },
        ],
        unit: 'Bps',
      },
      {
        title: 'Throttle per broker',
        type: 'timeseries',
        targets: [{ expr: `ballast_execution_throttle_bytes_per_second${J}`, legend: 'broker {{broker}}' }],
        unit: 'Bps',
      },
      {
        title: 'Tasks by state',
        type: 'timeseries',
        stacked: true,
        targets: [{ expr: `sum by (state) (ballast_execution_tasks${J})`, legend: '{{state}}' }],
      },
      {
        title: 'Tasks by type and state',
        type: 'table',
        targets: [{ expr: `ballast_execution_tasks${J} > 0`, legend: '{{type}} {{state}}' }],
        width: 24,
      },
    ],
  },
  {
    uid: 'ballast-anomalies',
    title: 'Ballast / Anomalies and self-healing',
    file: 'ballast-anomalies.json',
    description: 'Anomalies over time, heals, and the N-1 failure budget.',
    panels: [
      {
        title: 'Open anomalies by type',
        type: 'state-timeline',
        targets: [{ expr: `ballast_anomalies_open${J}`, legend: '{{type}}' }],
        width: 24,
      },
      {
        title: 'Open anomalies by status',
        type: 'table',
        targets: [{ expr: `ballast_anomalies${J}`, legend: '{{type}} {{status}}' }],
      },
      {
        title: 'Self-healing started and failed to start',
        type: 'timeseries',
        targets: [
          { expr: `increase(ballast_self_healing_started_total${J}[$__rate_interval])`, legend: 'started' },
          {
            expr: `increase(ballast_self_healing_failed_to_start_total${J}[$__rate_interval])`,
            legend: 'failed to start',
          },
        ],
      },
      {
        title: 'Failure budget',
        type: 'timeseries',
        description: 'Brokers down (plus impaired, when counted) against the N-1 budget.',
        targets: [
          { expr: `ballast_failure_budget_used_brokers${J}`, legend: 'used' },
          { expr: `ballast_failure_budget_brokers${J}`, legend: 'budget' },
        ],
      },
      {
        title: 'Failure budget exceeded',
        type: 'stat',
        targets: [{ expr: `ballast_failure_budget_exceeded${J}` }],
        width: 6,
      },
      {
        title: 'Brokers down and impaired',
        type: 'stat',
        targets: [
          { expr: `ballast_failed_brokers${J}`, legend: 'down' },
          { expr: `ballast_impaired_brokers${J}`, legend: 'impaired' },
        ],
        width: 6,
      },
      {
        title: 'Self-healing enabled by type',
        type: 'stat',
        targets: [{ expr: `ballast_self_healing_enabled${J}`, legend: '{{type}}' }],
      },
      {
        title: 'Healing now',
        type: 'stat',
        targets: [{ expr: `ballast_self_healing_in_progress${J}` }],
        width: 6,
      },
      {
        title: 'Since the last detection',
        type: 'stat',
        targets: [{ expr: `time() - ballast_anomaly_detection_timestamp_seconds${J}` }],
        unit: 's',
        width: 6,
      },
    ],
  },
  {
    uid: 'ballast-self',
    title: 'Ballast / Service',
    file: 'ballast-self.json',
    description: 'Ballast itself: proposal computation, model completeness, API latency, process health.',
    panels: [
      {
        // 1 in normal operation; 0 means only standbys answer (the BallastNoLeader alert).
        title: 'Instances leading',
        type: 'stat',
        targets: [{ expr: `sum(ballast_leader${J})` }],
        width: 6,
      },
      {
        title: 'Proposal computation time',
        type: 'timeseries',
        targets: [
          {
            expr: `histogram_quantile(0.5, sum by (le) (rate(ballast_proposal_computation_seconds_bucket${J}[$__rate_interval])))`,
            legend: 'p50',
          },
          {
            expr: `histogram_quantile(0.95, sum by (le) (rate(ballast_proposal_computation_seconds_bucket${J}[$__rate_interval])))`,
            legend: 'p95',
          },
        ],
        unit: 's',
      },
      {
        title: 'Proposal computations by result',
        type: 'timeseries',
        targets: [
          {
            expr: `sum by (operation, result) (increase(ballast_proposal_computations_total${J}[$__rate_interval]))`,
            legend: '{{operation}} {{result}}',
          },
        ],
      },
      {
        title: 'Model completeness',
        type: 'timeseries',
        targets: [
          { expr: `ballast_model_coverage_ratio${J}`, legend: 'valid partitions' },
          { expr: `ballast_model_ready${J}`, legend: 'ready' },
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
      },
      {
        title: 'Valid windows and sampling',
        type: 'timeseries',
        targets: [
          { expr: `ballast_model_valid_windows${J}`, legend: 'valid windows' },
          { expr: `ballast_monitor_sampling_duration_seconds${J}`, legend: 'last round (s)' },
          { expr: `ballast_monitor_last_sampling_failed${J}`, legend: 'last round failed' },
        ],
      },
      {
        title: 'API latency (p95) by endpoint',
        type: 'timeseries',
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, endpoint) (rate(ballast_api_request_duration_seconds_bucket${J}[$__rate_interval])))`,
            legend: '{{endpoint}}',
          },
        ],
        unit: 's',
      },
      {
        title: 'API requests by endpoint and status',
        type: 'timeseries',
        targets: [
          {
            expr: `sum by (endpoint, status) (rate(ballast_api_requests_total${J}[$__rate_interval]))`,
            legend: '{{endpoint}} {{status}}',
          },
        ],
        unit: 'reqps',
      },
      {
        title: 'CPU',
        type: 'timeseries',
        targets: [{ expr: `rate(process_cpu_seconds_total${J}[$__rate_interval])`, legend: '{{instance}}' }],
        unit: 'percentunit',
        width: 8,
      },
      {
        title: 'Memory',
        type: 'timeseries',
        targets: [
          { expr: `process_resident_memory_bytes${J}`, legend: 'resident' },
          { expr: `nodejs_heap_size_used_bytes${J}`, legend: 'heap used' },
        ],
        unit: 'bytes',
        width: 8,
      },
      {
        title: 'Event loop lag (p99)',
        type: 'timeseries',
        targets: [{ expr: `nodejs_eventloop_lag_p99_seconds${J}`, legend: '{{instance}}' }],
        unit: 's',
        width: 8,
      },
    ],
  },
];

export const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../helm/ballast/dashboards');

if (process.argv[1]?.endsWith('dashboards.ts')) {
  for (const spec of DASHBOARDS) {
    // Written as prettier formats it, so `npm run lint` (prettier --check) accepts the files as they are.
    const text = await format(JSON.stringify(dashboardJson(spec)), { parser: 'json' });
    writeFileSync(join(DASHBOARDS_DIR, spec.file), text);
  }
  process.stdout.write(`wrote ${DASHBOARDS.length} dashboards to ${DASHBOARDS_DIR}\n`);
}
