// LoadMonitorService with in-memory parts: a round started while another runs joins it; a broker
// that does not answer keeps its last known log dirs.
import { describe, expect, it } from 'vitest';
import { BallastConfig, loadConfig } from '../../../src/config/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import {
  AdminSampler,
  LoadMonitorNotReadyError,
  LoadMonitorService,
  NoSampleStore,
} from '../../../src/monitor/index.js';

function monitor(
  gateway = new InMemoryGateway({
    brokers: [{ id: 0 }],
    topics: [{ name: 't', partitions: [{ replicas: [0], sizeBytes: 10 }] }],
  }),
) {
  const config = new BallastConfig(
    loadConfig(
      {},
      {
        kafka: { bootstrapServers: ['k:9092'] },
        monitor: { windowMs: 60_000, samplingIntervalMs: 1_000, minValidWindows: 1 },
      },
    ),
  );
  return new LoadMonitorService(config, gateway, new AdminSampler(), new NoSampleStore());
}

describe('LoadMonitorService', () => {
  it('joins a round already running instead of starting a second one', async () => {
    const service = monitor();
    const first = service.sampleOnce();
    const second = service.sampleOnce();
    expect(second).toBe(first);
    await first;
    expect(service.state().lastSampling).toBeDefined();
    // Once finished, the next call starts a new round.
    expect(service.sampleOnce()).not.toBe(first);
  });

  it('replaces a snapshot taken mid-reassignment with a fresh one, and keeps a clean one', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 0 }, { id: 1 }],
      topics: [{ name: 't', partitions: [{ replicas: [0], sizeBytes: 10 }] }],
    });
    const service = monitor(gateway);
    await gateway.reassign([{ topic: 't', partition: 0, replicas: [1] }]);
    await service.sampleOnce();
    const brokersSeen = () => {
      const { model } = service.workload({ mode: 'expected', capacityOnly: true, allowCapacityEstimation: true });
      return Array.from(model.replicaBroker.subarray(0, model.replicaCount), (b) => model.brokerKafkaId(b));
    };
    // Mid-move Kafka lists the old and the new replica together; the model holds what will remain.
    expect(brokersSeen()).toEqual([1]);
    expect(await service.refreshSnapshotIfReassigning()).toBe(true);
    expect(brokersSeen()).toEqual([1]);
    gateway.completeReassignments();
    expect(await service.refreshSnapshotIfReassigning()).toBe(false);
    expect(brokersSeen()).toEqual([1]);
    // A clean snapshot is kept: no extra read of the cluster (the move back is not seen yet).
    await gateway.reassign([{ topic: 't', partition: 0, replicas: [0] }]);
    expect(await service.refreshSnapshotIfReassigning()).toBe(false);
    expect(brokersSeen()).toEqual([1]);
  });

  it('keeps the last known log dirs of a broker that stops answering, and is not ready on one never seen', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 0 }, { id: 1, logDirs: ['/a', '/b'] }],
      topics: [{ name: 't', partitions: [{ replicas: [0, 1], sizeBytes: 10 }] }],
    });
    const silent = new Set<number>();
    const read = gateway.snapshot.bind(gateway);
    gateway.snapshot = async (options) => {
      const s = await read(options);
      return {
        ...s,
        logDirs: s.logDirs.filter((d) => !silent.has(d.brokerId)),
        logDirErrors: [...silent].map((brokerId) => ({ brokerId, error: 'no answer within 5000 ms' })),
      };
    };
    const service = monitor(gateway);
    const dirsOf1 = () =>
      service.workload({ mode: 'expected', capacityOnly: true, allowCapacityEstimation: true }).brokers.get(1)!.capacity
        .diskMbByLogDir.size;

    silent.add(1);
    await service.sampleOnce();
    expect(() => dirsOf1()).toThrow(LoadMonitorNotReadyError);
    expect(() => dirsOf1()).toThrow(/broker\(s\) 1 did not answer DescribeLogDirs/);
    expect(service.state().lastSampling?.samplerProblems).toMatchObject({ 'broker-not-answering': 1 });

    silent.delete(1);
    await service.sampleOnce();
    expect(dirsOf1()).toBe(2);

    silent.add(1);
    await service.sampleOnce();
    expect(dirsOf1()).toBe(2);
    expect(service.state().lastSampling?.examples[0]).toContain('last known log dirs kept for 1');
  });
});
