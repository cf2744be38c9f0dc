// LoadMonitorService with in-memory parts: a round started while another runs joins it.
import { describe, expect, it } from 'vitest';
import { BallastConfig, loadConfig } from '../../../src/config/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { AdminSampler, LoadMonitorService, NoSampleStore } from '../../../src/monitor/index.js';

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
    const replicasSeen = () =>
      service.workload({ mode: 'expected', capacityOnly: true, allowCapacityEstimation: true }).model.replicaCount;
    // Mid-move the partition shows its old and new replica together.
    expect(replicasSeen()).toBe(2);
    expect(await service.refreshSnapshotIfReassigning()).toBe(true);
    expect(replicasSeen()).toBe(2);
    gateway.completeReassignments();
    expect(await service.refreshSnapshotIfReassigning()).toBe(false);
    expect(replicasSeen()).toBe(1);
    // A clean snapshot is kept: no extra read of the cluster.
    await gateway.reassign([{ topic: 't', partition: 0, replicas: [0] }]);
    expect(await service.refreshSnapshotIfReassigning()).toBe(false);
    expect(replicasSeen()).toBe(1);
  });
});
