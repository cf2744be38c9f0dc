// topic_configuration's replication-factor change: additions spread over racks then disk, drops
// take dead, rack-doubled and disk-heavy replicas first and never the leader; bad requests name
// the parameter at fault.
import { describe, expect, it } from 'vitest';
import {
  BelowMinInsyncReplicasError,
  InvalidReplicationFactorError,
  NoMatchingTopicError,
  ReplicationFactorAboveRacksError,
  replicationFactorProposals,
  type ReplicationFactorOptions,
} from '../../../../src/analyzer/operations/index.js';
import { tasksFromProposals } from '../../../../src/executor/index.js';
import { BrokerState, type ClusterModel, type PartitionMove } from '../../../../src/model/index.js';
import { mulberry32, randomModel } from '../../../fixtures/random-model.js';
import { smallModel, type SmallPart } from '../../../fixtures/small-models.js';

const ALIVE = BrokerState.ALIVE;

/** A topic `heavy` of one partition on `broker` filling `diskMb` of its 1000 MB. */
const heavy = (broker: number, diskMb: number): SmallPart => ({
  topic: 'heavy',
  replicas: [broker],
  load: [1, 1, 1, diskMb],
});

const newReplicas = (proposals: PartitionMove[]) =>
  Object.fromEntries(proposals.map((p) => [`${p.topic}-${p.partitionNumber}`, p.newReplicas]));

const rf = (
  model: ClusterModel,
  topic: string,
  replicationFactor: number,
  more: Partial<ReplicationFactorOptions> = {},
) => replicationFactorProposals(model, { topicPattern: new RegExp(`^${topic}$`), replicationFactor, ...more });

describe('replicationFactorProposals: increasing', () => {
  it('adds replicas in racks the partition does not use yet, after the existing ones, with no log dir', () => {
    const m = smallModel(['a', 'a', 'b', 'c'], [{ topic: 'x', replicas: [0] }]);
    const { proposals, topics } = rf(m, 'x', 3);
    expect(topics).toEqual(['x']);
    expect(proposals).toEqual([
      {
        partition: 0,
        topic: 'x',
        partitionNumber: 0,
        oldReplicas: [0],
        newReplicas: [0, 2, 3],
        oldLogDirs: ['/d'],
        newLogDirs: ['/d', null, null],
        oldLeader: 0,
        newLeader: 0,
      },
    ]);
  });

  it('prefers the brokers with the least disk used, and spreads what it adds in one call', () => {
    // Broker 1 is half full; 2 and 3 are empty; six partitions of x on broker 0 gain a replica each.
    const m = smallModel(
      ['a', 'a', 'a', 'a'],
      [heavy(1, 500), ...Array.from({ length: 6 }, () => ({ topic: 'x', replicas: [0] }))],
    );
    const { proposals } = rf(m, 'x', 2, { skipRackAwarenessCheck: true });
    const added = proposals.map((p) => p.newReplicas[1]);
    expect(added).toEqual([2, 3, 2, 3, 2, 3]);
  });

  it('refuses more replicas than racks of eligible brokers unless the rack check is skipped', () => {
    const m = smallModel(['a', 'a', 'b', 'b'], [{ topic: 'x', replicas: [0] }]);
    expect(() => rf(m, 'x', 3)).toThrow(ReplicationFactorAboveRacksError);
    expect(() => rf(m, 'x', 3)).toThrow(/is 3 but alive brokers span only 2 rack\(s\)/);
    expect(newReplicas(rf(m, 'x', 3, { skipRackAwarenessCheck: true }).proposals)['x-0']).toHaveLength(3);
    // A rack whose only broker is excluded does not count.
    const n = smallModel(['a', 'b', 'c'], [{ topic: 'x', replicas: [0] }]);
    expect(() => rf(n, 'x', 3, { excludedBrokers: new Set([2]) })).toThrow(InvalidReplicationFactorError);
    expect(() => rf(n, 'x', 2, { excludedBrokers: new Set([2]) })).not.toThrow();
  });

  it('never adds on a dead or excluded broker, nor on one flagged against replica moves', () => {
    const states = [ALIVE, ALIVE, ALIVE, 0, ALIVE | BrokerState.EXCLUDED_FOR_REPLICA_MOVE];
    const m = smallModel(['a', 'b', 'c', 'd', 'e'], [{ topic: 'x', replicas: [0] }], { states });
    expect(newReplicas(rf(m, 'x', 2, { excludedBrokers: new Set([2]) }).proposals)).toEqual({ 'x-0': [0, 1] });
    expect(() => rf(m, 'x', 3, { excludedBrokers: new Set([2]) })).toThrow(
      new InvalidReplicationFactorError(3, 2).message,
    );
  });

  it('keeps a replica on a dead broker and still reaches the factor with live ones', () => {
    const m = smallModel(['a', 'b', 'c', 'd'], [{ topic: 'x', replicas: [0, 3] }], {
      states: [ALIVE, ALIVE, ALIVE, 0],
    });
    expect(newReplicas(rf(m, 'x', 3).proposals)).toEqual({ 'x-0': [0, 3, 1] });
  });
});

describe('replicationFactorProposals: decreasing', () => {
  it('drops replicas on dead brokers first, then those sharing a rack, never the leader', () => {
    // Broker 3 is dead; 0 and 1 share rack a; 1 leads.
    const m = smallModel(['a', 'a', 'b', 'c', 'd'], [{ topic: 'x', replicas: [0, 1, 2, 3], leader: 1 }], {
      states: [ALIVE, ALIVE, ALIVE, 0, ALIVE],
    });
    const [p] = rf(m, 'x', 2).proposals;
    expect(p).toMatchObject({ newReplicas: [1, 2], newLogDirs: ['/d', '/d'], oldLeader: 1, newLeader: 1 });
  });

  it('then drops the replicas on the most disk-used brokers, and the last one on a tie', () => {
    const m = smallModel(
      ['a', 'b', 'c', 'd'],
      [heavy(2, 600), heavy(1, 300), { topic: 'x', replicas: [0, 1, 2, 3] }, { topic: 'y', replicas: [0, 3, 1] }],
    );
    expect(newReplicas(rf(m, 'x', 2).proposals)).toEqual({ 'x-0': [0, 3] });
    // y: 0 leads and stays; 1 holds 300 MB more than 3, so it goes.
    expect(newReplicas(rf(m, 'y', 2).proposals)).toEqual({ 'y-0': [0, 3] });
    const flat = smallModel(['a', 'b', 'c'], [{ topic: 'z', replicas: [0, 1, 2] }]);
    expect(newReplicas(rf(flat, 'z', 2).proposals)).toEqual({ 'z-0': [0, 1] });
  });

  it('keeps the leader even on the fullest broker, down to a single replica', () => {
    const m = smallModel(['a', 'b', 'c'], [heavy(2, 900), { topic: 'x', replicas: [0, 1, 2], leader: 2 }]);
    expect(rf(m, 'x', 1).proposals[0]).toMatchObject({ newReplicas: [2], newLeader: 2 });
  });

  it('refuses to go below min.insync.replicas, naming the topics, unless allowed', () => {
    const m = smallModel(
      ['a', 'b', 'c'],
      [
        { topic: 'x', replicas: [0, 1, 2] },
        { topic: 'y', replicas: [0, 1, 2] },
        { topic: 'z', replicas: [0] },
      ],
    );
    const minInsyncReplicas = (topic: string) => ({ x: 2, y: 3, z: 3 })[topic];
    const attempt = () => replicationFactorProposals(m, { topicPattern: /./, replicationFactor: 1, minInsyncReplicas });
    expect(attempt).toThrow(BelowMinInsyncReplicasError);
    expect(attempt).toThrow("Parameter 'replication_factor' 1 is below min.insync.replicas of x (2), y (3)");
    expect(() => rf(m, 'x', 2, { minInsyncReplicas })).not.toThrow();
    // Raising a topic that is below its min.insync.replicas is no reason to refuse.
    expect(() => rf(m, 'z', 2, { minInsyncReplicas })).not.toThrow();
    expect(rf(m, 'x', 1, { minInsyncReplicas, allowBelowMinInsyncReplicas: true }).proposals).toHaveLength(1);
  });
});

describe('replicationFactorProposals: requests', () => {
  const m = smallModel(
    ['a', 'b', 'c'],
    [
      { topic: 'orders', replicas: [0, 1] },
      { topic: 'orders', replicas: [1, 2, 0] },
      { topic: 'audit', replicas: [2] },
      { topic: 'other', replicas: [2] },
    ],
  );

  it('lists the matching topics and proposes only the partitions that change', () => {
    const { proposals, topics } = replicationFactorProposals(m, {
      topicPattern: /^(orders|audit)$/g,
      replicationFactor: 3,
    });
    expect(topics).toEqual(['audit', 'orders']);
    expect(proposals.map((p) => `${p.topic}-${p.partitionNumber}`)).toEqual(['orders-0', 'audit-0']);
  });

  it('rejects a factor that is not a whole number of at least 1, as replication_factor', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      const attempt = () => rf(m, 'orders', bad);
      expect(attempt).toThrow(InvalidReplicationFactorError);
      expect(attempt).toThrow(/Parameter 'replication_factor' must be a whole number of at least 1/);
    }
    expect(new InvalidReplicationFactorError(0)).toMatchObject({
      code: 'INVALID_REPLICATION_FACTOR',
      parameter: 'replication_factor',
    });
  });

  it('rejects a factor above the alive brokers, and a pattern that matches nothing, as topic', () => {
    expect(() => rf(m, 'orders', 4)).toThrow(
      "Parameter 'replication_factor' is 4 but only 3 alive broker(s) may hold a replica",
    );
    const attempt = () => rf(m, 'nothing.*', 2);
    expect(attempt).toThrow(NoMatchingTopicError);
    expect(new NoMatchingTopicError('x')).toMatchObject({ code: 'NO_MATCHING_TOPIC', parameter: 'topic' });
  });
});

describe('replicationFactorProposals on random clusters', () => {
  it('reaches the factor exactly, keeps the leader and old replicas, adds only on eligible brokers, spreads racks', () => {
    let proposed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const m = randomModel(seed, { brokers: 10, racks: 4, partitions: 140, maxReplicationFactor: 5 });
      const random = mulberry32(seed * 17);
      const excludedBrokers = new Set(m.tables.brokerKafkaIds.filter(() => random() < 0.15));
      const eligible = (id: number) => {
        const b = m.brokerIndex(id);
        return (
          m.brokerHas(b, ALIVE) && !excludedBrokers.has(id) && !m.brokerHas(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE)
        );
      };
      const eligibleCount = m.tables.brokerKafkaIds.filter(eligible).length;
      const factor = 1 + (seed % Math.min(4, eligibleCount));
      const { proposals } = replicationFactorProposals(m, {
        topicPattern: /^topic-[0-4]$/,
        replicationFactor: factor,
        excludedBrokers,
        skipRackAwarenessCheck: true,
      });
      const rackOf = (id: number) => m.brokerRack[m.brokerIndex(id)]!;
      const eligibleRacks = new Set(m.tables.brokerKafkaIds.filter(eligible).map(rackOf));
      for (const p of proposals) {
        const name = `${p.topic}-${p.partitionNumber}`;
        expect(p.newReplicas, name).toHaveLength(factor);
        expect(new Set(p.newReplicas).size, name).toBe(factor);
        expect(p.newLogDirs).toHaveLength(factor);
        expect(p.newLeader, name).toBe(p.oldLeader);
        if (p.oldLeader >= 0) expect(p.newReplicas).toContain(p.oldLeader);
        if (p.oldReplicas.length < factor) {
          expect(p.newReplicas.slice(0, p.oldReplicas.length)).toEqual(p.oldReplicas);
          const added = p.newReplicas.slice(p.oldReplicas.length);
          expect(added.every(eligible), name).toBe(true);
          expect(p.newLogDirs.slice(p.oldReplicas.length).every((d) => d === null)).toBe(true);
          // An added replica shares a rack only once every rack that could take one is used.
          const racks = p.newReplicas.map(rackOf);
          for (const id of added) {
            if (racks.filter((r) => r === rackOf(id)).length > 1) {
              for (const r of eligibleRacks) expect(racks, name).toContain(r);
            }
          }
        } else {
          expect(p.oldReplicas.length).toBeGreaterThan(factor);
          expect(p.oldReplicas.filter((id) => p.newReplicas.includes(id))).toEqual(p.newReplicas);
          p.newReplicas.forEach((id, i) => expect(p.newLogDirs[i]).toBe(p.oldLogDirs[p.oldReplicas.indexOf(id)]));
          // Offline replicas go first: none is kept (but the leader) while an online one is dropped.
          const online = new Map<number, boolean>();
          for (let r = m.partitionReplicaStart[p.partition]!; r < m.partitionReplicaStart[p.partition + 1]!; r++) {
            const disk = m.replicaDisk[r]!;
            online.set(
              m.brokerKafkaId(m.replicaBroker[r]!),
              m.brokerHas(m.replicaBroker[r]!, ALIVE) && (disk < 0 || m.diskAlive[disk] === 1),
            );
          }
          const droppedOnline = p.oldReplicas.some((id) => !p.newReplicas.includes(id) && online.get(id));
          const keptOffline = p.newReplicas.some((id) => id !== p.oldLeader && !online.get(id));
          expect(droppedOnline && keptOffline, name).toBe(false);
        }
      }
      // Every partition of a matching topic that was not at the factor is proposed.
      let changing = 0;
      for (let part = 0; part < m.partitionCount; part++) {
        const topic = m.tables.topicNames[m.partitionTopic[part]!]!;
        const count = m.partitionReplicaStart[part + 1]! - m.partitionReplicaStart[part]!;
        if (/^topic-[0-4]$/.test(topic) && count !== factor) changing++;
      }
      expect(proposals).toHaveLength(changing);
      // Replica moves only, no leader change.
      const tasks = tasksFromProposals(proposals, () => ({ sizeBytes: 1 }));
      expect(tasks.every((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION')).toBe(true);
      proposed += proposals.length;
    }
    expect(proposed).toBeGreaterThan(1000);
  });
});
