// The throttle plan: incremental changes that throttle exactly the replicas and brokers of the
// moves in flight, and clear them without touching what other moves still need.
import { describe, expect, it } from 'vitest';
import { adaptiveRate, clearChanges, tasksFromProposals, throttleChanges } from '../../../src/executor/index.js';
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
      ...[1, 2, 3, 4].flatMap((b) =>
        ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'].map((name) => ({
          resource: { type: 'broker', brokerId: b },
          name,
          operation: 'SET',
          value: String(1000 * b),
        })),
      ),
      {
        resource: { type: 'topic', topic: 'orders' },
        name: 'leader.replication.throttled.replicas',
        operation: 'APPEND',
        value: '0:1,0:2,1:2,1:1',
      },
      {
        resource: { type: 'topic', topic: 'orders' },
        name: 'follower.replication.throttled.replicas',
        operation: 'APPEND',
        value: '0:3,1:4',
      },
    ]);
  });
});

describe('clearChanges', () => {
  it('subtracts only the finished move entries and deletes rates only on brokers no running move involves', () => {
    const [first, second] = tasks;
    const changes = clearChanges([first!], [second!]);
    // Partition 0's entries go; broker 3 (only in the finished move) loses its rates; 1 and 2 keep theirs.
    expect(changes).toEqual([
      {
        resource: { type: 'topic', topic: 'orders' },
        name: 'leader.replication.throttled.replicas',
        operation: 'SUBTRACT',
        value: '0:1,0:2',
      },
      {
        resource: { type: 'topic', topic: 'orders' },
        name: 'follower.replication.throttled.replicas',
        operation: 'SUBTRACT',
        value: '0:3',
      },
      { resource: { type: 'broker', brokerId: 3 }, name: 'leader.replication.throttled.rate', operation: 'DELETE' },
      { resource: { type: 'broker', brokerId: 3 }, name: 'follower.replication.throttled.rate', operation: 'DELETE' },
    ]);
  });

  it('removes everything once the last move is done', () => {
    const changes = clearChanges(tasks, []);
    expect(changes.filter((c) => c.operation === 'DELETE').map((c) => c.resource)).toEqual(
      [1, 1, 2, 2, 3, 3, 4, 4].map((brokerId) => ({ type: 'broker', brokerId })),
    );
    expect(changes.filter((c) => c.operation === 'SUBTRACT')).toHaveLength(2);
  });
});

describe('adaptiveRate', () => {
  const options = { headroomFraction: 0.5, floorBytesPerSecond: 1_000, ceilingBytesPerSecond: 50_000 };
  it('takes a share of the smaller of the inbound and outbound headroom', () => {
    const broker = {
      networkInCapacityBytesPerSecond: 100_000,
      networkOutCapacityBytesPerSecond: 100_000,
      clientBytesInPerSecond: 40_000,
      clientBytesOutPerSecond: 70_000,
    };
    expect(adaptiveRate(broker, options)).toBe(15_000);
  });

  it('stays within the floor and the ceiling', () => {
    const busy = {
      networkInCapacityBytesPerSecond: 100_000,
      networkOutCapacityBytesPerSecond: 100_000,
      clientBytesInPerSecond: 120_000,
      clientBytesOutPerSecond: 0,
    };
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
