// Model metrics on in-memory inputs: readiness and completeness from the monitor's state, and
// per-broker utilization, counts, balancedness, goal violations and proposal size from a proposal.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/analyzer/index.js';
import { registerModelMetrics } from '../../../src/metrics/model.metrics.js';
import { ScrapeCache } from '../../../src/metrics/pull-gauge.js';
import type { LoadMonitorState } from '../../../src/monitor/index.js';
import { smallModel } from '../../fixtures/small-models.js';
import { scrape } from '../../support/scrape.js';

const monitorState = (over: Partial<LoadMonitorState> = {}): LoadMonitorState => ({
  state: 'RUNNING',
  trained: false,
  trainingPct: 0,
  numMonitoredWindows: 3,
  monitoredWindows: {},
  numValidPartitions: 9,
  numTotalPartitions: 12,
  monitoringCoveragePct: 75,
  numFlawedPartitions: 0,
  ready: false,
  notReadyReasons: ['too few valid partitions'],
  ...over,
});

// Broker 0 leads one partition (cpu 10 of 100, 100 of 1000 KB/s in, 50 of 1000 out, 500 of 1000 MB); broker 1 follows it.
const model = smallModel(['a', 'b'], [{ replicas: [0, 1], load: [10, 100, 50, 500] }]);

const proposal = {
  before: { model },
  result: {
    balancednessBefore: 62.5,
    balancednessAfter: 97,
    replicaMoves: 4,
    leaderMoves: 2,
    dataToMoveMb: 3,
    goals: [
      { name: 'RackAwareGoal', before: { satisfied: true, violations: 0, details: [] } },
      { name: 'DiskUsageDistributionGoal', before: { satisfied: false, violations: 2, details: [] } },
    ],
  },
  computedAtMs: 1_700_000_000_000,
} as unknown as Proposal;

function setup(state: LoadMonitorState, latest: Proposal | null) {
  const registry = new Registry();
  const cache = new ScrapeCache();
  const source = { state, latest, monitorReads: 0 };
  registerModelMetrics(
    registry,
    {
      monitorState: () => {
        source.monitorReads++;
        return source.state;
      },
      latestProposal: () => source.latest,
    },
    cache,
  );
  return { registry, cache, source };
}

describe('model metrics', () => {
  it('report readiness and completeness from the monitor state, reading it once per scrape', async () => {
    const { registry, cache, source } = setup(monitorState(), null);
    const m = await scrape(registry, cache);
    expect(m.get('ballast_model_ready')?.get('{}')).toBe(0);
    expect(m.get('ballast_model_valid_windows')?.get('{}')).toBe(3);
    expect(m.get('ballast_model_partitions')?.get('{}')).toBe(12);
    expect(m.get('ballast_model_valid_partitions')?.get('{}')).toBe(9);
    expect(m.get('ballast_model_coverage_ratio')?.get('{}')).toBe(0.75);
    expect(m.get('ballast_monitor_sampling_paused')?.get('{}')).toBe(0);
    expect(source.monitorReads).toBe(1);

    source.state = monitorState({
      ready: true,
      state: 'PAUSED',
      lastSampling: { startedAtMs: 5_000, durationMs: 250, error: 'Kafka unreachable' } as never,
    });
    const next = await scrape(registry, cache);
    expect(source.monitorReads).toBe(2);
    expect(next.get('ballast_model_ready')?.get('{}')).toBe(1);
    expect(next.get('ballast_monitor_sampling_paused')?.get('{}')).toBe(1);
    expect(next.get('ballast_monitor_last_sampling_failed')?.get('{}')).toBe(1);
    expect(next.get('ballast_monitor_last_sampling_timestamp_seconds')?.get('{}')).toBe(5);
    expect(next.get('ballast_monitor_sampling_duration_seconds')?.get('{}')).toBe(0.25);
  });

  it('have no model series before the first proposal', async () => {
    const { registry, cache } = setup(monitorState(), null);
    const m = await scrape(registry, cache);
    expect(m.get('ballast_broker_utilization_ratio')?.size ?? 0).toBe(0);
    expect(m.get('ballast_balancedness_score')?.size ?? 0).toBe(0);
    expect(m.get('ballast_goal_violations')?.size ?? 0).toBe(0);
  });

  it('report per-broker utilization per resource, replicas and leaders as the proposal model sees them', async () => {
    const { registry, cache } = setup(monitorState(), proposal);
    const m = await scrape(registry, cache);
    const utilization = m.get('ballast_broker_utilization_ratio')!;
    expect(utilization.size).toBe(8);
    expect(utilization.get('{broker=0,resource=cpu}')).toBeCloseTo(0.1);
    expect(utilization.get('{broker=0,resource=network_inbound}')).toBeCloseTo(0.1);
    expect(utilization.get('{broker=0,resource=network_outbound}')).toBeCloseTo(0.05);
    expect(utilization.get('{broker=0,resource=disk}')).toBeCloseTo(0.5);
    expect(utilization.get('{broker=1,resource=network_outbound}')).toBe(0);
    expect(m.get('ballast_broker_disk_used_bytes')?.get('{broker=1}')).toBe(500 * 1024 * 1024);
    expect(m.get('ballast_broker_replicas')?.get('{broker=0}')).toBe(1);
    expect(m.get('ballast_broker_leaders')?.get('{broker=0}')).toBe(1);
    expect(m.get('ballast_broker_leaders')?.get('{broker=1}')).toBe(0);
  });

  it('report balancedness, goal violations by goal and the proposal size', async () => {
    const { registry, cache } = setup(monitorState(), proposal);
    const m = await scrape(registry, cache);
    expect(m.get('ballast_balancedness_score')?.get('{}')).toBe(62.5);
    expect(m.get('ballast_proposal_balancedness_score')?.get('{}')).toBe(97);
    expect(m.get('ballast_goal_violations')?.get('{goal=DiskUsageDistributionGoal}')).toBe(2);
    expect(m.get('ballast_goal_violations')?.get('{goal=RackAwareGoal}')).toBe(0);
    expect(m.get('ballast_goal_satisfied')?.get('{goal=DiskUsageDistributionGoal}')).toBe(0);
    expect(m.get('ballast_goal_satisfied')?.get('{goal=RackAwareGoal}')).toBe(1);
    expect(m.get('ballast_proposal_replica_moves')?.get('{}')).toBe(4);
    expect(m.get('ballast_proposal_leader_moves')?.get('{}')).toBe(2);
    expect(m.get('ballast_proposal_data_to_move_bytes')?.get('{}')).toBe(3 * 1024 * 1024);
    expect(m.get('ballast_proposal_timestamp_seconds')?.get('{}')).toBe(1_700_000_000);
  });
});
