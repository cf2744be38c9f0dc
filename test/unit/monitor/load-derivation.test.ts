// derivePartitionLoads: hand-computed examples for each rule, reported problems, and the CPU / NW conservation invariants.
import { describe, expect, it } from 'vitest';
import {
  derivePartitionLoads,
  LoadDerivationConfigError,
  type BrokerMeasurement,
  type PartitionLoad,
  type PartitionMeasurement,
} from '../../../src/monitor/index.js';
import { Resource } from '../../../src/model/resources.js';

const KB = 1024;
const MB = 1024 * 1024;

/** A broker measurement; `topics` maps topic → [bytesIn/s, bytesOut/s]. */
function broker(
  brokerId: number,
  cpuPercent: number | null,
  topics: Record<string, [number, number]>,
): BrokerMeasurement {
  const map = new Map(
    Object.entries(topics).map(([t, [i, o]]) => [t, { bytesInPerSec: i, bytesOutPerSec: o }] as const),
  );
  return { brokerId, cpuPercent, topics: map };
}

/** A partition whose replicas all have `sizeBytes` unless `sizes` is given. */
function part(
  topic: string,
  partition: number,
  replicas: number[],
  extra: { leader?: number; growth?: number; sizes?: [number, number][]; sizeBytes?: number } = {},
): PartitionMeasurement {
  const sizes = extra.sizes ?? replicas.map((b): [number, number] => [b, extra.sizeBytes ?? MB]);
  const p: PartitionMeasurement = {
    topic,
    partition,
    leader: extra.leader ?? replicas[0] ?? -1,
    replicas,
    sizeBytesByBroker: new Map(sizes),
  };
  if (extra.growth !== undefined) p.growthBytesPerSec = extra.growth;
  return p;
}

function find(loads: PartitionLoad[], topic: string, partition: number): PartitionLoad {
  const found = loads.find((l) => l.topic === topic && l.partition === partition);
  if (!found) throw new Error(`no load for ${topic}-${partition}`);
  return found;
}

describe('network split', () => {
  it('splits a topic evenly over the leader partitions when growth is unknown', () => {
    const { partitions, problems } = derivePartitionLoads(
      [broker(1, 30, { t: [6 * KB, 3 * KB] })],
      [part('t', 2, [1]), part('t', 0, [1]), part('t', 1, [1])],
    );
    expect(partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of partitions) {
      expect(p.leaderLoad[Resource.NW_IN]).toBeCloseTo(2, 12);
      expect(p.leaderLoad[Resource.NW_OUT]).toBeCloseTo(1, 12);
      expect(p.estimated.nw).toBe(true);
      expect(p.missing.nw).toBe(false);
      expect(p.leaderLoad[Resource.CPU]).toBeCloseTo(10, 12);
    }
    expect(problems).toEqual([]);
  });

  it('splits by growth when it is known for every leader partition of the topic on that broker', () => {
    const { partitions } = derivePartitionLoads(
      [broker(1, 10, { t: [4 * KB, 8 * KB] })],
      [part('t', 0, [1], { growth: 100 }), part('t', 1, [1], { growth: 300 })],
    );
    expect(find(partitions, 't', 0).leaderLoad.slice(1, 3)).toEqual([1, 2]);
    expect(find(partitions, 't', 1).leaderLoad.slice(1, 3)).toEqual([3, 6]);
    expect(find(partitions, 't', 0).estimated.nw).toBe(false);
  });

  it('falls back to an even split when one growth is unknown or negative', () => {
    for (const growth of [undefined, -5]) {
      const { partitions } = derivePartitionLoads(
        [broker(1, 10, { t: [4 * KB, 0] })],
        [part('t', 0, [1], { growth: 100 }), part('t', 1, [1], growth === undefined ? {} : { growth })],
      );
      expect(partitions.map((p) => p.leaderLoad[Resource.NW_IN])).toEqual([2, 2]);
      expect(partitions.every((p) => p.estimated.nw)).toBe(true);
    }
  });

  it('a single leader partition takes all of its topic bytes, not estimated', () => {
    const { partitions } = derivePartitionLoads([broker(1, 10, { t: [1536, 512] })], [part('t', 0, [1])]);
    const p = find(partitions, 't', 0);
    expect(p.leaderLoad.slice(1, 3)).toEqual([1.5, 0.5]);
    expect(p.estimated.nw).toBe(false);
  });

  it('gives followers the leader bytes-in as replication and no bytes-out', () => {
    const { partitions } = derivePartitionLoads(
      [broker(1, 10, { t: [10 * KB, 5 * KB] }), broker(2, 10, {}), broker(3, 10, {})],
      [part('t', 0, [1, 2, 3])],
    );
    const p = find(partitions, 't', 0);
    expect(p.leaderLoad.slice(1, 3)).toEqual([10, 5]);
    expect(p.followerLoad.slice(1, 3)).toEqual([10, 0]);
  });
});

describe('disk and units', () => {
  it('uses the leader replica size in MB, else the largest replica', () => {
    const { partitions, problems } = derivePartitionLoads(
      [broker(1, 0, { t: [0, 0] }), broker(2, 0, {})],
      [
        part('t', 0, [1, 2], {
          sizes: [
            [1, 5 * MB],
            [2, 7 * MB],
          ],
        }),
        part('t', 1, [1, 2], {
          sizes: [
            [2, 3 * MB],
            [3, 1.5 * MB],
          ],
        }),
        part('t', 2, [1, 2], { sizes: [] }),
      ],
    );
    expect(find(partitions, 't', 0).leaderLoad[Resource.DISK]).toBe(5);
    expect(find(partitions, 't', 0).followerLoad[Resource.DISK]).toBe(5);
    expect(find(partitions, 't', 1).leaderLoad[Resource.DISK]).toBe(3);
    const none = find(partitions, 't', 2);
    expect(none.leaderLoad[Resource.DISK]).toBeNaN();
    expect(none.missing.disk).toBe(true);
    expect(problems.filter((p) => p.kind === 'missing-size')).toMatchObject([{ topic: 't', partition: 2 }]);
  });

  it('converts bytes/s to KB/s with 1 KB = 1024 bytes and bytes to MB with 1024²', () => {
    const { partitions } = derivePartitionLoads(
      [broker(1, 5, { t: [1000, 2048] })],
      [part('t', 0, [1], { sizeBytes: 1_000_000 })],
    );
    const p = find(partitions, 't', 0);
    expect(p.leaderLoad[Resource.NW_IN]).toBeCloseTo(1000 / 1024, 12);
    expect(p.leaderLoad[Resource.NW_OUT]).toBe(2);
    expect(p.leaderLoad[Resource.DISK]).toBeCloseTo(1_000_000 / 1_048_576, 12);
  });
});

describe('CPU', () => {
  it('splits each broker CPU over its leader and follower replicas by weighted bytes', () => {
    // Broker 1 leads a-0 (in 10, out 20 KB/s) and follows a-1; broker 2 leads a-1 (in 20, out 0) and follows a-0.
    const { partitions } = derivePartitionLoads(
      [broker(1, 40, { a: [10 * KB, 20 * KB] }), broker(2, 30, { a: [20 * KB, 0] })],
      [part('a', 0, [1, 2]), part('a', 1, [2, 1])],
    );
    // Broker 1 weights: a-0 leader 0.7·10 + 0.15·20 = 10; a-1 follower 0.15·20 = 3; total 13.
    // Broker 2 weights: a-1 leader 0.7·20 = 14; a-0 follower 0.15·10 = 1.5; total 15.5.
    const a0 = find(partitions, 'a', 0);
    const a1 = find(partitions, 'a', 1);
    expect(a0.leaderLoad[Resource.CPU]).toBeCloseTo((40 * 10) / 13, 12);
    expect(a1.followerLoad[Resource.CPU]).toBeCloseTo((40 * 3) / 13, 12);
    expect(a1.leaderLoad[Resource.CPU]).toBeCloseTo((30 * 14) / 15.5, 12);
    expect(a0.followerLoad[Resource.CPU]).toBeCloseTo((30 * 1.5) / 15.5, 12);
    expect(a0.estimated.cpu).toBe(false);
  });

  it('averages the follower shares and honours custom weights', () => {
    const { partitions } = derivePartitionLoads(
      [broker(1, 50, { t: [KB, 0] }), broker(2, 10, {}), broker(3, 20, {})],
      [part('t', 0, [1, 2, 3])],
      { leaderBytesInWeight: 1, leaderBytesOutWeight: 0, followerBytesInWeight: 1 },
    );
    const p = find(partitions, 't', 0);
    expect(p.leaderLoad[Resource.CPU]).toBe(50);
    expect(p.followerLoad[Resource.CPU]).toBe(15);
  });

  it('splits CPU evenly over the hosted replicas when none carries bytes', () => {
    const { partitions } = derivePartitionLoads(
      [broker(1, 12, { t: [0, 0] }), broker(2, 8, {})],
      [part('t', 0, [1, 2]), part('t', 1, [1, 2])],
    );
    for (const p of partitions) {
      expect(p.leaderLoad[Resource.CPU]).toBe(6);
      expect(p.followerLoad[Resource.CPU]).toBe(4);
    }
  });

  it('estimates CPU from weighted bytes when the broker CPU is missing, and reports it', () => {
    const { partitions, problems } = derivePartitionLoads(
      [broker(1, null, { t: [10 * KB, 20 * KB] }), broker(2, 30, {})],
      [part('t', 0, [1, 2])],
      { cpuPercentPerKBps: 0.01 },
    );
    const p = find(partitions, 't', 0);
    // Leader on broker 1: 0.01 · (0.7·10 + 0.15·20) = 0.1; follower on broker 2 is measured: all 30.
    expect(p.leaderLoad[Resource.CPU]).toBeCloseTo(0.1, 12);
    expect(p.followerLoad[Resource.CPU]).toBe(30);
    expect(p.estimated.cpu).toBe(true);
    expect(p.missing.cpu).toBe(false);
    expect(problems).toMatchObject([{ kind: 'cpu-estimated', brokerId: 1 }]);
  });

  it('rejects a negative or non-finite weight', () => {
    expect(() => derivePartitionLoads([], [], { leaderBytesInWeight: -1 })).toThrow(LoadDerivationConfigError);
    expect(() => derivePartitionLoads([], [], { cpuPercentPerKBps: Number.NaN })).toThrow(LoadDerivationConfigError);
  });
});

describe('missing measurements', () => {
  it('marks NW missing (NaN, never invented) when the leader broker did not measure the topic, and reports it', () => {
    const { partitions, problems } = derivePartitionLoads(
      [broker(1, 20, { other: [KB, KB] })],
      [part('b', 0, [1]), part('b', 1, [1]), part('other', 0, [1]), part('c', 0, [9])],
    );
    for (const [topic, n] of [
      ['b', 0],
      ['b', 1],
      ['c', 0],
    ] as const) {
      const p = find(partitions, topic, n);
      expect(p.missing.nw).toBe(true);
      expect(p.leaderLoad[Resource.NW_IN]).toBeNaN();
      expect(p.leaderLoad[Resource.NW_OUT]).toBeNaN();
      expect(p.followerLoad[Resource.NW_IN]).toBeNaN();
    }
    expect(problems.filter((p) => p.kind === 'missing-topic-measurement')).toMatchObject([
      { brokerId: 1, topic: 'b', partition: 0 },
      { brokerId: 1, topic: 'b', partition: 1 },
      { brokerId: 9, topic: 'c', partition: 0 },
    ]);
    // Unknown bytes weigh 0 in a measured CPU split: broker 1's 20 % all goes to other-0.
    expect(find(partitions, 'other', 0).leaderLoad[Resource.CPU]).toBe(20);
    // Broker 9 has neither CPU nor bytes: its CPU cannot be estimated.
    expect(find(partitions, 'c', 0).missing.cpu).toBe(true);
  });

  it('reports a leaderless partition and topic bytes no partition can take', () => {
    const { partitions, problems } = derivePartitionLoads(
      [broker(1, 10, { t: [KB, 0] }), broker(2, 10, { t: [KB, 0] })],
      [part('t', 0, [1, 2], { leader: -1 })],
    );
    const p = find(partitions, 't', 0);
    expect(p.missing.nw).toBe(true);
    expect(p.missing.cpu).toBe(true);
    expect(p.followerLoad[Resource.CPU]).toBe(10);
    expect(problems.map((x) => x.kind).sort()).toEqual([
      'no-leader',
      'unattributed-topic-bytes',
      'unattributed-topic-bytes',
    ]);
  });
});

describe('invariants', () => {
  it('conserves broker CPU over hosted replicas and topic bytes-in over leader partitions', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const brokerIds = [1, 2, 3, 4, 5];
    const topics = ['x', 'y', 'z'];
    const partitions: PartitionMeasurement[] = [];
    for (const topic of topics) {
      for (let n = 0; n < 12; n++) {
        const shuffled = [...brokerIds].sort(() => rand() - 0.5);
        const replicas = shuffled.slice(0, 1 + Math.floor(rand() * 3));
        const growth = topic === 'x' ? rand() * 1000 : topic === 'y' && n % 2 === 0 ? rand() * 10 : undefined;
        partitions.push(part(topic, n, replicas, growth === undefined ? {} : { growth }));
      }
    }
    const brokers = brokerIds.map((id) => {
      const led = topics.filter((t) => partitions.some((p) => p.topic === t && p.leader === id));
      return broker(id, rand() * 100, Object.fromEntries(led.map((t) => [t, [rand() * 1e6, rand() * 1e6]])));
    });
    const { partitions: loads, problems } = derivePartitionLoads(brokers, partitions);
    expect(problems).toEqual([]);

    const byKey = new Map(loads.map((l) => [`${l.topic}-${l.partition}`, l]));
    for (const b of brokers) {
      // Sum of this broker's replica shares: leader shares directly, follower shares isolated per broker.
      let cpu = 0;
      for (const p of partitions) {
        const l = byKey.get(`${p.topic}-${p.partition}`);
        if (!l || !p.replicas.includes(b.brokerId)) continue;
        if (p.leader === b.brokerId) cpu += l.leaderLoad[Resource.CPU];
        else cpu += perFollowerShare(brokers, partitions, p, b.brokerId);
      }
      expect(Math.abs(cpu - (b.cpuPercent ?? 0))).toBeLessThan(1e-9);
      for (const [topic, rates] of b.topics) {
        const sum = partitions
          .filter((p) => p.topic === topic && p.leader === b.brokerId)
          .reduce((s, p) => s + (byKey.get(`${p.topic}-${p.partition}`)?.leaderLoad[Resource.NW_IN] ?? 0), 0);
        expect(Math.abs(sum - rates.bytesInPerSec / KB)).toBeLessThan(1e-9);
      }
    }
  });
});

/**
 * One follower replica's CPU share on `brokerId`: with every other broker's CPU set to 0, the other
 * followers' shares are 0, so the follower average × follower count is exactly this replica's share.
 */
function perFollowerShare(
  brokers: BrokerMeasurement[],
  partitions: PartitionMeasurement[],
  p: PartitionMeasurement,
  brokerId: number,
): number {
  const isolated = brokers.map((b) => ({ ...b, cpuPercent: b.brokerId === brokerId ? b.cpuPercent : 0 }));
  const l = find(derivePartitionLoads(isolated, partitions).partitions, p.topic, p.partition);
  return l.followerLoad[Resource.CPU] * (p.replicas.length - 1);
}
