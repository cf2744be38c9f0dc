// Replicas of dead brokers and of brokers being removed leave them before the goals run; the
// proposal fails naming the brokers when there is nowhere to go.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOALS } from '../../../goals/index.js';
import { DiskRemovalError, DrainError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, type ClusterModel, ModelBuilder } from '../../../src/model/index.js';
import { singleBrokerJbod, smallModel } from '../../fixtures/small-models.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { brokersOf } from '../../support/model-readers.js';

/** Brokers 0..n-1 on racks given per broker (no known disks); partitions of `t` (or `topic`). */
function model(racks: string[], parts: { replicas: number[]; topic?: string }[], dead: number[] = []): ClusterModel {
  const states = racks.map((_, b) => (dead.includes(b) ? 0 : BrokerState.ALIVE));
  return smallModel(racks, parts, { capacity: [100, 10_000, 10_000, 10_000], diskCapacityMb: null, states });
}

describe('draining dead and removed brokers', () => {
  it("moves a dead broker's replicas to live brokers, into racks the partition does not use", () => {
    const m = model(['a', 'b', 'c', 'c'], [{ replicas: [0, 2] }, { replicas: [1, 2] }], [2]);
    const result = optimize(m, { goals: DEFAULT_GOALS, skipHardGoalCheck: true });
    const rackOf = (id: number) => ['a', 'b', 'c', 'c'][id];
    for (const p of [0, 1]) {
      expect(brokersOf(m, p)).not.toContain(2);
      expect(new Set(brokersOf(m, p).map(rackOf)).size).toBe(2);
    }
    expect(result.replicaMoves).toBe(2);
    expectInvariants(m);
  });

  it('drains a broker being removed while it is still alive, and nothing moves onto it', () => {
    const m = model(['a', 'b', 'c', 'a'], [{ replicas: [0, 1] }, { replicas: [1, 2] }, { replicas: [2, 3] }]);
    optimize(m, { goals: DEFAULT_GOALS, brokersToRemove: new Set([1]) });
    for (const p of [0, 1, 2]) expect(brokersOf(m, p)).not.toContain(1);
    expectInvariants(m);
  });

  it('fails naming the broker and partitions when too few brokers are left for the replication factor', () => {
    const m = model(['a', 'b', 'c'], [{ replicas: [0, 1, 2] }], [2]);
    // No goal at all: the drain alone decides.
    const attempt = () => optimize(m.clone(), { goals: [] });
    expect(attempt).toThrow(DrainError);
    expect(attempt).toThrow(
      /1 replica\(s\) of dead or removed broker\(s\), or of failed log dirs, on broker\(s\) 2 have no eligible broker to move to \(e\.g\. t-0\)/,
    );
  });

  it('leaves replicas of excluded topics where they are, even on a dead broker', () => {
    const m = model(['a', 'b', 'c'], [{ replicas: [0, 2], topic: 'keep' }, { replicas: [1, 2] }], [2]);
    optimize(m, { goals: DEFAULT_GOALS, excludedTopics: /^keep$/, skipHardGoalCheck: true });
    expect(brokersOf(m, 0)).toEqual([0, 2]);
    expect(brokersOf(m, 1)).not.toContain(2);
  });
});

/** Brokers 0..2 on racks a, b, c; broker 0 has dirs /a (failed) and /b, the others /d. */
function modelWithFailedDir(): ClusterModel {
  const builder = new ModelBuilder();
  ['a', 'b', 'c'].forEach((rack, b) => builder.addBroker({ kafkaId: b, rack, capacity: [100, 1000, 1000, 2000] }));
  builder.addDisk({ broker: 0, path: '/a', capacityMb: 1000, alive: false });
  builder.addDisk({ broker: 0, path: '/b', capacityMb: 1000 });
  builder.addDisk({ broker: 1, path: '/d', capacityMb: 1000 });
  builder.addDisk({ broker: 2, path: '/d', capacityMb: 1000 });
  const part = (partition: number, replicas: { broker: number; disk: string }[]) =>
    builder.addPartition({
      topic: 't',
      partition,
      replicas,
      leaderIndex: replicas.length - 1,
      leaderLoad: [1, 10, 10, 10],
      followerLoad: [1, 10, 0, 10],
    });
  part(0, [
    { broker: 0, disk: '/a' },
    { broker: 1, disk: '/d' },
  ]);
  part(1, [
    { broker: 0, disk: '/b' },
    { broker: 2, disk: '/d' },
  ]);
  return builder.build();
}

describe('re-homing the replicas of a failed log dir (fix_offline_replicas)', () => {
  it('moves a replica of a failed dir to another broker and leaves the live dir alone', () => {
    const m = modelWithFailedDir();
    const result = optimize(m, { goals: [] });
    expect(brokersOf(m, 0)).toEqual([2, 1]);
    expect(brokersOf(m, 1)).toEqual([0, 2]);
    expect(result.proposals.map((p) => [p.topic, p.partitionNumber, p.oldLogDirs[0], p.newLogDirs[0]])).toEqual([
      ['t', 0, '/a', '/d'],
    ]);
    expectInvariants(m);
  });

  it('never moves a replica onto a live broker with a failed dir, however empty it is', () => {
    // Broker 0 keeps its failed dir /a until it restarts, and Kafka keeps every partition it lost
    // there offline on it: a later rebalance must not bring one back (the move would never finish).
    /** Brokers 0–3; six partitions on 1–3; broker 0 with dirs /a (failed, or left out when healthy) and /b. */
    const cluster = (failedDirOnBroker0: boolean) => {
      const builder = new ModelBuilder();
      ['a', 'b', 'c', 'd'].forEach((rack, b) =>
        builder.addBroker({ kafkaId: b, rack, capacity: [100, 1000, 1000, 2000] }),
      );
      if (failedDirOnBroker0) builder.addDisk({ broker: 0, path: '/a', capacityMb: 1000, alive: false });
      builder.addDisk({ broker: 0, path: '/b', capacityMb: 1000 });
      for (const b of [1, 2, 3]) builder.addDisk({ broker: b, path: '/d', capacityMb: 1000 });
      for (let p = 0; p < 6; p++) {
        builder.addPartition({
          topic: 't',
          partition: p,
          replicas: [1 + (p % 3), 1 + ((p + 1) % 3)].map((broker) => ({ broker, disk: '/d' })),
          leaderIndex: 0,
          leaderLoad: [1, 10, 10, 10],
          followerLoad: [1, 10, 0, 10],
        });
      }
      return builder.build();
    };
    const m = cluster(true);
    const result = optimize(m, { goals: DEFAULT_GOALS, skipHardGoalCheck: true });
    expect(m.brokerHas(m.brokerIndex(0), BrokerState.EXCLUDED_FOR_REPLICA_MOVE)).toBe(true);
    expect(result.proposals.filter((p) => p.newReplicas.includes(0))).toEqual([]);
    // The same cluster with both dirs of broker 0 healthy does fill it.
    const filled = optimize(cluster(false), { goals: DEFAULT_GOALS, skipHardGoalCheck: true });
    expect(filled.proposals.filter((p) => p.newReplicas.includes(0)).length).toBeGreaterThan(0);
  });

  it('names the failed replicas when no broker can take them', () => {
    const m = modelWithFailedDir();
    m.brokerState[2] = 0;
    // Broker 2 dead too: its replica of t-1 goes to broker 1, but t-0 (on brokers 0 and 1) has nowhere to go.
    expect(() => optimize(m, { goals: [] })).toThrow(
      /^1 replica\(s\) .* on broker\(s\) 0 have no eligible broker .*t-0/,
    );
  });
});

describe('removing log dirs (remove_disks)', () => {
  const diskOf = (m: ClusterModel, path: string) => m.tables.diskPaths.indexOf(path);
  const pathsOf = (m: ClusterModel) =>
    Array.from({ length: m.replicaCount }, (_, r) => m.tables.diskPaths[m.replicaDisk[r]!]);

  it('empties the named dir into the other dirs of the broker, the biggest replica where there is most room', () => {
    const m = singleBrokerJbod(
      ['/a', '/b', '/c'],
      [
        [300, '/a'],
        [200, '/a'],
        [400, '/b'],
        [100, '/c'],
      ],
    );
    const result = optimize(m, { goals: [], disksToRemove: new Set([diskOf(m, '/a')]) });
    expect(pathsOf(m)).toEqual(['/c', '/b', '/b', '/c']);
    expect(result.replicaMoves).toBe(0);
    expect(result.proposals.map((p) => `${p.partitionNumber}:${p.oldLogDirs[0]}->${p.newLogDirs[0]}`)).toEqual([
      '0:/a->/c',
      '1:/a->/b',
    ]);
    expectInvariants(m);
  });

  it('refuses, naming the dir, when the replicas do not fit below the disk capacity threshold', () => {
    // 900 MB on /a; /b has 800 MB of room at the 0.8 threshold.
    const m = singleBrokerJbod(
      ['/a', '/b'],
      [
        [500, '/a'],
        [400, '/a'],
      ],
    );
    const attempt = () => optimize(m.clone(), { goals: [], disksToRemove: new Set([diskOf(m, '/a')]) });
    expect(attempt).toThrow(DiskRemovalError);
    expect(attempt).toThrow(/1 replica\(s\) of log dir\(s\) \/a do not fit/);
  });

  it('never moves a replica onto a dir being removed while the goals run', () => {
    const m = singleBrokerJbod(
      ['/a', '/b', '/c'],
      [
        [100, '/a'],
        [600, '/b'],
        [50, '/c'],
      ],
    );
    optimize(m, { goals: DEFAULT_GOALS, disksToRemove: new Set([diskOf(m, '/a'), diskOf(m, '/c')]) });
    expect(pathsOf(m)).toEqual(['/b', '/b', '/b']);
  });
});
