// The throttle plan: incremental changes that throttle exactly the replicas and brokers of the
// moves in flight, and clear them without touching what other moves still need; the log-dir move
// rate; adaptive rates and which of them moved enough to re-apply.
import { describe, expect, it } from 'vitest';
import {
  adaptiveRate,
  changedRates,
  clearChanges,
  logDirClearChanges,
  logDirMoveBrokers,
  logDirThrottleChanges,
  rateChanges,
  tasksFromProposals,
  throttleChanges,
} from '../../../src/executor/index.js';
import { BALLAST_THROTTLE_MARKER } from '../../../src/kafka/index.js';
import { replicaListChange, replicationRateSets } from '../../fixtures/config-changes.js';
import { partitionProposal } from '../../fixtures/proposals.js';

const proposal = (topic: string, partition: number, oldReplicas: number[], newReplicas: number[]) =>
  partitionProposal({ topic, partition, oldReplicas, newReplicas, newLeader: oldReplicas[0] });

const tasks = tasksFromProposals(
  [proposal('orders', 0, [1, 2], [1, 3]), proposal('orders', 1, [2, 1], [2, 4]), proposal('logs', 0, [1, 2], [1, 2])],
  () => ({ sizeBytes: 1 }),
).filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION');

describe('throttleChanges', () => {
  it('sets both rates on every broker taking part and appends the moving replicas to the topic lists', () => {
    const changes = throttleChanges(tasks, (b) => 1000 * b);
    expect(changes).toEqual([
      ...[1, 2, 3, 4].flatMap((b) => [
        ...replicationRateSets(b, String(1000 * b)),
        // Ballast's mark, in the same broker's request: Kafka alone then tells whose rates these are.
        {
          resource: { type: 'broker', brokerId: b },
          name: BALLAST_THROTTLE_MARKER,
          operation: 'SET',
          value: 'ballast',
        },
      ]),
      replicaListChange('orders', 'leader', 'APPEND', '0:1,0:2,1:2,1:1'),
      replicaListChange('orders', 'follower', 'APPEND', '0:3,1:4'),
    ]);
  });
});

describe('clearChanges', () => {
  it('subtracts only the finished move entries and deletes rates only on brokers no running move involves', () => {
    const [first, second] = tasks;
    const changes = clearChanges([first!], [second!]);
    // Partition 0's entries go; broker 3 (only in the finished move) loses its rates; 1 and 2 keep theirs.
    expect(changes).toEqual([
      replicaListChange('orders', 'leader', 'SUBTRACT', '0:1,0:2'),
      replicaListChange('orders', 'follower', 'SUBTRACT', '0:3'),
      { resource: { type: 'broker', brokerId: 3 }, name: 'leader.replication.throttled.rate', operation: 'DELETE' },
      { resource: { type: 'broker', brokerId: 3 }, name: 'follower.replication.throttled.rate', operation: 'DELETE' },
      { resource: { type: 'broker', brokerId: 3 }, name: BALLAST_THROTTLE_MARKER, operation: 'DELETE' },
    ]);
  });

  it('removes everything once the last move is done', () => {
    const changes = clearChanges(tasks, []);
    expect(changes.filter((c) => c.operation === 'DELETE').map((c) => c.resource)).toEqual(
      [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4].map((brokerId) => ({ type: 'broker', brokerId })),
    );
    expect(changes.filter((c) => c.operation === 'SUBTRACT')).toHaveLength(2);
  });
});

const options = { headroomFraction: 0.5, floorBytesPerSecond: 1_000, ceilingBytesPerSecond: 50_000 };
/** A broker with 100 000 bytes/s of network each way and the given client traffic. */
const broker = (clientBytesInPerSecond: number, clientBytesOutPerSecond = 0) => ({
  networkInCapacityBytesPerSecond: 100_000,
  networkOutCapacityBytesPerSecond: 100_000,
  clientBytesInPerSecond,
  clientBytesOutPerSecond,
});

describe('adaptiveRate', () => {
  it('takes a share of the smaller of the inbound and outbound headroom', () => {
    expect(adaptiveRate(broker(40_000, 70_000), options)).toBe(15_000);
  });

  it('stays within the floor and the ceiling', () => {
    const busy = broker(120_000);
    expect(adaptiveRate(busy, options)).toBe(1_000);
    const idle = {
      ...busy,
      clientBytesInPerSecond: 0,
      networkInCapacityBytesPerSecond: 1e9,
      networkOutCapacityBytesPerSecond: 1e9,
    };
    expect(adaptiveRate(idle, options)).toBe(50_000);
  });
});

describe('changedRates', () => {
  it('keeps rates within 10% and those of brokers with unknown traffic; returns the others with their new rate', () => {
    const current = new Map([
      [1, 40_000], // now 45 000: +12.5%
      [2, 40_000], // now 42 500: +6.25%
      [3, 40_000], // traffic unknown
    ]);
    const traffic = new Map([
      [1, broker(10_000)],
      [2, broker(15_000)],
    ]);
    expect(changedRates(current, traffic, options)).toEqual(new Map([[1, 45_000]]));
  });

  it('turns the new rates into SETs of both replication rates', () => {
    expect(rateChanges(new Map([[3, 1234.9]]))).toEqual(replicationRateSets(3, '1234'));
  });
});

describe('log-dir move throttle', () => {
  const intra = tasksFromProposals(
    [
      partitionProposal({
        topic: 'orders',
        partition: 0,
        oldReplicas: [1, 2],
        newReplicas: [1, 2],
        oldLogDirs: ['/d0', '/d0'],
        newLogDirs: ['/d1', '/d1'],
      }),
    ],
    () => ({ sizeBytes: 1 }),
  );

  it('names the brokers of log-dir moves only', () => {
    expect(logDirMoveBrokers([...intra, ...tasks])).toEqual(new Set([1, 2]));
  });

  it('sets and deletes replica.alter.log.dirs.io.max.bytes.per.second on those brokers', () => {
    const name = 'replica.alter.log.dirs.io.max.bytes.per.second';
    expect(logDirThrottleChanges([1, 2], 5000)).toEqual([
      { resource: { type: 'broker', brokerId: 1 }, name, operation: 'SET', value: '5000' },
      { resource: { type: 'broker', brokerId: 2 }, name, operation: 'SET', value: '5000' },
    ]);
    expect(logDirClearChanges([2])).toEqual([{ resource: { type: 'broker', brokerId: 2 }, name, operation: 'DELETE' }]);
  });
});
