// The detectors as pure functions of (snapshot or model, first-seen times, now).
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, GOALS_BY_NAME, type Goal } from '../../../goals/index.js';
import {
  detectBrokerFailures,
  detectDiskFailures,
  detectGoalViolations,
  detectTopicAnomalies,
  replicationFactorTargets,
} from '../../../src/detector/index.js';
import { smallModel } from '../../fixtures/small-models.js';
import { snapshot } from '../../fixtures/snapshots.js';

describe('detectBrokerFailures', () => {
  it('reports dead brokers and remembers when each was first seen failed', () => {
    const first = detectBrokerFailures(snapshot({ alive: [1, 2, 3], dead: [4] }), {}, 1_000);
    expect(first.anomaly).toMatchObject({
      type: 'BROKER_FAILURE',
      id: 'BROKER_FAILURE:4',
      firstSeenMs: 1_000,
      failedBrokersByTimeMs: { 4: 1_000 },
    });
    const later = detectBrokerFailures(snapshot({ alive: [1, 2], dead: [3, 4] }), first.firstSeen, 5_000);
    expect(later.anomaly).toMatchObject({
      id: 'BROKER_FAILURE:3,4',
      firstSeenMs: 1_000,
      failedBrokersByTimeMs: { 3: 5_000, 4: 1_000 },
    });
  });

  it('forgets a broker that came back: a new failure starts a new clock', () => {
    const down = detectBrokerFailures(snapshot({ alive: [1, 2], dead: [3] }), {}, 1_000);
    const back = detectBrokerFailures(snapshot({ alive: [1, 2, 3] }), down.firstSeen, 2_000);
    expect(back).toEqual({ anomaly: null, firstSeen: {} });
    const again = detectBrokerFailures(snapshot({ alive: [1, 2], dead: [3] }), back.firstSeen, 3_000);
    expect(again.anomaly?.firstSeenMs).toBe(3_000);
  });
});

describe('detectDiskFailures', () => {
  it('reports a failed log dir of a live broker with the replicas Kafka reports offline there', () => {
    const snap = snapshot({
      alive: [1, 2, 3],
      logDirs: [
        { brokerId: 1, path: '/d1' },
        { brokerId: 1, path: '/d2', failed: true, error: 'KAFKA_STORAGE_ERROR' },
      ],
      partitions: [
        { topic: 'a', partition: 0, replicas: [1, 2, 3], isr: [2, 3], offlineReplicas: [1] },
        { topic: 'a', partition: 1, replicas: [2, 3, 1], isr: [2, 3, 1] },
      ],
    });
    const result = detectDiskFailures(snap, {}, 7_000);
    expect(result.anomaly).toMatchObject({
      type: 'DISK_FAILURE',
      id: 'DISK_FAILURE:1:/d2',
      failedDisksByTimeMs: { 1: { '/d2': 7_000 } },
      offlineReplicas: [{ topic: 'a', partition: 0, brokerId: 1 }],
    });
    expect(detectDiskFailures(snap, result.firstSeen, 9_000).anomaly?.firstSeenMs).toBe(7_000);
  });

  it('leaves dirs of dead brokers to the broker failure', () => {
    const snap = snapshot({ alive: [2, 3], dead: [1], logDirs: [{ brokerId: 1, path: '/d1', failed: true }] });
    expect(detectDiskFailures(snap, {}, 1).anomaly).toBeNull();
  });
});

describe('detectTopicAnomalies', () => {
  const targets = replicationFactorTargets([
    { topicPattern: 'orders.*', replicationFactor: 3 },
    { topicPattern: '.*', replicationFactor: 2 },
  ]);

  it('lists partitions below the first matching target, whole names only', () => {
    const snap = snapshot({
      alive: [1, 2, 3],
      partitions: [
        { topic: 'orders', partition: 0, replicas: [1, 2] },
        { topic: 'orders', partition: 1, replicas: [1, 2, 3] },
        { topic: 'logs', partition: 0, replicas: [1] },
        { topic: 'logs', partition: 1, replicas: [1, 2] },
      ],
    });
    const result = detectTopicAnomalies(snap, targets, {}, 10);
    expect(result.anomaly?.topics).toEqual([
      { topic: 'logs', targetReplicationFactor: 2, partitions: [0] },
      { topic: 'orders', targetReplicationFactor: 3, partitions: [0] },
    ]);
    expect(result.firstSeen).toEqual({ logs: 10, orders: 10 });
  });

  it('checks nothing without targets', () => {
    const snap = snapshot({ alive: [1], partitions: [{ topic: 'x', replicas: [1] }] });
    expect(detectTopicAnomalies(snap, [], {}, 1).anomaly).toBeNull();
  });

  it('reports partitions above the size limit by their largest replica, largest first, with their own clocks', () => {
    const replica = (topic: string, partition: number, sizeBytes: number, isFuture = false) => ({
      topic,
      partition,
      sizeBytes,
      offsetLag: 0,
      isFuture,
    });
    const snap = snapshot({
      alive: [1, 2],
      partitions: [{ topic: 'x', replicas: [1, 2] }],
      logDirs: [
        { brokerId: 1, replicas: [replica('x', 0, 900), replica('y', 3, 2_000), replica('z', 0, 5_000, true)] },
        { brokerId: 2, replicas: [replica('x', 0, 1_500), replica('y', 3, 1_900), replica('x', 1, 1_000)] },
      ],
    });
    const first = detectTopicAnomalies(snap, [], {}, 10, 1_000);
    expect(first.anomaly).toMatchObject({
      id: 'TOPIC_ANOMALY:size:y-3,size:x-0',
      topics: [],
      oversizedPartitions: [
        { topic: 'y', partition: 3, sizeBytes: 2_000 },
        { topic: 'x', partition: 0, sizeBytes: 1_500 },
      ],
    });
    expect(first.anomaly!.description).toMatch(/^2 partition\(s\) larger than 1 KiB \(largest y-3, 2 KiB\)/);
    // Same partitions later: the first-seen time is kept; without a limit nothing is checked.
    expect(detectTopicAnomalies(snap, [], first.firstSeen, 99, 1_000).anomaly?.firstSeenMs).toBe(10);
    expect(detectTopicAnomalies(snap, [], {}, 10).anomaly).toBeNull();
  });
});

describe('detectGoalViolations', () => {
  const goals: Goal[] = ['RackAwareGoal', 'ReplicaCapacityGoal'].map((n) => GOALS_BY_NAME.get(n)!);
  const minIsr = new Int32Array([1]);

  it('reports a violated goal a dry-run rebalance fixes as fixable, and keeps the model untouched', async () => {
    const model = smallModel(['a', 'a', 'b', 'c'], [{ replicas: [0, 1] }, { replicas: [2, 3] }]);
    const before = Array.from(model.replicaBroker);
    const result = await detectGoalViolations(
      { model, goals, thresholds: DEFAULT_THRESHOLDS, topicMinInsyncReplicas: minIsr },
      {},
      50,
    );
    expect(result.anomaly).toMatchObject({
      type: 'GOAL_VIOLATION',
      fixableViolatedGoals: ['RackAwareGoal'],
      unfixableViolatedGoals: [],
      firstSeenMs: 50,
    });
    expect(result.balancednessScore).toBeLessThan(100);
    expect(Array.from(model.replicaBroker)).toEqual(before);
  });

  it('reports a goal no rebalance can satisfy as unfixable', async () => {
    // Two replicas, one rack: no placement is rack-aware.
    const model = smallModel(['a', 'a'], [{ replicas: [0, 1] }]);
    const result = await detectGoalViolations(
      { model, goals, thresholds: DEFAULT_THRESHOLDS, topicMinInsyncReplicas: minIsr },
      {},
      1,
    );
    expect(result.anomaly).toMatchObject({ fixableViolatedGoals: [], unfixableViolatedGoals: ['RackAwareGoal'] });
  });

  it('finds nothing on a satisfied model', async () => {
    const model = smallModel(['a', 'b'], [{ replicas: [0, 1] }]);
    const result = await detectGoalViolations(
      { model, goals, thresholds: DEFAULT_THRESHOLDS, topicMinInsyncReplicas: minIsr },
      { RackAwareGoal: 1 },
      2,
    );
    expect(result).toEqual({ anomaly: null, firstSeen: {}, balancednessScore: 100 });
  });
});
