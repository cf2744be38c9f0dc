// Goal-violation checks wait while partitions move: the model would show moved partitions with old
// and new replicas together. The last verdict stands meanwhile, and the first cycle after the moves
// end checks again at once (on a refreshed snapshot), whatever the check interval says.
import { describe, expect, it } from 'vitest';
import { GoalRegistry, optimize, type AnalyzerService, type OptimizationOptions } from '../../../src/analyzer/index.js';
import { BallastConfig, loadConfig } from '../../../src/config/index.js';
import { DetectorRunner } from '../../../src/detector/index.js';
import type { ClusterSnapshot, KafkaGateway } from '../../../src/kafka/index.js';
import type { ClusterModel } from '../../../src/model/index.js';
import type { LoadMonitorService } from '../../../src/monitor/index.js';
import { smallModel } from '../../fixtures/small-models.js';
import { snapshot } from '../../fixtures/snapshots.js';

const config = new BallastConfig(
  loadConfig(
    { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092' },
    { detector: { goalViolation: { intervalMs: 600_000, goals: ['RackAwareGoal'] } } },
  ),
);

// Brokers 0 and 1 share rack a: a partition on both violates rack awareness.
const violating = () => smallModel(['a', 'a', 'b'], [{ replicas: [0, 1] }]);
const satisfied = () => smallModel(['a', 'a', 'b'], [{ replicas: [0, 2] }]);

function setup() {
  const cluster: { now: ClusterSnapshot; model: ClusterModel; monitorSeesMoves: boolean } = {
    now: snapshot({ alive: [0, 1, 2] }),
    model: violating(),
    monitorSeesMoves: false,
  };
  let workloads = 0;
  let refreshes = 0;
  const gateway = { snapshot: () => Promise.resolve(cluster.now) } as unknown as KafkaGateway;
  const monitor = {
    state: () => ({ ready: true }),
    brokerLatencyHistory: () => new Map(),
    refreshSnapshotIfReassigning: () => {
      refreshes++;
      return Promise.resolve(cluster.monitorSeesMoves);
    },
    workload: () => {
      workloads++;
      return { model: cluster.model, topicMinInsyncReplicas: new Int32Array([1]) };
    },
  } as unknown as LoadMonitorService;
  // The dry run on this thread: the thread itself is optimizer-thread.test.ts's business.
  const analyzer = {
    optimizeCopy: (model: ClusterModel, options: OptimizationOptions) => {
      const copy = model.clone();
      return Promise.resolve({ model: copy, result: optimize(copy, options) });
    },
  } as unknown as AnalyzerService;
  const detection = new DetectorRunner(gateway, monitor, GoalRegistry.builtIn(), config, analyzer);
  const moving = (yes: boolean) => {
    cluster.now = {
      ...cluster.now,
      reassignments: yes
        ? [{ topic: 't', partition: 0, replicas: [0, 1, 2], addingReplicas: [2], removingReplicas: [1] }]
        : [],
    };
  };
  return { detection, cluster, moving, counts: () => ({ workloads, refreshes }) };
}

const goalAnomaly = (d: { anomalies: { type: string; firstSeenMs: number }[] }) =>
  d.anomalies.find((a) => a.type === 'GOAL_VIOLATION');
const empty = { brokers: {}, disks: {}, topics: {}, goals: {}, slowBrokers: {}, slownessScores: {} };

describe('goal-violation checks during partition moves', () => {
  it('keeps the last verdict while moves run, then checks at once after them', async () => {
    const { detection, cluster, moving, counts } = setup();
    const first = await detection.detect(empty, 1_000);
    expect(goalAnomaly(first)).toMatchObject({ type: 'GOAL_VIOLATION', fixableViolatedGoals: ['RackAwareGoal'] });
    expect(counts()).toEqual({ workloads: 1, refreshes: 1 });

    // An execution starts moving the partition: no check, the violation still reported.
    moving(true);
    cluster.model = satisfied();
    const during = await detection.detect(first.firstSeen, 2_000);
    expect(goalAnomaly(during)?.firstSeenMs).toBe(1_000);
    expect(counts().workloads).toBe(1);

    // The moves end, long before the 10-minute interval: checked now, and the violation is gone.
    moving(false);
    const after = await detection.detect(during.firstSeen, 3_000);
    expect(goalAnomaly(after)).toBeUndefined();
    expect(counts()).toEqual({ workloads: 2, refreshes: 2 });

    // Back to the interval: the next cycle does not check again.
    cluster.model = violating();
    const later = await detection.detect(after.firstSeen, 4_000);
    expect(goalAnomaly(later)).toBeUndefined();
    expect(counts().workloads).toBe(2);
  });

  it('waits while a log dir move runs (a future replica), then checks at once after it', async () => {
    const { detection, cluster, counts } = setup();
    const future = { topic: 't', partition: 0, sizeBytes: 10, offsetLag: 5, isFuture: true };
    const dirs = (replicas: (typeof future)[]) => [
      { brokerId: 0, path: '/d1', failed: false, error: null, totalBytes: null, usableBytes: null, replicas },
    ];
    cluster.now = { ...cluster.now, logDirs: dirs([future]) };
    const during = await detection.detect(empty, 1_000);
    expect(goalAnomaly(during)).toBeUndefined();
    expect(counts().workloads).toBe(0);

    cluster.now = { ...cluster.now, logDirs: dirs([{ ...future, isFuture: false }]) };
    const after = await detection.detect(during.firstSeen, 2_000);
    expect(goalAnomaly(after)?.firstSeenMs).toBe(2_000);
    expect(counts().workloads).toBe(1);
  });

  it("waits when only the monitor's snapshot shows moves (a batch started after this cycle's read)", async () => {
    const { detection, cluster, counts } = setup();
    cluster.monitorSeesMoves = true;
    const during = await detection.detect(empty, 1_000);
    expect(goalAnomaly(during)).toBeUndefined();
    expect(counts()).toEqual({ workloads: 0, refreshes: 1 });

    cluster.monitorSeesMoves = false;
    const after = await detection.detect(during.firstSeen, 2_000);
    expect(goalAnomaly(after)?.firstSeenMs).toBe(2_000);
    expect(counts()).toEqual({ workloads: 1, refreshes: 2 });
  });
});
