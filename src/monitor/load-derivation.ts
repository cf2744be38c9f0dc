// Pure derivation of per-partition leader/follower load (CPU, NW_IN, NW_OUT, DISK) from broker- and topic-level measurements.
import { BallastError } from '../common/pure.js';
import { compareTopicPartition } from '../kafka/pure.js';
import { Resource } from '../model/index.js';

/** Bytes per KB (1 KB = 1024 bytes), the divisor from bytes/s to KB/s. */
export const BYTES_PER_KB = 1024;
/** Bytes per MB (1 MB = 1024² bytes), the divisor from bytes to MB. */
export const BYTES_PER_MB = 1024 * 1024;

/** What one broker measured over the window: its CPU and, per topic, the bytes/s it served as leader. */
export interface BrokerMeasurement {
  brokerId: number;
  /** Broker CPU in percent of one broker (100 = the whole box); null when not measured. */
  cpuPercent: number | null;
  /** Per topic, the bytes-in and bytes-out rates (bytes/s) and, when measured, messages in/s this broker measured for that topic. */
  topics: Map<string, { bytesInPerSec: number; bytesOutPerSec: number; messagesInPerSec?: number }>;
}

/** One partition as seen by the monitor: placement, replica sizes and (optionally) size growth. */
export interface PartitionMeasurement {
  topic: string;
  partition: number;
  /** Leader broker id; -1 when the partition has no leader. */
  leader: number;
  /** Replica broker ids in assignment order. */
  replicas: number[];
  /** Replica size in bytes per broker, from DescribeLogDirs. */
  sizeBytesByBroker: Map<number, number>;
  /** Leader log growth in bytes/s over the window; absent (or negative, or not finite) when unknown. */
  growthBytesPerSec?: number;
}

/** A load vector indexed by {@link Resource}: [CPU %, NW_IN KB/s, NW_OUT KB/s, DISK MB]. */
export type LoadVector = [number, number, number, number];

/** The derived load of one partition. A value that could not be derived is NaN and flagged in `missing`. */
export interface PartitionLoad {
  topic: string;
  partition: number;
  /** The leader replica's load; CPU is the leader replica's share of its broker's CPU. */
  leaderLoad: LoadVector;
  /** A follower replica's load; CPU is the average of the follower replicas' shares (0 with no follower). */
  followerLoad: LoadVector;
  /** Messages in per second on the leader, split like the bytes; NaN when not measured. */
  messagesInPerSec: number;
  /** cpu: some CPU share came from the bytes-based estimate; nw: the topic bytes were split evenly, not by growth. */
  estimated: { cpu: boolean; nw: boolean };
  /** A value that is NaN because its input was not measured (never invented). */
  missing: { cpu: boolean; nw: boolean; disk: boolean };
}

export type LoadProblemKind =
  'no-leader' | 'missing-topic-measurement' | 'missing-size' | 'cpu-estimated' | 'unattributed-topic-bytes';

/** Something the derivation could not do exactly; one entry per affected partition or broker/topic. */
export interface LoadProblem {
  kind: LoadProblemKind;
  brokerId: number | null;
  topic: string | null;
  partition: number | null;
  message: string;
}

/** Tuning of the derivation; every field has Cruise Control's (or a documented) default. */
export interface LoadDerivationOptions {
  /** CPU weight of a leader's bytes-in. @defaultValue 0.7 */
  leaderBytesInWeight?: number;
  /** CPU weight of a leader's bytes-out. @defaultValue 0.15 */
  leaderBytesOutWeight?: number;
  /** CPU weight of a follower's replication bytes-in. @defaultValue 0.15 */
  followerBytesInWeight?: number;
  /** CPU percent per weighted KB/s, used when a broker's CPU is not measured. @defaultValue 0.001 */
  cpuPercentPerKBps?: number;
}

export interface LoadDerivationResult {
  /** One entry per input partition, in topic then partition order. */
  partitions: PartitionLoad[];
  problems: LoadProblem[];
}

/** Thrown for a weight or factor that is negative or not finite. Not retryable. */
export class LoadDerivationConfigError extends BallastError {
  readonly code = 'MONITOR_LOAD_DERIVATION_CONFIG_INVALID';

  constructor(message: string) {
    super(message);
  }
}

/** One replica's CPU share, computed per broker. */
interface ReplicaSlot {
  index: number;
  isLeader: boolean;
  /** The weighted bytes (KB/s) that drive its CPU share; NaN when its bytes are unknown. */
  weight: number;
}

function option(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0)
    throw new LoadDerivationConfigError(`${name} must be a finite number >= 0, got ${v}`);
  return v;
}

/** Growth in bytes/s when usable as a split weight, else null. */
function knownGrowth(p: PartitionMeasurement): number | null {
  const g = p.growthBytesPerSec;
  return g !== undefined && Number.isFinite(g) && g >= 0 ? g : null;
}

/** The partition's size in MB: the leader's replica, else the largest replica; NaN when no size is known. */
function diskMb(p: PartitionMeasurement): number {
  const leaderSize = p.sizeBytesByBroker.get(p.leader);
  if (leaderSize !== undefined) return leaderSize / BYTES_PER_MB;
  let max = Number.NaN;
  for (const size of p.sizeBytesByBroker.values()) if (!(size <= max)) max = size;
  return max / BYTES_PER_MB;
}

/**
 * Derives per-partition leader and follower load from broker-level CPU and per-broker topic
 * byte rates, by the rules in docs/load-model.md. Pure: inputs are not modified.
 */
export function derivePartitionLoads(
  brokers: readonly BrokerMeasurement[],
  partitions: readonly PartitionMeasurement[],
  options: LoadDerivationOptions = {},
): LoadDerivationResult {
  const wLeaderIn = option(options.leaderBytesInWeight, 0.7, 'leaderBytesInWeight');
  const wLeaderOut = option(options.leaderBytesOutWeight, 0.15, 'leaderBytesOutWeight');
  const wFollowerIn = option(options.followerBytesInWeight, 0.15, 'followerBytesInWeight');
  const cpuPerKBps = option(options.cpuPercentPerKBps, 0.001, 'cpuPercentPerKBps');

  const sorted = [...partitions].sort(compareTopicPartition);
  const byBroker = new Map(brokers.map((b) => [b.brokerId, b]));
  const problems: LoadProblem[] = [];
  const nwIn: number[] = [];
  const nwOut: number[] = [];
  const msgIn: number[] = [];
  const nwEstimated: boolean[] = [];
  const where = (p: PartitionMeasurement): string => `${p.topic}-${p.partition}`;

  // Leader partitions grouped by (leader broker, topic): the groups the topic bytes are split over.
  const groups = new Map<string, number[]>();
  sorted.forEach((p, i) => {
    nwIn[i] = Number.NaN;
    nwOut[i] = Number.NaN;
    msgIn[i] = Number.NaN;
    nwEstimated[i] = false;
    if (p.leader < 0 || !p.replicas.includes(p.leader)) {
      const message = `${where(p)} has no leader among its replicas (leader ${p.leader}): network load not derived`;
      problems.push({ kind: 'no-leader', brokerId: null, topic: p.topic, partition: p.partition, message });
      return;
    }
    const key = `${p.leader}\u0000${p.topic}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });

  for (const members of groups.values()) {
    const first = sorted[members[0] ?? -1];
    if (!first) continue;
    const rates = byBroker.get(first.leader)?.topics.get(first.topic);
    if (!rates) {
      for (const i of members) {
        const p = sorted[i];
        if (!p) continue;
        const message = `broker ${p.leader} has no measurement for topic ${p.topic}: ${where(p)} network load missing`;
        problems.push({
          kind: 'missing-topic-measurement',
          brokerId: p.leader,
          topic: p.topic,
          partition: p.partition,
          message,
        });
      }
      continue;
    }
    const growths = members.map((i) => {
      const p = sorted[i];
      return p ? knownGrowth(p) : null;
    });
    const total = growths.reduce<number>((sum, g) => sum + (g ?? 0), 0);
    const byGrowth = growths.every((g) => g !== null) && total > 0;
    members.forEach((i, k) => {
      const share = byGrowth ? (growths[k] ?? 0) / total : 1 / members.length;
      nwIn[i] = (rates.bytesInPerSec * share) / BYTES_PER_KB;
      nwOut[i] = (rates.bytesOutPerSec * share) / BYTES_PER_KB;
      msgIn[i] = (rates.messagesInPerSec ?? Number.NaN) * share;
      nwEstimated[i] = !byGrowth && members.length > 1;
    });
  }

  // Topic bytes measured on a broker that leads no partition of that topic cannot be attributed.
  for (const b of brokers) {
    for (const [topic, rates] of b.topics) {
      if (groups.has(`${b.brokerId}\u0000${topic}`) || (rates.bytesInPerSec <= 0 && rates.bytesOutPerSec <= 0))
        continue;
      const message = `broker ${b.brokerId} measured bytes for topic ${topic} but leads none of its partitions`;
      problems.push({ kind: 'unattributed-topic-bytes', brokerId: b.brokerId, topic, partition: null, message });
    }
  }

  // Every hosted replica, per broker, with the weighted bytes that drive its CPU share.
  const slots = new Map<number, ReplicaSlot[]>();
  sorted.forEach((p, index) => {
    const hasLeader = p.leader >= 0 && p.replicas.includes(p.leader);
    for (const brokerId of new Set(p.replicas)) {
      const isLeader = hasLeader && brokerId === p.leader;
      const inKb = nwIn[index] ?? Number.NaN;
      const outKb = nwOut[index] ?? Number.NaN;
      const weight = isLeader ? wLeaderIn * inKb + wLeaderOut * outKb : wFollowerIn * inKb;
      const list = slots.get(brokerId);
      const slot = { index, isLeader, weight };
      if (list) list.push(slot);
      else slots.set(brokerId, [slot]);
    }
  });

  const leaderCpu: number[] = sorted.map(() => Number.NaN);
  const followerCpuSum: number[] = sorted.map(() => 0);
  const followerCount: number[] = sorted.map(() => 0);
  const cpuEstimated: boolean[] = sorted.map(() => false);
  const cpuMissing: boolean[] = sorted.map(() => false);

  for (const [brokerId, list] of [...slots].sort((a, b) => a[0] - b[0])) {
    const measured = byBroker.get(brokerId)?.cpuPercent ?? null;
    const usable = measured !== null && Number.isFinite(measured);
    if (!usable) {
      const message = `broker ${brokerId} has no CPU measurement: its replicas' CPU is estimated from bytes`;
      problems.push({ kind: 'cpu-estimated', brokerId, topic: null, partition: null, message });
    }
    // Unknown bytes weigh 0 in a measured split; with no positive weight the CPU is split evenly.
    const total = list.reduce((sum, s) => sum + (Number.isNaN(s.weight) ? 0 : s.weight), 0);
    for (const s of list) {
      let cpu: number;
      if (usable)
        cpu = total > 0 ? (measured * (Number.isNaN(s.weight) ? 0 : s.weight)) / total : measured / list.length;
      else {
        cpu = cpuPerKBps * s.weight;
        cpuEstimated[s.index] = true;
        if (Number.isNaN(cpu)) cpuMissing[s.index] = true;
      }
      if (s.isLeader) leaderCpu[s.index] = cpu;
      else {
        followerCpuSum[s.index] = (followerCpuSum[s.index] ?? 0) + cpu;
        followerCount[s.index] = (followerCount[s.index] ?? 0) + 1;
      }
    }
  }

  const loads = sorted.map((p, i): PartitionLoad => {
    const disk = diskMb(p);
    if (Number.isNaN(disk)) {
      const message = `${where(p)} has no replica size: disk load missing`;
      problems.push({ kind: 'missing-size', brokerId: null, topic: p.topic, partition: p.partition, message });
    }
    const inKb = nwIn[i] ?? Number.NaN;
    const count = followerCount[i] ?? 0;
    const leaderLoad: LoadVector = [0, 0, 0, 0];
    leaderLoad[Resource.CPU] = leaderCpu[i] ?? Number.NaN;
    leaderLoad[Resource.NW_IN] = inKb;
    leaderLoad[Resource.NW_OUT] = nwOut[i] ?? Number.NaN;
    leaderLoad[Resource.DISK] = disk;
    const followerLoad: LoadVector = [0, 0, 0, 0];
    followerLoad[Resource.CPU] = count > 0 ? (followerCpuSum[i] ?? 0) / count : 0;
    followerLoad[Resource.NW_IN] = inKb;
    followerLoad[Resource.NW_OUT] = 0;
    followerLoad[Resource.DISK] = disk;
    return {
      topic: p.topic,
      partition: p.partition,
      leaderLoad,
      followerLoad,
      messagesInPerSec: msgIn[i] ?? Number.NaN,
      estimated: { cpu: cpuEstimated[i] ?? false, nw: nwEstimated[i] ?? false },
      missing: {
        cpu:
          (cpuMissing[i] ?? false) ||
          Number.isNaN(leaderLoad[Resource.CPU]) ||
          Number.isNaN(followerLoad[Resource.CPU]),
        nw: Number.isNaN(inKb),
        disk: Number.isNaN(disk),
      },
    };
  });
  return { partitions: loads, problems };
}
