// From measurements to /load: partition samples, windows, the workload model with capacities, and
// Cruise Control's BrokerStats and PartitionLoadState shapes, on an in-memory cluster with hand-computed loads.
import { describe, expect, it } from 'vitest';
import { brokerStats } from '../../../src/api/broker-stats.js';
import { partitionLoadState } from '../../../src/api/partition-load.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import type { ClusterSnapshot } from '../../../src/kafka/index.js';
import { Resource } from '../../../src/model/index.js';
import {
  buildWorkloadModel,
  MissingCapacityError,
  PARTITION_METRICS,
  parseCapacityJson,
  partitionLoadsFromWindows,
  partitionSamples,
  resolveBrokerCapacities,
  WindowAggregator,
  type CapacitySet,
  type LoadMode,
  type MeasurementPoint,
  type Workload,
} from '../../../src/monitor/index.js';
import { monitorStatus, windowsWithin } from '../../../src/monitor/monitor-status.js';
import { responseValidator } from '../../support/openapi.js';
import { expectInvariants } from '../../support/model-invariants.js';

const KB = 1024;
const MB = 1024 * 1024;
const ESTIMATES = { cpuCores: 8, networkInKBps: 1000, networkOutKBps: 2000, diskMbPerLogDir: 500 };
const brokerStatsSchema = responseValidator('brokerStats.yaml', 'BrokerStats');
const partitionLoadSchema = responseValidator('partitionLoadState.yaml', 'PartitionLoadState', {
  doubleAsNumber: true,
});

function cluster(): InMemoryGateway {
  return new InMemoryGateway({
    brokers: [
      {
        id: 0,
        rack: 'a',
        host: 'h0',
        logDirs: [
          { path: '/d0', totalBytes: 100 * MB },
          { path: '/d1', totalBytes: 50 * MB },
        ],
      },
      { id: 1, rack: 'b', host: 'h1', logDirs: ['/d0', '/d1'] },
      { id: 2, rack: null, host: 'h0', logDirs: ['/d0'] },
    ],
    topics: [
      {
        name: 'orders',
        partitions: [
          { replicas: [0, 1], sizeBytes: 2 * MB, logDirs: ['/d1', '/d0'] },
          { replicas: [1, 0], sizeBytes: 1 * MB },
        ],
      },
      { name: 'payments', partitions: [{ replicas: [0, 2], sizeBytes: 4 * MB }] },
    ],
  });
}

/** Broker 0: orders 10 KB/s in / 20 out, payments 4 in; broker 1: orders 5 in; broker 2 leads nothing. */
function point(timeMs: number): MeasurementPoint {
  const topics = (entries: [string, number, number][]) =>
    new Map(entries.map(([t, i, o]) => [t, { bytesInPerSec: i * KB, bytesOutPerSec: o * KB, messagesInPerSec: i }]));
  return {
    timeMs,
    brokers: [
      {
        brokerId: 0,
        cpuPercent: 40,
        topics: topics([
          ['orders', 10, 20],
          ['payments', 4, 0],
        ]),
      },
      { brokerId: 1, cpuPercent: 20, topics: topics([['orders', 5, 0]]) },
      { brokerId: 2, cpuPercent: 10, topics: topics([]) },
    ],
    replicaSizes: null,
  };
}

/** Three complete 1-second windows of the same point, combined with `mode`. */
function workload(
  snapshot: ClusterSnapshot,
  options: { mode?: LoadMode; capacities?: CapacitySet | null; onMissing?: 'estimate' | 'error' } = {},
): Workload {
  const aggregator = new WindowAggregator({
    windowMs: 1000,
    numWindows: 3,
    minSamplesPerWindow: 1,
    metrics: PARTITION_METRICS,
  });
  for (const t of [100, 1100, 2100]) {
    for (const sample of partitionSamples(point(t), snapshot, new Map()).samples) aggregator.add(sample, t);
  }
  const entities = snapshot.partitions.map((p) => `${p.topic}-${p.partition}`);
  const result = aggregator.aggregate(3100, entities);
  const loads = partitionLoadsFromWindows(result, options.mode ?? 'expected');
  const capacities = resolveBrokerCapacities(
    snapshot,
    options.capacities ?? null,
    options.onMissing ?? 'estimate',
    ESTIMATES,
  );
  return {
    ...buildWorkloadModel(snapshot, loads, capacities),
    windowStartsMs: result.windowStartsMs,
    partitionLoads: loads,
  };
}

const load = (w: Workload, kafkaId: number, resource: number) =>
  w.model.brokerLoad[w.model.brokerIndex(kafkaId) * 4 + resource]!;

describe('partitionSamples', () => {
  it('derives one sample per partition, and none (with the reason) when the leader did not measure the topic', async () => {
    const snapshot = await cluster().snapshot();
    const missing = point(0);
    missing.brokers[1]!.topics.delete('orders');
    const { samples, problems, leaderSizes } = partitionSamples(missing, snapshot, new Map());
    expect(samples.map((s) => s.entity)).toEqual(['orders-0', 'payments-0']);
    expect(problems.map((p) => [p.kind, p.topic, p.partition])).toEqual([['missing-topic-measurement', 'orders', 1]]);
    // Sizes come from the snapshot's log dirs when the point has none.
    expect(samples[0]!.values[5]).toBe(2);
    expect(leaderSizes.get('orders-0')).toEqual({ leader: 0, bytes: 2 * MB, timeMs: 0 });
  });

  it('splits a topic over the leader partitions by log growth between points', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 0 }],
      topics: [
        {
          name: 't',
          partitions: [
            { replicas: [0], sizeBytes: 0 },
            { replicas: [0], sizeBytes: 0 },
          ],
        },
      ],
    });
    const at = (timeMs: number): MeasurementPoint => ({
      timeMs,
      brokers: [{ brokerId: 0, cpuPercent: 5, topics: new Map([['t', { bytesInPerSec: 4 * KB, bytesOutPerSec: 0 }]]) }],
      replicaSizes: null,
    });
    const first = partitionSamples(at(0), await gateway.snapshot(), new Map());
    gateway.setPartitionSize({ topic: 't', partition: 0 }, 3000);
    gateway.setPartitionSize({ topic: 't', partition: 1 }, 1000);
    const second = partitionSamples(at(1000), await gateway.snapshot(), first.leaderSizes);
    expect(second.samples.map((s) => s.values[2])).toEqual([3, 1]);
  });
});

describe('workload model from windows', () => {
  it('keeps the model invariants and the hand-computed broker loads', async () => {
    const w = workload(await cluster().snapshot());
    expectInvariants(w.model);
    expect(w.partitionsWithoutLoad).toBe(0);
    expect(w.windowStartsMs).toEqual([0, 1000, 2000]);
    // Broker 0 leads orders-0 (10) and payments-0 (4) and follows orders-1 (5).
    expect(load(w, 0, Resource.NW_IN)).toBeCloseTo(19, 9);
    expect(load(w, 0, Resource.NW_OUT)).toBeCloseTo(20, 9);
    // Splitting a broker's CPU over its replicas keeps its total.
    expect(load(w, 0, Resource.CPU)).toBeCloseTo(40, 9);
    expect(load(w, 1, Resource.CPU)).toBeCloseTo(20, 9);
    expect(load(w, 2, Resource.CPU)).toBeCloseTo(10, 9);
    expect(load(w, 0, Resource.DISK)).toBeCloseTo(7, 9);
    const d1 = w.model.tables.diskPaths.findIndex((path, d) => path === '/d1' && w.model.diskBroker[d] === 0);
    expect(w.model.diskLoadMb[d1]).toBeCloseTo(2, 9);
    // A broker without a rack is its own rack, named after its host.
    expect(w.brokers.get(2)!.rack).toBe('h0');
  });

  it('carries each topic’s min.insync.replicas from the snapshot, Kafka’s default 1 when not reported', async () => {
    const gateway = new InMemoryGateway({
      brokers: [{ id: 0 }, { id: 1 }],
      topics: [
        { name: 'strict', configs: { minInsyncReplicas: 2 }, partitions: [{ replicas: [0, 1] }] },
        { name: 'loose', partitions: [{ replicas: [1, 0] }] },
      ],
    });
    const snapshot = await gateway.snapshot();
    const capacities = resolveBrokerCapacities(snapshot, null, 'estimate', ESTIMATES);
    const w = buildWorkloadModel(snapshot, new Map(), capacities);
    const byName = Object.fromEntries(w.model.tables.topicNames.map((t, i) => [t, w.topicMinInsyncReplicas[i]]));
    expect(byName).toEqual({ strict: 2, loose: 1 });
  });

  it('combines windows: expected takes the newest disk, max the highest window, avg the mean', () => {
    const aggregator = new WindowAggregator({
      windowMs: 1000,
      numWindows: 2,
      minSamplesPerWindow: 1,
      metrics: PARTITION_METRICS,
    });
    const add = (t: number, nwIn: number, disk: number) =>
      aggregator.add({ timeMs: t, entity: 'orders-0', values: [1, 1, nwIn, 0, 0, disk] }, t);
    add(100, 10, 5);
    add(1100, 30, 7);
    const result = aggregator.aggregate(2100, ['orders-0']);
    const pick = (mode: LoadMode) => {
      const l = partitionLoadsFromWindows(result, mode).get('orders-0')!;
      return [l.leader[Resource.NW_IN], l.leader[Resource.DISK]];
    };
    expect(pick('expected')).toEqual([20, 7]);
    expect(pick('avg')).toEqual([20, 6]);
    expect(pick('max')).toEqual([30, 7]);
  });

  it('estimates capacities from the volume sizes Kafka reports, and flags them', async () => {
    const w = workload(await cluster().snapshot());
    const c0 = w.brokers.get(0)!.capacity;
    expect(c0.source).toBe('estimated');
    expect(c0.vector).toEqual([100, 1000, 2000, 150]);
    expect([...c0.diskMbByLogDir]).toEqual([
      ['/d0', 100],
      ['/d1', 50],
    ]);
    expect(c0.numCores).toBe(8);
    // No volume size reported: the configured per-dir estimate.
    expect(w.brokers.get(2)!.capacity.vector[Resource.DISK]).toBe(500);
  });

  it('uses a Cruise Control capacity file, splits a single disk figure over the log dirs, and can refuse to estimate', async () => {
    const snapshot = await cluster().snapshot();
    const file = parseCapacityJson(
      JSON.stringify({
        brokerCapacities: [
          {
            brokerId: '0',
            capacity: { DISK: { '/d0': '1000', '/d1': '3000' }, CPU: { 'num.cores': '16' }, NW_IN: '50', NW_OUT: '60' },
          },
          { brokerId: '1', capacity: { DISK: '800', CPU: '100', NW_IN: '50', NW_OUT: '60' } },
        ],
      }),
      'capacity.json',
    );
    const w = workload(snapshot, { capacities: file });
    expect(w.brokers.get(0)!.capacity).toMatchObject({ source: 'broker', numCores: 16, vector: [100, 50, 60, 4000] });
    expect([...w.brokers.get(1)!.capacity.diskMbByLogDir.values()]).toEqual([400, 400]);
    expect(w.brokers.get(1)!.capacity.numCores).toBe(1);
    expect(w.brokers.get(2)!.capacity.source).toBe('estimated');
    expect(() => workload(snapshot, { capacities: file, onMissing: 'error' })).toThrow(MissingCapacityError);
    expect(() => workload(snapshot, { capacities: file, onMissing: 'error' })).toThrow(/broker 2/);
  });
});

describe('BrokerStats (/load)', () => {
  it('matches Cruise Control’s schema and splits leader and follower bytes in', async () => {
    const stats = brokerStats(workload(await cluster().snapshot()), { populateDiskInfo: true, capacityOnly: false });
    expect(brokerStatsSchema(stats), brokerStatsSchema.errors()).toBe(true);
    const b0 = stats.brokers.find((b) => b.Broker === 0)!;
    expect(b0).toMatchObject({
      Host: 'h0',
      Rack: 'a',
      BrokerState: 'ALIVE',
      Replicas: 3,
      Leaders: 2,
      CapacitySource: 'estimated',
    });
    expect(b0.LeaderNwInRate).toBeCloseTo(14, 9);
    expect(b0.FollowerNwInRate).toBeCloseTo(5, 9);
    // Potential out: every replica it holds as if it led (orders-0 20 + payments-0 0 + orders-1 0).
    expect(b0.PnwOutRate).toBeCloseTo(20, 9);
    expect(b0.DiskPct).toBeCloseTo((7 * 100) / 150, 9);
    expect(b0.DiskState?.['/d1']).toEqual({ DiskMB: 2, DiskPct: 4, NumLeaderReplicas: 1, NumReplicas: 1 });
    // Brokers 0 and 2 share host h0.
    const h0 = stats.hosts.find((h) => h.Host === 'h0')!;
    expect(h0.Replicas).toBe(4);
    expect(h0.Rack).toBe('a,h0');
  });

  it('shows a failed log dir as DEAD and its broker as BAD_DISKS, a dead broker as DEAD', async () => {
    const gateway = cluster();
    gateway.failLogDir(1, '/d0');
    gateway.killBroker(2);
    const stats = brokerStats(workload(await gateway.snapshot()), { populateDiskInfo: true, capacityOnly: false });
    expect(brokerStatsSchema(stats), brokerStatsSchema.errors()).toBe(true);
    const b1 = stats.brokers.find((b) => b.Broker === 1)!;
    expect(b1.BrokerState).toBe('BAD_DISKS');
    expect(b1.DiskState?.['/d0']).toMatchObject({ DiskMB: 'DEAD', DiskPct: 'DEAD' });
    expect(stats.brokers.find((b) => b.Broker === 2)!.BrokerState).toBe('DEAD');
  });

  it("places a replica Kafka reports offline on its broker's failed dir, so the optimizer re-homes it", async () => {
    const gateway = cluster();
    gateway.failLogDir(1, '/d0');
    const snapshot = await gateway.snapshot();
    const offline = snapshot.partitions.filter((p) => p.offlineReplicas.includes(1));
    expect(offline.length).toBeGreaterThan(0);
    const { model } = workload(snapshot);
    for (const p of offline) {
      const partition = Array.from(model.partitionNumber).findIndex(
        (n, i) => n === p.partition && model.tables.topicNames[model.partitionTopic[i]!] === p.topic,
      );
      const b1 = model.brokerIndex(1);
      const replica = model.replicaOnBroker(partition, b1);
      const disk = model.replicaDisk[replica]!;
      expect([model.tables.diskPaths[disk], model.diskAlive[disk]]).toEqual(['/d0', 0]);
    }
  });

  it('capacity_only reports capacities with every load at 0', async () => {
    const stats = brokerStats(workload(await cluster().snapshot()), { populateDiskInfo: false, capacityOnly: true });
    const b0 = stats.brokers.find((b) => b.Broker === 0)!;
    expect([b0.DiskMB, b0.CpuPct, b0.LeaderNwInRate, b0.NwOutRate, b0.Replicas]).toEqual([0, 0, 0, 0, 0]);
    expect(b0.DiskCapacityMB).toBe(150);
  });
});

describe('PartitionLoadState (/partition_load)', () => {
  it('sorts by the chosen resource, filters, limits, and matches the schema', async () => {
    const w = workload(await cluster().snapshot());
    const all = partitionLoadState(w, { resource: 'networkInbound', entries: 10 });
    expect(partitionLoadSchema(all), partitionLoadSchema.errors()).toBe(true);
    expect(all.records.map((r) => [r.topic, r.partition, r.leader, r.followers])).toEqual([
      ['orders', 0, 0, [1]],
      ['orders', 1, 1, [0]],
      ['payments', 0, 0, [2]],
    ]);
    expect(all.records[0]).toMatchObject({ networkInbound: 10, networkOutbound: 20, disk: 2, msg_in: 10 });
    const byDisk = partitionLoadState(w, { resource: 'disk', entries: 1 });
    expect(byDisk.records.map((r) => r.topic)).toEqual(['payments']);
    const filtered = partitionLoadState(w, {
      resource: 'disk',
      entries: 10,
      topic: /^orders$/,
      partitions: { from: 1, to: 1 },
    });
    expect(filtered.records.map((r) => r.partition)).toEqual([1]);
    const onBroker2 = partitionLoadState(w, { resource: 'disk', entries: 10, brokerIds: new Set([2]) });
    expect(onBroker2.records.map((r) => r.topic)).toEqual(['payments']);
  });
});

describe('monitor status', () => {
  it('counts valid and flawed partitions, says why it is not ready, and selects windows by time', () => {
    const aggregator = new WindowAggregator({
      windowMs: 1000,
      numWindows: 3,
      minSamplesPerWindow: 2,
      metrics: PARTITION_METRICS,
    });
    const add = (t: number, entity: string) => aggregator.add({ timeMs: t, entity, values: [0, 0, 0, 0, 0, 1] }, t);
    for (const t of [100, 200, 1100, 1200]) add(t, 'a-0');
    add(100, 'b-0'); // one sample of two: extrapolated (avg-available) in window 0, nothing in window 1
    const result = aggregator.aggregate(2100, ['a-0', 'b-0']);
    const { state } = monitorStatus({
      phase: 'RUNNING',
      result,
      requirements: { minValidWindows: 2, minValidEntityRatio: 1 },
      sampler: 'admin',
      restoredWindows: 0,
      lastSampling: null,
    });
    expect(state).toMatchObject({
      numMonitoredWindows: 1,
      monitoredWindows: { '0': 100, '1000': 50 },
      // Valid means valid in every valid window: only window 0 is one, and both are valid there.
      numValidPartitions: 2,
      numTotalPartitions: 2,
      numFlawedPartitions: 1,
      ready: false,
    });
    expect(state.notReadyReasons).toEqual([
      '1 of 2 required windows are valid (window starting 1970-01-01T00:00:01.000Z has 50% valid partitions)',
    ]);
    expect(windowsWithin(result, 1000, 1000, 2000).windowStartsMs).toEqual([1000]);
    expect(windowsWithin(result, 1000, 0, 1999).windowStartsMs).toEqual([0]);
  });
});
