// Metrics of the load monitor and of the workload model as the analyzer last saw it: readiness
// and completeness, per-broker utilization, replicas and leaders, the balancedness score, goal
// violations and the size of the latest proposal. Pull-only: read at scrape time.
import type { Registry } from 'prom-client';
import type { Proposal } from '../analyzer/index.js';
import { RESOURCE_COUNT, Resource } from '../model/index.js';
import type { LoadMonitorState } from '../monitor/index.js';
import { bool, pullGauge, pullValue, seconds, type ScrapeCache } from './pull-gauge.js';

/** Where model metrics read from (LoadMonitorService and AnalyzerService in the app). */
export interface ModelMetricsSource {
  monitorState(): LoadMonitorState;
  /** The proposal last computed, whose `before` model is the cluster as the analyzer saw it. */
  latestProposal(): Proposal | null;
}

/** Label values of the `resource` label, indexed by the model's Resource. */
export const RESOURCE_LABELS = ['cpu', 'network_inbound', 'network_outbound', 'disk'] as const;

const MB = 1024 * 1024;

export function registerModelMetrics(registry: Registry, source: ModelMetricsSource, cache: ScrapeCache): void {
  const monitor = cache.memo(() => source.monitorState());
  const proposal = cache.memo(() => source.latestProposal());

  pullValue(
    registry,
    'ballast_model_ready',
    'Whether the workload model meets monitor.minValidWindows and monitor.minValidPartitionRatio (1) or not (0).',
    () => bool(monitor().ready === true),
  );
  pullValue(registry, 'ballast_model_valid_windows', 'Valid sample windows in the workload model.', () => {
    return monitor().numMonitoredWindows;
  });
  pullValue(registry, 'ballast_model_partitions', 'Partitions the load monitor knows of.', () => {
    return monitor().numTotalPartitions;
  });
  pullValue(registry, 'ballast_model_valid_partitions', 'Partitions with enough samples in the valid windows.', () => {
    return monitor().numValidPartitions;
  });
  pullValue(
    registry,
    'ballast_model_coverage_ratio',
    'Share of partitions valid in the valid windows (0-1): the model completeness.',
    () => monitor().monitoringCoveragePct / 100,
  );
  pullValue(registry, 'ballast_monitor_sampling_paused', 'Whether sampling is paused (pause_sampling).', () => {
    return bool(monitor().state === 'PAUSED');
  });
  pullValue(
    registry,
    'ballast_monitor_last_sampling_failed',
    'Whether the last sampling round failed as a whole (Kafka unreachable, ...).',
    () => bool(monitor().lastSampling?.error !== undefined),
  );
  pullValue(
    registry,
    'ballast_monitor_last_sampling_timestamp_seconds',
    'When the last sampling round started, Unix time.',
    () => {
      const last = monitor().lastSampling;
      return last === undefined ? null : seconds(last.startedAtMs);
    },
  );
  pullValue(registry, 'ballast_monitor_sampling_duration_seconds', 'How long the last sampling round took.', () => {
    const last = monitor().lastSampling;
    return last === undefined ? null : seconds(last.durationMs);
  });

  pullGauge(
    registry,
    'ballast_broker_utilization_ratio',
    'Load over capacity per broker and resource as the workload model sees it (1 = full).',
    ['broker', 'resource'],
    function* () {
      const model = proposal()?.before.model;
      if (model === undefined) return;
      for (let b = 0; b < model.brokerCount; b++) {
        for (let r = 0; r < RESOURCE_COUNT; r++) {
          const ratio = model.brokerUtilization(b, r as Resource);
          // A zero capacity under load is infinitely full; Prometheus takes +Inf.
          yield [{ broker: model.brokerKafkaId(b), resource: RESOURCE_LABELS[r]! }, ratio];
        }
      }
    },
  );
  pullGauge(
    registry,
    'ballast_broker_disk_used_bytes',
    'Disk used per broker as the workload model sees it.',
    ['broker'],
    function* () {
      const model = proposal()?.before.model;
      if (model === undefined) return;
      for (let b = 0; b < model.brokerCount; b++) {
        yield [{ broker: model.brokerKafkaId(b) }, model.brokerLoadOf(b, Resource.DISK) * MB];
      }
    },
  );
  pullGauge(
    registry,
    'ballast_broker_replicas',
    'Replicas per broker in the workload model.',
    ['broker'],
    function* () {
      const model = proposal()?.before.model;
      if (model === undefined) return;
      for (let b = 0; b < model.brokerCount; b++)
        yield [{ broker: model.brokerKafkaId(b) }, model.brokerReplicaCount[b]!];
    },
  );
  pullGauge(
    registry,
    'ballast_broker_leaders',
    'Leader replicas per broker in the workload model.',
    ['broker'],
    function* () {
      const model = proposal()?.before.model;
      if (model === undefined) return;
      for (let b = 0; b < model.brokerCount; b++)
        yield [{ broker: model.brokerKafkaId(b) }, model.brokerLeaderCount[b]!];
    },
  );

  pullValue(
    registry,
    'ballast_balancedness_score',
    "Cruise Control's balancedness score (0-100) of the cluster as it is, over the goals of the latest proposal.",
    () => proposal()?.result.balancednessBefore ?? null,
  );
  pullValue(
    registry,
    'ballast_proposal_balancedness_score',
    'Balancedness score (0-100) the cluster would have once the latest proposal is executed.',
    () => proposal()?.result.balancednessAfter ?? null,
  );
  pullGauge(
    registry,
    'ballast_goal_violations',
    "Each goal's violation measure on the cluster as it is (0 when satisfied), from the latest proposal.",
    ['goal'],
    () => (proposal()?.result.goals ?? []).map((g) => [{ goal: g.name }, g.before.violations]),
  );
  pullGauge(
    registry,
    'ballast_goal_satisfied',
    'Whether each goal of the latest proposal is satisfied by the cluster as it is (1) or not (0).',
    ['goal'],
    () => (proposal()?.result.goals ?? []).map((g) => [{ goal: g.name }, bool(g.before.satisfied)]),
  );
  pullValue(registry, 'ballast_proposal_replica_moves', 'Replica moves in the latest proposal.', () => {
    return proposal()?.result.replicaMoves ?? null;
  });
  pullValue(registry, 'ballast_proposal_leader_moves', 'Leadership moves in the latest proposal.', () => {
    return proposal()?.result.leaderMoves ?? null;
  });
  pullValue(registry, 'ballast_proposal_data_to_move_bytes', 'Data the latest proposal would copy.', () => {
    const p = proposal();
    return p === null ? null : p.result.dataToMoveMb * MB;
  });
  pullValue(registry, 'ballast_proposal_timestamp_seconds', 'When the latest proposal was computed, Unix time.', () => {
    const p = proposal();
    return p === null ? null : seconds(p.computedAtMs);
  });
}
