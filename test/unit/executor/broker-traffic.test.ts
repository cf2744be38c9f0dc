// Broker traffic for adaptive throttles, read off a workload model: capacities in bytes per second
// and client traffic from leader loads only (replication is not client traffic).
import { describe, expect, it } from 'vitest';
import { brokerTrafficOf } from '../../../src/executor/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { buildWorkloadModel, type ModelBrokerCapacity, type PartitionWindowLoad } from '../../../src/monitor/index.js';

const capacity = (nwInKBps: number, nwOutKBps: number): ModelBrokerCapacity => ({
  vector: [100, nwInKBps, nwOutKBps, 1_000_000],
  diskMbByLogDir: new Map([['/var/lib/kafka/data', 1_000_000]]),
  numCores: 1,
  source: 'broker',
});

/** A partition whose leader takes `inKBps` from producers and serves `outKBps` to consumers. */
const load = (inKBps: number, outKBps: number): PartitionWindowLoad => ({
  leader: [1, inKBps, outKBps, 10],
  follower: [0.5, inKBps, 0, 10],
  messagesInPerSec: 1,
  validWindows: 1,
  extrapolatedWindows: 0,
});

describe('brokerTrafficOf', () => {
  it('sums the leader loads of each broker and converts KB/s to bytes per second', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 1 }, { id: 2 }, { id: 3 }],
      topics: [
        {
          name: 'orders',
          partitions: [{ replicas: [1, 2] }, { replicas: [1, 3] }, { replicas: [2, 3] }],
        },
      ],
    });
    const workload = buildWorkloadModel(
      await gateway.snapshot(),
      new Map([
        ['orders-0', load(100, 200)],
        ['orders-1', load(50, 0)],
        ['orders-2', load(10, 20)],
      ]),
      new Map([
        [1, capacity(1000, 2000)],
        [2, capacity(1000, 2000)],
        [3, capacity(1000, 2000)],
      ]),
    );
    const traffic = brokerTrafficOf(workload);
    expect(traffic.get(1)).toEqual({
      networkInCapacityBytesPerSecond: 1000 * 1024,
      networkOutCapacityBytesPerSecond: 2000 * 1024,
      clientBytesInPerSecond: 150 * 1024,
      clientBytesOutPerSecond: 200 * 1024,
    });
    expect(traffic.get(2)).toMatchObject({ clientBytesInPerSecond: 10 * 1024, clientBytesOutPerSecond: 20 * 1024 });
    // Broker 3 leads nothing: the replication it fetches is not client traffic.
    expect(traffic.get(3)).toMatchObject({ clientBytesInPerSecond: 0, clientBytesOutPerSecond: 0 });
  });
});
