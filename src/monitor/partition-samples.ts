// From one measurement point to one metric sample per partition: the step between the samplers
// and the window aggregator. Pure; the log growth it needs is carried between points by the caller.
import { getOrInsert } from '../common/index.js';
import type { ClusterSnapshot } from '../kafka/index.js';
import { Resource } from '../model/index.js';
import type { MetricDefinitions, MetricSample } from './aggregation/index.js';
import {
  derivePartitionLoads,
  type LoadDerivationOptions,
  type LoadProblem,
  type PartitionMeasurement,
} from './load-derivation.js';
import { partitionKey, type MeasurementPoint } from './samplers/index.js';

/** The partition metrics the windows keep, in this order (CC's units: CPU %, KB/s, MB, messages/s). */
export const PARTITION_METRICS: MetricDefinitions = [
  { name: 'LEADER_CPU', combine: 'avg' },
  { name: 'FOLLOWER_CPU', combine: 'avg' },
  { name: 'NW_IN', combine: 'avg' },
  { name: 'NW_OUT', combine: 'avg' },
  { name: 'MSG_IN', combine: 'avg' },
  // As Cruise Control: a window's disk is its newest size, not the average of a growing log.
  { name: 'DISK', combine: 'latest' },
];

/** Index of each metric in {@link PARTITION_METRICS}. */
export const PartitionMetric = { LEADER_CPU: 0, FOLLOWER_CPU: 1, NW_IN: 2, NW_OUT: 3, MSG_IN: 4, DISK: 5 } as const;

/** A leader's log size at one point, to compute growth at the next. */
export interface LeaderLogSize {
  leader: number;
  bytes: number;
  timeMs: number;
}

export interface PartitionSamplesResult {
  /** One sample per partition whose every value could be derived. */
  samples: MetricSample[];
  /** Partitions left out this point, with the first reason each. */
  problems: LoadProblem[];
  /** Leader log sizes at this point, to pass to the next call. */
  leaderSizes: Map<string, LeaderLogSize>;
}

/** Replica sizes from the snapshot's log dirs (DescribeLogDirs), `topic-partition` → broker → bytes. */
export function snapshotReplicaSizes(snapshot: ClusterSnapshot): Map<string, Map<number, number>> {
  const sizes = new Map<string, Map<number, number>>();
  for (const dir of snapshot.logDirs) {
    if (dir.failed) continue;
    for (const r of dir.replicas) {
      if (r.isFuture) continue;
      const key = partitionKey(r.topic, r.partition);
      getOrInsert(sizes, key, () => new Map<number, number>()).set(dir.brokerId, r.sizeBytes);
    }
  }
  return sizes;
}

/**
 * Derives every partition's load at `point` (docs/load-model.md) and returns it as samples.
 * Replica sizes come from the point when it has them for a partition, else from the snapshot.
 * A partition with any value not derived (no leader, no measurement of its topic on its leader,
 * no size) gets no sample: a window never holds an invented value.
 */
export function partitionSamples(
  point: MeasurementPoint,
  snapshot: ClusterSnapshot,
  previousLeaderSizes: ReadonlyMap<string, LeaderLogSize>,
  options: LoadDerivationOptions = {},
  fallbackSizes: Map<string, Map<number, number>> = snapshotReplicaSizes(snapshot),
): PartitionSamplesResult {
  const leaderSizes = new Map<string, LeaderLogSize>();
  const measurements: PartitionMeasurement[] = snapshot.partitions.map((p) => {
    const key = partitionKey(p.topic, p.partition);
    const sizeBytesByBroker = point.replicaSizes?.get(key) ?? fallbackSizes.get(key) ?? new Map<number, number>();
    const leaderBytes = sizeBytesByBroker.get(p.leader);
    let growthBytesPerSec: number | undefined;
    if (leaderBytes !== undefined) {
      leaderSizes.set(key, { leader: p.leader, bytes: leaderBytes, timeMs: point.timeMs });
      const before = previousLeaderSizes.get(key);
      if (before && before.leader === p.leader && point.timeMs > before.timeMs) {
        growthBytesPerSec = ((leaderBytes - before.bytes) * 1000) / (point.timeMs - before.timeMs);
      }
    }
    return {
      topic: p.topic,
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      sizeBytesByBroker,
      growthBytesPerSec,
    };
  });

  const derived = derivePartitionLoads(point.brokers, measurements, options);
  const samples: MetricSample[] = [];
  const problems: LoadProblem[] = derived.problems.filter((p) => p.kind === 'unattributed-topic-bytes');
  const firstProblem = new Map<string, LoadProblem>();
  for (const problem of derived.problems) {
    if (problem.partition === null || problem.topic === null) continue;
    const key = partitionKey(problem.topic, problem.partition);
    if (!firstProblem.has(key)) firstProblem.set(key, problem);
  }
  for (const load of derived.partitions) {
    const key = partitionKey(load.topic, load.partition);
    const values = [
      load.leaderLoad[Resource.CPU],
      load.followerLoad[Resource.CPU],
      load.leaderLoad[Resource.NW_IN],
      load.leaderLoad[Resource.NW_OUT],
      // Message rates are optional in every source: unknown counts as 0 rather than voiding the sample.
      Number.isNaN(load.messagesInPerSec) ? 0 : load.messagesInPerSec,
      load.leaderLoad[Resource.DISK],
    ];
    if (values.every((v) => Number.isFinite(v))) {
      samples.push({ timeMs: point.timeMs, entity: key, values });
      continue;
    }
    const problem = firstProblem.get(key);
    problems.push(
      problem ?? {
        kind: 'missing-topic-measurement',
        brokerId: null,
        topic: load.topic,
        partition: load.partition,
        message: `${key}: load not derivable`,
      },
    );
  }
  return { samples, problems, leaderSizes };
}
