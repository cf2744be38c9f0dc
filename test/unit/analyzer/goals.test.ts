// Goals on small hand-built models (a violation fixed, a satisfied model left alone, a later goal
// never breaking an earlier one, an infeasible hard goal named), and seeded property tests of the
// default chain on generated models.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOALS, DEFAULT_THRESHOLDS, GOALS_BY_NAME, type Goal } from '../../../goals/index.js';
import { balancednessScore, HardGoalViolationError, optimize } from '../../../src/analyzer/index.js';
import { BrokerState, ClusterModel, generateSyntheticModel, ModelBuilder, Resource } from '../../../src/model/index.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { singleBrokerJbod, smallModel, type SmallPart } from '../../fixtures/small-models.js';

const goal = (name: string): Goal => GOALS_BY_NAME.get(name)!;

/** Brokers `0..n-1` (rack per broker given), one disk each, capacity [100, 1000, 1000, 1000]. */
/** Brokers `0..n-1` on the given racks, one disk each, capacity [100, 1000, 1000, 1000]. */
function model(racks: string[], parts: SmallPart[], states: number[] = []): ClusterModel {
  return smallModel(racks, parts, { states });
}

const load = (m: ClusterModel, kafkaId: number, r: Resource) => m.brokerLoad[m.brokerIndex(kafkaId) * 4 + r]!;
const racksOf = (m: ClusterModel, p: number) => {
  const racks: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    racks.push(m.brokerRack[m.replicaBroker[r]!]!);
  return racks;
};

describe('RackAwareGoal', () => {
  it('moves the follower that shares a rack to a rack the partition does not use', () => {
    const m = model(['a', 'a', 'b', 'c'], [{ replicas: [0, 1] }, { replicas: [2, 3] }]);
    const result = optimize(m, { goals: [goal('RackAwareGoal')] });
    expect(new Set(racksOf(m, 0)).size).toBe(2);
    // The leader stayed; only partition 0 changed.
    expect(
      result.proposals.map((p) => [p.partitionNumber, p.oldLeader, p.newLeader, p.oldReplicas[0], p.newReplicas[0]]),
    ).toEqual([[0, 0, 0, 0, 0]]);
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
  });

  it('leaves a rack-aware model alone and vetoes later moves that would break it', () => {
    const m = model(
      ['a', 'b', 'a', 'b'],
      [
        { replicas: [0, 1], load: [1, 10, 10, 400] },
        { replicas: [2, 3], load: [1, 10, 10, 10] },
      ],
    );
    // Disk balance would like to move a 400 MB replica from broker 0 to broker 2 (same rack as... no: a→a is fine)
    // and from broker 1 to broker 3; both keep racks. Force the only useful destinations to break racks:
    const result = optimize(m, {
      goals: [goal('RackAwareGoal'), goal('DiskUsageDistributionGoal')],
      destinationBrokerIds: new Set([2, 3]),
    });
    for (let p = 0; p < m.partitionCount; p++) expect(new Set(racksOf(m, p)).size).toBe(racksOf(m, p).length);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expectInvariants(m);
  });

  it('fails naming the goal and the partition when two racks cannot hold three replicas', () => {
    const m = model(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]);
    expect(() => optimize(m, { goals: [goal('RackAwareGoal')] })).toThrow(HardGoalViolationError);
    expect(() =>
      optimize(model(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]), { goals: [goal('RackAwareGoal')] }),
    ).toThrow(/RackAwareGoal cannot be met: t-0 has 3 replicas but only 2 racks are alive/);
    const skipped = optimize(model(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]), {
      goals: [goal('RackAwareGoal')],
      skipHardGoalCheck: true,
    });
    expect(skipped.goals[0]!.after.satisfied).toBe(false);
  });
});

describe('goal scope', () => {
  it('does not count partitions of excluded topics against RackAwareGoal, as Cruise Control', () => {
    const m = model(
      ['a', 'a', 'b'],
      [
        { topic: 'internal', replicas: [0, 1, 2] },
        { topic: 'app', replicas: [0, 2] },
      ],
    );
    const result = optimize(m, { goals: [goal('RackAwareGoal')], excludedTopics: /^internal$/ });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect(result.proposals).toEqual([]);
  });
});

describe('capacity goals', () => {
  it('DiskCapacityGoal moves replicas off a broker above 80% of its disk', () => {
    // Broker 3 is the only one with room: 900 MB on broker 0, limit 800.
    const m = model(
      ['a', 'b', 'c', 'd'],
      [
        { replicas: [0, 1], load: [1, 10, 10, 500] },
        { replicas: [0, 2], load: [1, 10, 10, 400] },
      ],
    );
    expect(load(m, 0, Resource.DISK)).toBe(900);
    optimize(m, { goals: [goal('DiskCapacityGoal')] });
    for (const b of [0, 1, 2, 3]) expect(load(m, b, Resource.DISK)).toBeLessThanOrEqual(800);
    expectInvariants(m);
  });

  it('NetworkOutboundCapacityGoal moves leadership before any replica', () => {
    const m = model(
      ['a', 'b'],
      [
        { replicas: [0, 1], load: [1, 10, 500, 10] },
        { replicas: [0, 1], load: [1, 10, 400, 10] },
      ],
    );
    const result = optimize(m, { goals: [goal('NetworkOutboundCapacityGoal')] });
    expect(result.replicaMoves).toBe(0);
    expect(result.leaderMoves).toBe(1);
    expect(load(m, 0, Resource.NW_OUT)).toBeLessThanOrEqual(800);
  });

  it('CpuCapacityGoal fails when the cluster cannot carry the load, naming the broker', () => {
    const m = model(['a', 'b'], [{ replicas: [0, 1], load: [90, 10, 10, 10] }]);
    expect(() => optimize(m, { goals: [goal('CpuCapacityGoal')] })).toThrow(
      /CpuCapacityGoal cannot be met: broker 0: 90\.0 over its limit 70\.0/,
    );
  });

  it('a later goal cannot push a broker over an earlier capacity limit', () => {
    // Three replicas on broker 0, none elsewhere: replica distribution wants to move them, but broker 1
    // is excluded and broker 2 is close to its disk limit.
    const m = model(
      ['a', 'b', 'c'],
      [
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [2], load: [1, 10, 10, 750] },
      ],
    );
    optimize(m, {
      goals: [goal('DiskCapacityGoal'), goal('ReplicaDistributionGoal')],
      excludedBrokersForReplicaMove: new Set([1]),
    });
    expect(load(m, 2, Resource.DISK)).toBeLessThanOrEqual(800);
  });
});

describe('distribution goals', () => {
  it('ReplicaDistributionGoal evens replica counts, moving the smallest replicas', () => {
    const m = model(
      ['a', 'b', 'c'],
      [
        { replicas: [0], load: [1, 10, 10, 5] },
        { replicas: [0], load: [1, 10, 10, 50] },
        { replicas: [0], load: [1, 10, 10, 1] },
        { replicas: [1] },
      ],
    );
    const result = optimize(m, { goals: [goal('ReplicaDistributionGoal')] });
    expect([0, 1, 2].map((b) => m.brokerReplicaCount[m.brokerIndex(b)])).toEqual([2, 1, 1]);
    // The one move that was needed took the 1 MB replica.
    expect(result.dataToMoveMb).toBe(1);
  });

  it('LeaderReplicaDistributionGoal brings leader counts into the band with leadership moves only', () => {
    const m = model(
      ['a', 'b'],
      Array.from({ length: 10 }, () => ({ replicas: [0, 1] })),
    );
    const result = optimize(m, { goals: [goal('LeaderReplicaDistributionGoal')] });
    expect(result.replicaMoves).toBe(0);
    // Mean 5, threshold 1.10: the band is [floor(4.5), ceil(5.5)] = [4, 6].
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
    expect(m.brokerLeaderCount[0]).toBeLessThanOrEqual(6);
    expect(m.brokerLeaderCount[1]).toBeGreaterThanOrEqual(4);
  });

  it('DiskUsageDistributionGoal brings every broker within 10% of the mean and leaves a balanced model alone', () => {
    const skewed = model(
      ['a', 'b', 'c', 'd'],
      [
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
        { replicas: [0], load: [1, 10, 10, 100] },
      ],
    );
    const result = optimize(skewed, { goals: [goal('DiskUsageDistributionGoal')] });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect([0, 1, 2, 3].map((b) => load(skewed, b, Resource.DISK))).toEqual([100, 100, 100, 100]);
    const balanced = model(['a', 'b'], [{ replicas: [0] }, { replicas: [1] }]);
    expect(optimize(balanced, { goals: [goal('DiskUsageDistributionGoal')] }).proposals).toEqual([]);
  });

  it('puts two replicas of a partition in one rack only when no earlier goal vetoes it', () => {
    // Broker 0 (rack a) can only shed to broker 1 (rack b), where broker 2 holds the other replica
    // of every partition: the search must keep asking rather than assume a rack veto.
    const parts = Array.from({ length: 40 }, () => ({ replicas: [0, 2], load: [1, 10, 10, 10] as SmallPart['load'] }));
    const unaware = model(['a', 'b', 'b'], parts);
    const result = optimize(unaware, { goals: [goal('DiskUsageDistributionGoal')] });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    const aware = model(['a', 'b', 'b'], parts);
    optimize(aware, { goals: [goal('RackAwareGoal'), goal('DiskUsageDistributionGoal')] });
    for (let p = 0; p < aware.partitionCount; p++) expect(new Set(racksOf(aware, p)).size).toBe(2);
    expect(load(aware, 0, Resource.DISK)).toBe(400);
  });

  it('never moves excluded topics, onto dead brokers or onto excluded brokers', () => {
    const m = model(
      ['a', 'b', 'c', 'd'],
      [
        { topic: 'keep', replicas: [0], load: [1, 10, 10, 300] },
        { topic: 'move', replicas: [0], load: [1, 10, 10, 100] },
        { topic: 'move', replicas: [0], load: [1, 10, 10, 100] },
      ],
      [BrokerState.ALIVE, 0, BrokerState.ALIVE, BrokerState.ALIVE],
    );
    optimize(m, {
      goals: [goal('DiskUsageDistributionGoal')],
      excludedTopics: /^keep$/,
      excludedBrokersForReplicaMove: new Set([3]),
    });
    expect(m.replicaBroker[0]).toBe(m.brokerIndex(0));
    expect(m.brokerReplicaCount[m.brokerIndex(1)]).toBe(0);
    expect(m.brokerReplicaCount[m.brokerIndex(3)]).toBe(0);
    expect(m.brokerReplicaCount[m.brokerIndex(2)]).toBeGreaterThan(0);
  });
});

describe('the default chain on generated models (property tests)', () => {
  const seeds = [1, 2, 3, 4, 5];
  for (const skew of ['hot-broker', 'new-empty-broker', 'none'] as const) {
    it(`keeps partitions, replication factors, rack awareness and exclusions (${skew}, seeds ${seeds.join(', ')})`, () => {
      for (const seed of seeds) {
        // CPU capacity with room for the generated load, so the hard goals are feasible.
        const m = generateSyntheticModel({
          seed,
          brokers: 9,
          racks: 3,
          partitions: 150,
          topics: 6,
          skew,
          cpuCapacity: 1000,
        });
        const before = { partitions: m.partitionCount, replicas: m.replicaCount };
        const rf = Array.from(
          { length: m.partitionCount },
          (_, p) => m.partitionReplicaStart[p + 1]! - m.partitionReplicaStart[p]!,
        );
        const excluded = /^topic-0$/;
        const result = optimize(m, {
          goals: DEFAULT_GOALS,
          excludedTopics: excluded,
          excludedBrokersForReplicaMove: new Set([4]),
        });
        expectInvariants(m);
        expect({ partitions: m.partitionCount, replicas: m.replicaCount }).toEqual(before);
        for (let p = 0; p < m.partitionCount; p++) {
          expect(m.partitionReplicaStart[p + 1]! - m.partitionReplicaStart[p]!).toBe(rf[p]);
          expect(new Set(racksOf(m, p)).size, `seed ${seed} partition ${p} rack-aware`).toBe(rf[p]);
        }
        for (const proposal of result.proposals) {
          expect(excluded.test(proposal.topic)).toBe(false);
          const added = proposal.newReplicas.filter((b) => !proposal.oldReplicas.includes(b));
          expect(added).not.toContain(4);
        }
        // Hard goals hold after the run (optimize would have thrown otherwise) and soft ones never got worse.
        for (const report of result.goals) {
          if (report.hard) expect(report.after.satisfied).toBe(true);
          else
            expect(report.after.violations, `${report.name} seed ${seed}`).toBeLessThanOrEqual(
              report.before.violations,
            );
        }
      }
    });
  }

  it('balances a hot broker: disk within the 1.10 band after, from far outside before', () => {
    const m = generateSyntheticModel({
      seed: 7,
      brokers: 9,
      racks: 3,
      partitions: 300,
      topics: 8,
      skew: 'hot-broker',
      cpuCapacity: 1000,
    });
    const result = optimize(m, { goals: DEFAULT_GOALS, thresholds: DEFAULT_THRESHOLDS });
    const disk = result.goals.find((g) => g.name === 'DiskUsageDistributionGoal')!;
    expect(disk.before.violations).toBeGreaterThan(0);
    expect(disk.after.violations).toBeLessThan(disk.before.violations);
    expect(result.replicaMoves).toBeGreaterThan(0);
  });
});

describe('balancedness score', () => {
  it('is 100 when all goals hold and weighs violations by priority (×1.1 per step) and hardness (×1.5)', () => {
    expect(balancednessScore([])).toBe(100);
    expect(
      balancednessScore([
        { hard: true, satisfied: true },
        { hard: false, satisfied: true },
      ]),
    ).toBe(100);
    // Weights: the soft goal last = 1, the hard one first = 1.1 × 1.5 = 1.65; total 2.65.
    expect(
      balancednessScore([
        { hard: true, satisfied: true },
        { hard: false, satisfied: false },
      ]),
    ).toBeCloseTo((100 * 1.65) / 2.65, 9);
    expect(
      balancednessScore([
        { hard: true, satisfied: false },
        { hard: false, satisfied: true },
      ]),
    ).toBeCloseTo(100 / 2.65, 9);
  });

  it('is reported before and after an optimization', () => {
    const m = model(['a', 'a', 'b', 'c'], [{ replicas: [0, 1] }, { replicas: [2, 3] }]);
    const result = optimize(m, { goals: [goal('RackAwareGoal'), goal('ReplicaDistributionGoal')] });
    expect(result.balancednessBefore).toBeLessThan(100);
    expect(result.balancednessAfter).toBe(100);
  });
});

describe('PreferredLeaderElectionGoal', () => {
  it('gives leadership back to the first replica unless that broker may not lead', () => {
    const builder = new ModelBuilder();
    ['a', 'b', 'c'].forEach((rack, b) => builder.addBroker({ kafkaId: b, rack, capacity: [100, 1000, 1000, 1000] }));
    const part = (partition: number, replicas: number[]) =>
      builder.addPartition({
        topic: 't',
        partition,
        replicas: replicas.map((broker) => ({ broker })),
        leaderIndex: 1,
        leaderLoad: [1, 1, 1, 1],
        followerLoad: [1, 1, 0, 1],
      });
    part(0, [0, 1]);
    part(1, [2, 0]);
    const m = builder.build();
    const result = optimize(m, {
      goals: [goal('PreferredLeaderElectionGoal')],
      excludedBrokersForLeadership: new Set([2]),
    });
    expect(m.replicaBroker[m.partitionLeader[0]!]).toBe(m.brokerIndex(0));
    // Broker 2 may not lead: t-1 keeps its leader and stays a violation.
    expect(m.replicaBroker[m.partitionLeader[1]!]).toBe(m.brokerIndex(0));
    expect(result.goals[0]).toMatchObject({ before: { violations: 2 }, after: { violations: 1 } });
  });
});

describe('IntraBrokerDiskCapacityGoal', () => {
  /** One broker with disks /a and /b (1000 MB each); replicas given as [sizeMb, disk]. */
  const jbod = (replicas: [number, string][], deadDisk?: string) => singleBrokerJbod(['/a', '/b'], replicas, deadDisk);
  const diskLoad = (m: ClusterModel, path: string) => m.diskLoadMb[m.tables.diskPaths.indexOf(path)]!;

  it('moves replicas off a disk above 80% onto the other disk of the same broker', () => {
    const m = jbod([
      [500, '/a'],
      [400, '/a'],
      [100, '/b'],
    ]);
    const result = optimize(m, { goals: [goal('IntraBrokerDiskCapacityGoal')] });
    expect(diskLoad(m, '/a')).toBeLessThanOrEqual(800);
    expect(diskLoad(m, '/a') + diskLoad(m, '/b')).toBe(1000);
    expect(result.replicaMoves).toBe(0);
    expect(result.proposals.every((p) => p.oldReplicas.join() === p.newReplicas.join())).toBe(true);
    expect(result.proposals.some((p) => p.oldLogDirs[0] === '/a' && p.newLogDirs[0] === '/b')).toBe(true);
  });

  it('empties a dead disk of a live broker, and fails naming the disk when there is no room', () => {
    const m = jbod([[300, '/a']], '/a');
    optimize(m, { goals: [goal('IntraBrokerDiskCapacityGoal')] });
    expect(diskLoad(m, '/b')).toBe(300);
    const full = jbod([[900, '/a']], '/a');
    expect(() => optimize(full, { goals: [goal('IntraBrokerDiskCapacityGoal')] })).toThrow(
      /IntraBrokerDiskCapacityGoal cannot be met: broker 0 disk \/a is dead and still holds 900\.0 MB/,
    );
  });
});
