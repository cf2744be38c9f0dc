// Slow-broker detection (METRIC_ANOMALY): a broker slow against both its own history and its peers
// gains score each detection, is demoted at the demotion score and removed at the removal score.
import { describe, expect, it } from 'vitest';
import { decide, detectSlowBrokers, percentile } from '../../../src/detector/index.js';
import { BrokerLatencyHistory, type BrokerLatencySample } from '../../../src/monitor/index.js';
import { slowBrokerSettings } from '../../fixtures/slow-brokers.js';

const SETTINGS = slowBrokerSettings();
const MB = 2_000_000;

/** 20 calm samples per broker (flush 50–69 ms), then `latest` per broker. */
function history(latest: Record<number, Partial<BrokerLatencySample>>, calmFlushMs = 50) {
  const map = new Map<number, BrokerLatencySample[]>();
  for (const id of [1, 2, 3, 4]) {
    const samples: BrokerLatencySample[] = Array.from({ length: 20 }, (_, i) => ({
      timeMs: i * 1_000,
      logFlushTimeMs999th: calmFlushMs + i,
      produceLocalTimeMs999th: 5,
      bytesInPerSecond: MB,
    }));
    samples.push({
      timeMs: 20_000,
      logFlushTimeMs999th: 60,
      produceLocalTimeMs999th: 5,
      bytesInPerSecond: MB,
      ...latest[id],
    });
    map.set(id, samples);
  }
  return map;
}

const LIVE = [1, 2, 3, 4];
const LEADERS = new Map([
  [1, 10],
  [2, 10],
  [3, 10],
  [4, 10],
]);

/** Runs `cycles` detections on the same history, carrying scores and first-seen times. */
function run(h: ReturnType<typeof history>, cycles: number, leaders = LEADERS, settings = SETTINGS) {
  let previous = { scores: {} as Record<string, number>, firstSeen: {} as Record<string, number> };
  let result = detectSlowBrokers(h, LIVE, leaders, settings, previous, 0);
  for (let c = 0; c < cycles; c++) {
    result = detectSlowBrokers(h, LIVE, leaders, settings, previous, c * 1_000);
    previous = { scores: result.scores, firstSeen: result.firstSeen };
  }
  return result;
}

describe('detectSlowBrokers', () => {
  it('scores a broker far above its history and its peers, and calls for its demotion at the demotion score', () => {
    const h = history({ 2: { logFlushTimeMs999th: 4_000 } });
    expect(run(h, 2)).toMatchObject({ anomaly: null, scores: { 2: 2 } });
    const flagged = run(h, 3);
    expect(flagged.anomaly).toMatchObject({
      type: 'METRIC_ANOMALY',
      id: 'METRIC_ANOMALY:2',
      action: 'DEMOTE',
      brokersToDemote: [2],
      brokersToRemove: [],
      slowBrokers: [
        { brokerId: 2, score: 3, leaderCount: 10, metric: 'logFlushTimeMs999th', valueMs: 4_000, historyMs: 67 },
      ],
    });
    expect(flagged.firstSeen).toEqual({ 2: 2_000 });
    expect(flagged.anomaly!.description).toMatch(/^slow broker 2: broker 2 score 3 \(logFlushTimeMs999th 4000 ms/);
  });

  it('removes it once it stays slow to the removal score, only when removal is enabled', () => {
    const h = history({ 2: { produceLocalTimeMs999th: 2_500 } });
    expect(run(h, 6).anomaly).toMatchObject({ action: 'REMOVE', brokersToRemove: [2], brokersToDemote: [] });
    const demotedAlready = new Map([...LEADERS, [2, 0]]);
    expect(run(h, 6, demotedAlready, { ...SETTINGS, removalEnabled: false }).anomaly).toMatchObject({
      action: 'NONE',
      brokersToDemote: [],
      brokersToRemove: [],
    });
  });

  it('flags nobody in a cluster-wide slowdown, for a broker always that slow, or below the floors and traffic limit', () => {
    // Every broker above its history: the peers are as slow.
    const all = history({ 1: { logFlushTimeMs999th: 3_000 }, 2: { logFlushTimeMs999th: 3_000 } });
    for (const id of [3, 4]) all.get(id)!.at(-1)!.logFlushTimeMs999th = 3_000;
    expect(run(all, 5)).toEqual({ anomaly: null, scores: {}, firstSeen: {} });
    // Broker 2's history is as slow as now.
    const always = history({ 2: { logFlushTimeMs999th: 4_000 } });
    for (const s of always.get(2)!) s.logFlushTimeMs999th = 4_000;
    expect(run(always, 5).anomaly).toBeNull();
    // Far above both, but under the absolute floor.
    expect(run(history({ 2: { logFlushTimeMs999th: 900 } }, 5), 5).anomaly).toBeNull();
    // Too little traffic to judge.
    expect(run(history({ 2: { logFlushTimeMs999th: 4_000, bytesInPerSecond: 10 } }), 5).anomaly).toBeNull();
  });

  it('lowers the score when the broker recovers, and forgets it at zero', () => {
    const slow = run(history({ 2: { logFlushTimeMs999th: 4_000 } }), 4);
    const calm = history({});
    const once = detectSlowBrokers(
      calm,
      LIVE,
      LEADERS,
      SETTINGS,
      { scores: slow.scores, firstSeen: slow.firstSeen },
      9,
    );
    expect(once.scores).toEqual({ 2: 3 });
    expect(once.anomaly?.slowBrokers[0]).toMatchObject({ brokerId: 2, score: 3, metric: null });
    const next = detectSlowBrokers(
      calm,
      LIVE,
      LEADERS,
      SETTINGS,
      { scores: once.scores, firstSeen: once.firstSeen },
      10,
    );
    expect(next.anomaly).toBeNull();
    expect(next.firstSeen).toEqual({});
  });

  it('the policy demotes when past the fix threshold, and only alerts when nothing is left to do', () => {
    const policy = { enabled: true, alertThresholdMs: 0, fixThresholdMs: 0 };
    const input = (anomaly: NonNullable<ReturnType<typeof run>['anomaly']>) => ({
      nowMs: 10_000,
      anomalies: [anomaly],
      policies: {
        BROKER_FAILURE: policy,
        DISK_FAILURE: policy,
        METRIC_ANOMALY: policy,
        GOAL_VIOLATION: policy,
        TOPIC_ANOMALY: policy,
      },
      selfHealing: {
        BROKER_FAILURE: false,
        MAINTENANCE_EVENT: false,
        DISK_FAILURE: false,
        METRIC_ANOMALY: true,
        GOAL_VIOLATION: false,
        TOPIC_ANOMALY: false,
      },
      budget: { budget: 1, failedBrokers: [], impairedBrokers: [], countedBrokers: 0, withinBudget: true, reason: '' },
      runningExecution: null,
      healing: null,
    });
    const h = history({ 2: { logFlushTimeMs999th: 4_000 } });
    expect(decide(input(run(h, 3).anomaly!))[0]).toMatchObject({ action: 'FIX' });
    const nothing = run(h, 3, new Map([...LEADERS, [2, 0]]), { ...SETTINGS, removalEnabled: false }).anomaly!;
    expect(decide(input(nothing))[0]).toMatchObject({
      action: 'ALERT',
      reason: expect.stringMatching(/lead nothing already/),
    });
  });
});

describe('percentile and the latency history', () => {
  it('nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 90)).toBe(5);
    expect(percentile([5, 1, 3, 2, 4], 0)).toBe(1);
  });

  it('keeps measured brokers only, with their bytes-in rate, bounded by age and count', () => {
    const h = new BrokerLatencyHistory(10_000, 3);
    const point = (timeMs: number, flushMs: number) => ({
      timeMs,
      replicaSizes: null,
      brokers: [
        {
          brokerId: 1,
          cpuPercent: null,
          topics: new Map([
            ['a', { bytesInPerSec: 100, bytesOutPerSec: 0 }],
            ['b', { bytesInPerSec: 50, bytesOutPerSec: 0 }],
          ]),
          latency: { logFlushTimeMs999th: flushMs, produceLocalTimeMs999th: null },
        },
        { brokerId: 2, cpuPercent: null, topics: new Map() },
      ],
    });
    for (let i = 0; i < 5; i++) h.record(point(i * 1_000, i));
    const one = h.snapshot().get(1)!;
    expect(one.map((s) => s.logFlushTimeMs999th)).toEqual([2, 3, 4]);
    expect(one[0]).toMatchObject({ bytesInPerSecond: 150, produceLocalTimeMs999th: null });
    expect(h.snapshot().has(2)).toBe(false);
    h.record(point(30_000, 9));
    expect(
      h
        .snapshot()
        .get(1)!
        .map((s) => s.timeMs),
    ).toEqual([30_000]);
  });
});
