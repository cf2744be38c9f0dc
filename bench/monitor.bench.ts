// Load-monitor figures at scale, pure parts only (no Kafka): one sampling point turned into
// partition samples, the samples added to the windows, and the /load path (windows → workload
// model with capacities), plus the size of one window as saved to Redis.
// Synthetic snapshots on 215 brokers, 2 log dirs each, RF 3. Run: npm run bench
import type { ClusterSnapshot, LogDirInfo, PartitionInfo } from '../src/kafka/index.js';
import {
  buildWorkloadModel,
  PARTITION_METRICS,
  partitionLoadsFromWindows,
  partitionSamples,
  resolveBrokerCapacities,
  snapshotReplicaSizes,
  WindowAggregator,
  type BrokerPoint,
  type MeasurementPoint,
} from '../src/monitor/index.js';
import { usedBytes } from './memory.js';

const BROKERS = 215;
const RF = 3;
const PARTITIONS_PER_TOPIC = 100;
const WINDOW_MS = 60_000;
const NUM_WINDOWS = 5;
const SAMPLES_PER_WINDOW = 3;
const SIZES = (process.env.BENCH_MONITOR_REPLICAS ?? '100000,1000000').split(',').map(Number);

function snapshotOf(replicas: number): ClusterSnapshot {
  const partitionCount = Math.ceil(replicas / RF);
  const partitions: PartitionInfo[] = [];
  const dirs: LogDirInfo[] = [];
  for (let b = 0; b < BROKERS; b++) {
    for (let d = 0; d < 2; d++) {
      dirs.push({
        brokerId: b,
        path: `/data-${d}`,
        failed: false,
        error: null,
        totalBytes: 4e12,
        usableBytes: 2e12,
        replicas: [],
      });
    }
  }
  for (let p = 0; p < partitionCount; p++) {
    const topic = `topic-${Math.floor(p / PARTITIONS_PER_TOPIC)}`;
    const partition = p % PARTITIONS_PER_TOPIC;
    const brokers = [0, 1, 2].map((i) => (p + i * 7) % BROKERS);
    partitions.push({ topic, partition, leader: brokers[0]!, replicas: brokers, isr: brokers, offlineReplicas: [] });
    for (const b of brokers) {
      dirs[b * 2 + (p % 2)]!.replicas.push({
        topic,
        partition,
        sizeBytes: 1e6 + (p % 1000) * 1e5,
        offsetLag: 0,
        isFuture: false,
      });
    }
  }
  return {
    takenAtMs: 0,
    clusterId: 'bench',
    controllerId: 0,
    brokers: Array.from({ length: BROKERS }, (_, id) => ({
      id,
      host: `kafka-${id}`,
      port: 9092,
      rack: `rack-${id % 5}`,
      alive: true,
    })),
    topics: [],
    partitions,
    logDirs: dirs,
    logDirErrors: [],
    brokerConfigErrors: [],
    reassignments: [],
    brokerThrottles: {},
  };
}

/** Every broker measured every topic it leads, at `timeMs`. */
function pointOf(snapshot: ClusterSnapshot, timeMs: number): MeasurementPoint {
  const brokers = new Map<number, BrokerPoint>();
  for (const p of snapshot.partitions) {
    let point = brokers.get(p.leader);
    if (!point) brokers.set(p.leader, (point = { brokerId: p.leader, cpuPercent: 40, topics: new Map() }));
    const rates = point.topics.get(p.topic) ?? { bytesInPerSec: 0, bytesOutPerSec: 0, messagesInPerSec: 0 };
    rates.bytesInPerSec += 1000;
    rates.bytesOutPerSec += 2000;
    rates.messagesInPerSec! += 10;
    point.topics.set(p.topic, rates);
  }
  return { timeMs, brokers: [...brokers.values()], replicaSizes: null };
}

function time<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function runSize(replicas: number): Promise<string> {
  const snapshot = snapshotOf(replicas);
  const fallback = snapshotReplicaSizes(snapshot);
  const aggregator = new WindowAggregator({
    windowMs: WINDOW_MS,
    numWindows: NUM_WINDOWS,
    minSamplesPerWindow: SAMPLES_PER_WINDOW,
    metrics: PARTITION_METRICS,
  });
  const deriveMs: number[] = [];
  const addMs: number[] = [];
  let leaderSizes = new Map();
  const rounds = (NUM_WINDOWS + 1) * SAMPLES_PER_WINDOW;
  const before = await usedBytes();
  for (let round = 0; round < rounds; round++) {
    const timeMs = Math.floor(round / SAMPLES_PER_WINDOW) * WINDOW_MS + (round % SAMPLES_PER_WINDOW) * 1000 + 1;
    const [derived, derive] = time(() =>
      partitionSamples(pointOf(snapshot, timeMs), snapshot, leaderSizes, {}, fallback),
    );
    leaderSizes = derived.leaderSizes;
    const [, add] = time(() => {
      for (const sample of derived.samples) aggregator.add(sample, timeMs);
    });
    deriveMs.push(derive);
    addMs.push(add);
  }
  // Sample objects of the last round are garbage by now; leaderSizes (one entry per partition) stays.
  const windowsMiB = ((await usedBytes()) - before) / 2 ** 20;
  const nowMs = (NUM_WINDOWS + 1) * WINDOW_MS;
  const entities = snapshot.partitions.map((p) => `${p.topic}-${p.partition}`);
  const [, loadMs] = time(() => {
    const result = aggregator.aggregate(nowMs, entities);
    const loads = partitionLoadsFromWindows(result, 'expected');
    const capacities = resolveBrokerCapacities(snapshot, null, 'estimate', {
      cpuCores: 16,
      networkInKBps: 125_000,
      networkOutKBps: 125_000,
      diskMbPerLogDir: 1e6,
    });
    return buildWorkloadModel(snapshot, loads, capacities);
  });
  const [windowJson, serializeMs] = time(() => JSON.stringify(aggregator.toJSON(new Set([NUM_WINDOWS - 1])).cells));
  return (
    `${String(replicas).padStart(9)} replicas ${String(snapshot.partitions.length).padStart(8)} partitions | ` +
    `derive one point ${median(deriveMs).toFixed(0).padStart(5)} ms | add to windows ${median(addMs).toFixed(0).padStart(5)} ms | ` +
    `windows mem ${windowsMiB.toFixed(0).padStart(5)} MiB | /load model ${loadMs.toFixed(0).padStart(6)} ms | ` +
    `one window saved ${(windowJson.length / 2 ** 20).toFixed(1).padStart(6)} MiB in ${serializeMs.toFixed(0)} ms`
  );
}

for (const size of SIZES) console.log(await runSize(size));
console.log(
  `node ${process.version}, ${BROKERS} brokers, RF ${RF}, ${NUM_WINDOWS} windows × ${SAMPLES_PER_WINDOW} samples (medians of ${(NUM_WINDOWS + 1) * SAMPLES_PER_WINDOW} rounds)`,
);
