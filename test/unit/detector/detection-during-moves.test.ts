// Detectors and partitions caught mid-reassignment: while a partition moves Kafka lists its adding
// and removing replicas together, so each detector judges what will remain once the move ends (its
// reassignment's target), or waits while the move runs, whichever its question calls for.
import { describe, expect, it } from 'vitest';
import {
  detectBrokerFailures,
  detectDiskFailures,
  detectSlowBrokers,
  detectTopicAnomalies,
  replicationFactorTargets,
} from '../../../src/detector/index.js';
import type { ClusterSnapshot, OngoingReassignment } from '../../../src/kafka/index.js';
import type { BrokerLatencySample } from '../../../src/monitor/index.js';
import { snapshot } from '../../fixtures/snapshots.js';
import { slowBrokerSettings } from '../../fixtures/slow-brokers.js';

/** A move of `topic-partition` from `from` to `to`, as ListPartitionReassignments reports it. */
function move(topic: string, partition: number, from: number[], to: number[]): OngoingReassignment {
  const adding = to.filter((b) => !from.includes(b));
  return {
    topic,
    partition,
    replicas: [...from, ...adding],
    addingReplicas: adding,
    removingReplicas: from.filter((b) => !to.includes(b)),
  };
}

const moving = (snap: ClusterSnapshot, ...reassignments: OngoingReassignment[]): ClusterSnapshot => ({
  ...snap,
  reassignments,
});

describe('topic anomalies judge a moving partition by its target replicas', () => {
  const targets = replicationFactorTargets([{ topicPattern: '.*', replicationFactor: 2 }]);

  it('reports a partition moving to fewer replicas than the target, though it shows old and new ones', () => {
    // [1, 2] → [3]: Kafka shows [1, 2, 3] until the move ends, or for ever if it never does.
    const snap = moving(
      snapshot({ alive: [1, 2, 3], partitions: [{ topic: 'a', replicas: [1, 2, 3] }] }),
      move('a', 0, [1, 2], [3]),
    );
    expect(detectTopicAnomalies(snap, targets, {}, 10).anomaly?.topics).toEqual([
      { topic: 'a', targetReplicationFactor: 2, partitions: [0] },
    ]);
  });

  it('reports nothing for a partition moving to enough replicas, whichever moment the metadata shows', () => {
    const snap = moving(
      snapshot({
        alive: [1, 2, 3, 4],
        partitions: [
          // Mid-move: old and new replicas together.
          { topic: 'a', partition: 0, replicas: [1, 2, 3] },
          // The move started after the metadata was read: still the old replicas, two of which leave.
          { topic: 'a', partition: 1, replicas: [1, 2] },
          // A heal raising the replication factor, started after the metadata was read.
          { topic: 'b', partition: 0, replicas: [1] },
        ],
      }),
      move('a', 0, [1, 2], [2, 3]),
      move('a', 1, [1, 2], [3, 4]),
      move('b', 0, [1], [1, 4]),
    );
    expect(detectTopicAnomalies(snap, targets, {}, 10).anomaly).toBeNull();
  });
});

describe('disk failures list the offline replicas that remain once the moves end', () => {
  it('leaves out an offline replica a move is taking away, and keeps one whose log dir move is stuck', () => {
    const snap = moving(
      snapshot({
        alive: [1, 2, 3, 4],
        logDirs: [
          { brokerId: 1, path: '/d1', failed: true, error: 'KAFKA_STORAGE_ERROR' },
          // The destination of a log dir move whose source was /d1: the future copy cannot catch up.
          {
            brokerId: 1,
            path: '/d2',
            replicas: [{ topic: 'a', partition: 2, sizeBytes: 10, offsetLag: 5, isFuture: true }],
          },
        ],
        partitions: [
          // Moving off broker 1: the move re-homes it.
          { topic: 'a', partition: 0, replicas: [1, 2, 3, 4], isr: [2, 3], offlineReplicas: [1] },
          { topic: 'a', partition: 1, replicas: [1, 2, 3], isr: [2, 3], offlineReplicas: [1] },
          { topic: 'a', partition: 2, replicas: [1, 2, 3], isr: [2, 3], offlineReplicas: [1] },
        ],
      }),
      move('a', 0, [1, 2, 3], [2, 3, 4]),
    );
    expect(detectDiskFailures(snap, {}, 7_000).anomaly?.offlineReplicas).toEqual([
      { topic: 'a', partition: 1, brokerId: 1 },
      { topic: 'a', partition: 2, brokerId: 1 },
    ]);
  });

  it('is not fooled by a future replica on a failed dir: the current copy elsewhere is online', () => {
    // Kafka drops the future copy when its dir fails; the partition is not offline on broker 1.
    const snap = snapshot({
      alive: [1, 2, 3],
      logDirs: [
        {
          brokerId: 1,
          path: '/d1',
          replicas: [{ topic: 'a', partition: 0, sizeBytes: 10, offsetLag: 0, isFuture: false }],
        },
        { brokerId: 1, path: '/d2', failed: true, error: 'KAFKA_STORAGE_ERROR' },
      ],
      partitions: [{ topic: 'a', partition: 0, replicas: [1, 2, 3] }],
    });
    expect(detectDiskFailures(snap, {}, 7_000).anomaly?.offlineReplicas).toEqual([]);
  });
});

describe('broker failures count a dead broker until no replica names it', () => {
  it('still reports a dead broker a move is taking replicas away from (a stopped move would leave them)', () => {
    const snap = moving(
      snapshot({ alive: [1, 2, 3], dead: [4], partitions: [{ replicas: [4, 1, 2, 3], offlineReplicas: [4] }] }),
      move('t', 0, [4, 1, 2], [1, 2, 3]),
    );
    expect(detectBrokerFailures(snap, {}, 5).anomaly?.failedBrokersByTimeMs).toEqual({ 4: 5 });
  });
});

describe('slow brokers: a broker receiving moves keeps its score while they run', () => {
  const settings = slowBrokerSettings({ removalEnabled: false });
  // Broker 2's latest log flush is far above its history and its peers': the copy it receives.
  const history = new Map<number, BrokerLatencySample[]>();
  for (const id of [1, 2, 3, 4]) {
    const samples = Array.from({ length: 21 }, (_, i) => ({
      timeMs: i * 1_000,
      logFlushTimeMs999th: id === 2 && i === 20 ? 5_000 : 50,
      produceLocalTimeMs999th: 5,
      bytesInPerSecond: 2_000_000,
    }));
    history.set(id, samples);
  }
  const leaders = new Map([[2, 10]]);

  it('neither gains nor loses a point while it receives a replica, and is judged again after', () => {
    const previous = { scores: { 2: 2 }, firstSeen: {} };
    const during = detectSlowBrokers(history, [1, 2, 3, 4], leaders, settings, previous, 1_000, new Set([2]));
    expect(during.scores).toEqual({ 2: 2 });
    expect(during.anomaly).toBeNull();
    const after = detectSlowBrokers(history, [1, 2, 3, 4], leaders, settings, previous, 2_000, new Set());
    expect(after.scores).toEqual({ 2: 3 });
    expect(after.anomaly?.slowBrokers.map((b) => b.brokerId)).toEqual([2]);
  });
});
