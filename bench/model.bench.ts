// Workload-model figures: build time, retained memory, and 1M random moveReplica + undo, on
// synthetic clusters of 100k, 1M and 2.8M replicas over 215 brokers (RF 3, round-robin placement).
// Run: npx tsx bench/model.bench.ts
import { ClusterModel, ModelBuilder } from '../src/model/index.js';
import { usedBytes } from './memory.js';

const BROKERS = 215;
const RACKS = 5;
const DISKS_PER_BROKER = 2;
const RF = 3;
const PARTITIONS_PER_TOPIC = 100;
const OPERATIONS = 1_000_000;
const SIZES = [100_000, 1_000_000, 2_800_000];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(replicas: number, random: () => number): ClusterModel {
  const builder = new ModelBuilder();
  for (let b = 0; b < BROKERS; b++) {
    builder.addBroker({ kafkaId: 1000 + b, rack: `rack-${b % RACKS}`, capacity: [100, 125_000, 125_000, 4_000_000] });
    for (let d = 0; d < DISKS_PER_BROKER; d++)
      builder.addDisk({ broker: 1000 + b, path: `/var/kafka/data-${d}`, capacityMb: 2_000_000 });
  }
  const partitions = Math.ceil(replicas / RF);
  for (let p = 0; p < partitions; p++) {
    const bytesIn = random() * 500;
    builder.addPartition({
      topic: `topic-${Math.floor(p / PARTITIONS_PER_TOPIC)}`,
      partition: p % PARTITIONS_PER_TOPIC,
      replicas: [0, 1, 2].map((i) => {
        const broker = (p + i) % BROKERS;
        return { broker: 1000 + broker, disk: `/var/kafka/data-${(p + i) % DISKS_PER_BROKER}` };
      }),
      leaderIndex: 0,
      leaderLoad: [random() * 0.05, bytesIn, bytesIn * 2, random() * 5000],
      followerLoad: [random() * 0.02, bytesIn, 0, random() * 5000],
    });
  }
  return builder.build();
}

// Exact bytes of the model's typed arrays: a cross-check of the GC-dependent heap delta.
function typedArrayMiB(model: ClusterModel): number {
  let bytes = 0;
  for (const value of Object.values(model)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes / 2 ** 20;
}

// 1M × (pick a replica and a broker not hosting its partition, move it, undo): the inner step
// of a goal trying a move and rejecting it.
function moveAndUndo(model: ClusterModel, random: () => number): number {
  const started = performance.now();
  for (let i = 0; i < OPERATIONS; i++) {
    const replica = Math.floor(random() * model.replicaCount);
    const partition = model.replicaPartition[replica]!;
    let broker = Math.floor(random() * BROKERS);
    while (model.replicaOnBroker(partition, broker) !== -1) broker = Math.floor(random() * BROKERS);
    const mark = model.mark();
    model.moveReplica(replica, broker, broker * DISKS_PER_BROKER + (i & 1));
    model.undoTo(mark);
  }
  return performance.now() - started;
}

// One size per call, so the previous model is unreachable when the next `before` is taken.
async function runSize(size: number): Promise<string> {
  const random = mulberry32(size);
  const before = await usedBytes();
  const started = performance.now();
  const model = build(size, random);
  const buildMs = performance.now() - started;
  const retainedMiB = ((await usedBytes()) - before) / 2 ** 20;
  const opsMs = moveAndUndo(model, random);
  return (
    `${String(model.replicaCount).padStart(9)} replicas ${String(model.partitionCount).padStart(8)} partitions | ` +
    `build ${buildMs.toFixed(0).padStart(6)} ms | heap+arrayBuffers ${retainedMiB.toFixed(1).padStart(7)} MiB ` +
    `(typed arrays ${typedArrayMiB(model).toFixed(1).padStart(6)} MiB) | ` +
    `1M moveReplica+undo ${opsMs.toFixed(0).padStart(5)} ms`
  );
}

for (const size of SIZES) console.log(await runSize(size));
console.log(`node ${process.version}, ${BROKERS} brokers, ${RACKS} racks, ${DISKS_PER_BROKER} disks/broker, RF ${RF}`);
