// Seeded synthetic clusters: realistic, heavy-tailed workloads with optional skews, for tests and benchmarks.
import { BrokerState } from './broker-state.js';
import type { ClusterModel } from './cluster-model.js';
import { ModelBuilder } from './model-builder.js';
import { seededRandom } from './random.js';

/** The imbalance a synthetic model starts with. */
export type SyntheticSkew = 'none' | 'hot-broker' | 'new-empty-broker' | 'rack-imbalance' | 'hot-disk';

/** Options of {@link generateSyntheticModel}; every field is optional. */
export interface SyntheticModelOptions {
  /** PRNG seed: the same options give an identical model. @defaultValue 1 */
  seed?: number;
  /** Number of brokers, Kafka ids `0 … brokers-1`. @defaultValue 6 */
  brokers?: number;
  /** Number of racks `rack-0 …`; broker `b` is in rack `b % racks`. @defaultValue 3 */
  racks?: number;
  /** Log directories per broker, `/var/kafka/data-0 …`. @defaultValue 2 */
  disksPerBroker?: number;
  /** Number of topics `topic-0 …`, each with at least one partition. @defaultValue 10 */
  topics?: number;
  /** Total number of partitions, spread over topics by heavy-tailed weights. @defaultValue 200 */
  partitions?: number;
  /** Replicas per partition, on distinct brokers. @defaultValue 3 */
  replicationFactor?: number;
  /** Capacity of each disk in MB; a broker's DISK capacity is `disksPerBroker` times this. @defaultValue 1_000_000 */
  diskCapacityMb?: number;
  /** NW_IN and NW_OUT capacity of each broker in KB/s (125 000 KB/s is 1 Gbit/s). @defaultValue 125_000 */
  nwCapacityKBps?: number;
  /** CPU capacity of each broker in percent. @defaultValue 100 */
  cpuCapacity?: number;
  /** Follower CPU as a fraction of the leader's (followers only replicate). @defaultValue 0.5 */
  followerCpuFactor?: number;
  /**
   * Place the replicas of a partition on distinct racks when there are at least as many racks
   * as replicas. Ignored by the `'rack-imbalance'` skew, which is rack-unaware on purpose.
   * @defaultValue true
   */
  rackAware?: boolean;
  /**
   * The imbalance to start from:
   * - `'none'`: replicas, leaders and disks spread evenly (loads are still heavy-tailed);
   * - `'hot-broker'`: broker 0 holds and leads {@link HOT_SHARE} of all partitions;
   * - `'new-empty-broker'`: the last broker holds no replica and has state `ALIVE | NEW`;
   * - `'rack-imbalance'`: rack-0's brokers are {@link HOT_WEIGHT} times as attractive, so rack-0
   *   holds most replicas;
   * - `'hot-disk'`: disk 0 of every broker gets {@link HOT_SHARE} of that broker's replicas
   *   (needs `disksPerBroker` ≥ 2).
   * @defaultValue 'none'
   */
  skew?: SyntheticSkew;
}

/** Share of partitions (hot-broker) or of a broker's replicas (hot-disk) the hot spot receives. */
export const HOT_SHARE = 0.85;
/** Placement weight of the favoured brokers in `'rack-imbalance'`, against 1 for the others. */
export const HOT_WEIGHT = 4;
/** Mean-ish NW_IN of a partition in KB/s before the topic's heavy-tailed rate multiplier. */
const BASE_NW_IN_KBPS = 50;
/** Leader CPU in percent per KB/s handled (in + out). */
const CPU_PERCENT_PER_KBPS = 0.001;
/** Retention choices, in hours, per topic: a partition holds `NW_IN × retention` of data. */
const RETENTION_HOURS = [1, 6, 24] as const;
/** Pareto shape of the topic weights and rates: α = 1.5 gives a finite mean and a fat tail. */
const PARETO_ALPHA = 1.5;
/** Cap of a Pareto draw, so one unlucky seed cannot produce an absurd topic. */
const PARETO_CAP = 500;

/**
 * Builds a seeded synthetic cluster through {@link ModelBuilder}. Topics get Pareto-distributed
 * partition counts and byte rates, partitions a log-normal jitter; the leader's NW_OUT is NW_IN
 * times the topic's consumer fan-out (1–3) and its CPU is proportional to the bytes handled.
 * Follower load is the leader load with NW_OUT 0 and CPU times `followerCpuFactor`. The leader
 * is always the first replica (leaderIndex 0). Replicas, leaders and disks are placed greedily
 * on the least-used candidates, with a seeded jitter breaking ties, then skewed as asked.
 * @throws RangeError when the options are inconsistent (e.g. fewer usable brokers than replicas).
 */
export function generateSyntheticModel(options: SyntheticModelOptions = {}): ClusterModel {
  const o = resolve(options);
  const random = seededRandom(o.seed);
  const builder = new ModelBuilder();
  const lastBroker = o.brokers - 1;
  for (let b = 0; b < o.brokers; b++) {
    const isNew = o.skew === 'new-empty-broker' && b === lastBroker;
    builder.addBroker({
      kafkaId: b,
      rack: `rack-${b % o.racks}`,
      capacity: [o.cpuCapacity, o.nwCapacityKBps, o.nwCapacityKBps, o.diskCapacityMb * o.disksPerBroker],
      state: isNew ? BrokerState.ALIVE | BrokerState.NEW : BrokerState.ALIVE,
    });
    for (let d = 0; d < o.disksPerBroker; d++) {
      builder.addDisk({ broker: b, path: diskPath(d), capacityMb: o.diskCapacityMb });
    }
  }
  const placer = new Placer(o, random);
  const partitionsPerTopic = spreadPartitions(o.topics, o.partitions, random);
  for (let t = 0; t < o.topics; t++) {
    const rate = pareto(random);
    const fanout = 1 + Math.floor(random() * 3);
    const retentionSeconds = RETENTION_HOURS[Math.floor(random() * RETENTION_HOURS.length)]! * 3600;
    for (let p = 0; p < partitionsPerTopic[t]!; p++) {
      const nwIn = BASE_NW_IN_KBPS * rate * logNormal(random, 0.5);
      const nwOut = nwIn * fanout;
      const cpu = CPU_PERCENT_PER_KBPS * (nwIn + nwOut);
      const disk = (nwIn * retentionSeconds) / 1024;
      const brokers = placer.pickBrokers();
      builder.addPartition({
        topic: `topic-${t}`,
        partition: p,
        replicas: brokers.map((b) => ({ broker: b, disk: diskPath(placer.pickDisk(b)) })),
        leaderIndex: 0,
        leaderLoad: [cpu, nwIn, nwOut, disk],
        followerLoad: [cpu * o.followerCpuFactor, nwIn, 0, disk],
      });
    }
  }
  return builder.build();
}

type Resolved = Required<SyntheticModelOptions>;

function resolve(options: SyntheticModelOptions): Resolved {
  const o: Resolved = {
    seed: options.seed ?? 1,
    brokers: options.brokers ?? 6,
    racks: options.racks ?? 3,
    disksPerBroker: options.disksPerBroker ?? 2,
    topics: options.topics ?? 10,
    partitions: options.partitions ?? 200,
    replicationFactor: options.replicationFactor ?? 3,
    diskCapacityMb: options.diskCapacityMb ?? 1_000_000,
    nwCapacityKBps: options.nwCapacityKBps ?? 125_000,
    cpuCapacity: options.cpuCapacity ?? 100,
    followerCpuFactor: options.followerCpuFactor ?? 0.5,
    rackAware: options.rackAware ?? true,
    skew: options.skew ?? 'none',
  };
  for (const key of ['brokers', 'racks', 'disksPerBroker', 'topics', 'partitions', 'replicationFactor'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be a positive integer`);
  }
  for (const key of ['diskCapacityMb', 'nwCapacityKBps', 'cpuCapacity', 'followerCpuFactor'] as const) {
    if (!Number.isFinite(o[key]) || o[key] < 0) throw new RangeError(`${key} must be a finite number ≥ 0`);
  }
  if (o.racks > o.brokers) throw new RangeError(`racks (${o.racks}) must not exceed brokers (${o.brokers})`);
  if (o.partitions < o.topics) throw new RangeError(`partitions (${o.partitions}) must be ≥ topics (${o.topics})`);
  const usable = o.skew === 'new-empty-broker' ? o.brokers - 1 : o.brokers;
  if (o.replicationFactor > usable) {
    throw new RangeError(`replicationFactor ${o.replicationFactor} needs at least as many usable brokers (${usable})`);
  }
  if (o.skew === 'hot-disk' && o.disksPerBroker < 2) throw new RangeError(`skew 'hot-disk' needs disksPerBroker ≥ 2`);
  return o;
}

function diskPath(disk: number): string {
  return `/var/kafka/data-${disk}`;
}

// Greedy placement over per-broker and per-disk counters, skewed by the option.
class Placer {
  private readonly replicas: Float64Array;
  private readonly leaders: Float64Array;
  private readonly weight: Float64Array;
  private readonly diskReplicas: Int32Array;
  private readonly usable: number;
  private readonly rackAware: boolean;

  constructor(
    private readonly o: Resolved,
    private readonly random: () => number,
  ) {
    this.replicas = new Float64Array(o.brokers);
    this.leaders = new Float64Array(o.brokers);
    this.weight = new Float64Array(o.brokers).fill(1);
    this.diskReplicas = new Int32Array(o.brokers * o.disksPerBroker);
    this.usable = o.skew === 'new-empty-broker' ? o.brokers - 1 : o.brokers;
    this.rackAware = o.rackAware && o.skew !== 'rack-imbalance' && o.racks >= o.replicationFactor;
    if (o.skew === 'rack-imbalance') for (let b = 0; b < o.brokers; b += o.racks) this.weight[b] = HOT_WEIGHT;
  }

  // Broker indices of one partition's replicas, leader first.
  pickBrokers(): number[] {
    const chosen: number[] = [];
    if (this.o.skew === 'hot-broker' && this.random() < HOT_SHARE) this.take(chosen, 0);
    while (chosen.length < this.o.replicationFactor) {
      // Relax the constraints only when no broker satisfies them (e.g. too few racks left).
      let broker = -1;
      for (let level = 0; broker < 0 && level < 3; level++) broker = this.pickOne(chosen, level);
      this.take(chosen, broker);
    }
    return chosen;
  }

  // The least-used allowed broker, or -1. Level 0: all rules; 1: no rack rule; 2: hot broker too.
  private pickOne(chosen: readonly number[], level: number): number {
    const racks = this.o.racks;
    const usedRacks = chosen.map((b) => b % racks);
    const counts = chosen.length === 0 ? this.leaders : this.replicas;
    let best = -1;
    let bestScore = Infinity;
    for (let b = 0; b < this.usable; b++) {
      if (chosen.includes(b)) continue;
      if (level < 1 && this.rackAware && usedRacks.includes(b % racks)) continue;
      // In hot-broker, broker 0 only gets the partitions the hot share gave it.
      if (level < 2 && this.o.skew === 'hot-broker' && b === 0) continue;
      const score = (counts[b]! + this.random() * 0.5) / this.weight[b]!;
      if (score < bestScore) {
        bestScore = score;
        best = b;
      }
    }
    return best;
  }

  // Disk number (0-based within the broker) for a new replica on `broker`.
  pickDisk(broker: number): number {
    const n = this.o.disksPerBroker;
    const base = broker * n;
    let disk = 0;
    if (this.o.skew !== 'hot-disk' || this.random() >= HOT_SHARE) {
      const first = this.o.skew === 'hot-disk' ? 1 : 0;
      disk = first;
      for (let d = first + 1; d < n; d++) if (this.diskReplicas[base + d]! < this.diskReplicas[base + disk]!) disk = d;
    }
    this.diskReplicas[base + disk]!++;
    return disk;
  }

  private take(chosen: number[], broker: number): void {
    if (chosen.length === 0) this.leaders[broker]!++;
    this.replicas[broker]!++;
    chosen.push(broker);
  }
}

// Partition count per topic: one each, the rest drawn by Pareto topic weights.
function spreadPartitions(topics: number, partitions: number, random: () => number): Int32Array {
  const counts = new Int32Array(topics).fill(1);
  const cumulative = new Float64Array(topics);
  let total = 0;
  for (let t = 0; t < topics; t++) {
    total += pareto(random);
    cumulative[t] = total;
  }
  for (let i = topics; i < partitions; i++) {
    const x = random() * total;
    let lo = 0;
    let hi = topics - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts;
}

// Pareto(x_m = 1, α): heavy-tailed, ≥ 1, capped at PARETO_CAP.
function pareto(random: () => number): number {
  return Math.min(PARETO_CAP, 1 / Math.pow(1 - random(), 1 / PARETO_ALPHA));
}

// Log-normal with median 1 (μ = 0) and shape σ, via Box–Muller.
function logNormal(random: () => number, sigma: number): number {
  const u = 1 - random();
  const v = random();
  return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}
