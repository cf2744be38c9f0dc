// From aggregated windows and a cluster snapshot to the workload model every goal reads: one load
// per partition across the chosen windows, placed on the snapshot's brokers and disks. Pure.
import { getOrInsert } from '../common/index.js';
import { settledReplicas, type ClusterSnapshot, type PartitionInfo } from '../kafka/index.js';
import { BrokerState, ClusterModel, ModelBuildError, ModelBuilder, RESOURCE_COUNT, Resource } from '../model/index.js';
import type { AggregationResult, EntityWindowValue } from './aggregation/index.js';
import type { ModelBrokerCapacity } from './broker-capacities.js';
import { PartitionMetric } from './partition-samples.js';
import { partitionKey } from './samplers/index.js';

/**
 * How windows combine into one load (Cruise Control's `max_load` / `avg_load`):
 * - `expected`: average of the valid windows, but disk from the newest valid window (a log grows);
 * - `avg`: average of the valid windows for every resource, disk included;
 * - `max`: the highest valid window for every resource.
 */
export type LoadMode = 'expected' | 'avg' | 'max';

/** One partition's load over the chosen windows. */
export interface PartitionWindowLoad {
  /** Leader replica, indexed by `Resource`. */
  leader: number[];
  /** Each follower replica, indexed by `Resource`. */
  follower: number[];
  messagesInPerSec: number;
  /** Windows with a value (measured or extrapolated). */
  validWindows: number;
  /** Of those, windows whose value was extrapolated. */
  extrapolatedWindows: number;
}

/** Loads of every entity of `result`, keyed `topic-partition`; null for a partition with no valid window. */
export function partitionLoadsFromWindows(
  result: AggregationResult,
  mode: LoadMode,
): Map<string, PartitionWindowLoad | null> {
  const loads = new Map<string, PartitionWindowLoad | null>();
  for (const [entity, windows] of result.entities) loads.set(entity, combineWindows(windows, mode));
  return loads;
}

function combineWindows(windows: readonly EntityWindowValue[], mode: LoadMode): PartitionWindowLoad | null {
  const valid = windows.filter((w) => w.extrapolation !== 'invalid');
  if (valid.length === 0) return null;
  const metric = (index: number, how: 'avg' | 'max' | 'latest'): number => {
    if (how === 'latest') return valid.at(-1)!.values[index] ?? 0;
    let acc = how === 'max' ? -Infinity : 0;
    for (const w of valid) {
      const v = w.values[index] ?? 0;
      acc = how === 'max' ? Math.max(acc, v) : acc + v;
    }
    return how === 'max' ? acc : acc / valid.length;
  };
  const how = mode === 'max' ? 'max' : 'avg';
  const disk = metric(PartitionMetric.DISK, mode === 'expected' ? 'latest' : how);
  const nwIn = metric(PartitionMetric.NW_IN, how);
  const leader = new Array<number>(RESOURCE_COUNT).fill(0);
  leader[Resource.CPU] = metric(PartitionMetric.LEADER_CPU, how);
  leader[Resource.NW_IN] = nwIn;
  leader[Resource.NW_OUT] = metric(PartitionMetric.NW_OUT, how);
  leader[Resource.DISK] = disk;
  const follower = new Array<number>(RESOURCE_COUNT).fill(0);
  follower[Resource.CPU] = metric(PartitionMetric.FOLLOWER_CPU, how);
  follower[Resource.NW_IN] = nwIn;
  follower[Resource.DISK] = disk;
  return {
    leader,
    follower,
    messagesInPerSec: metric(PartitionMetric.MSG_IN, how),
    validWindows: valid.length,
    extrapolatedWindows: valid.filter((w) => w.extrapolation !== 'none').length,
  };
}

/** Kafka's default min.insync.replicas, for a topic whose effective value was not reported. */
const KAFKA_DEFAULT_MIN_ISR = 1;

/** What /load needs about a broker beyond the model's arrays. */
export interface WorkloadBroker {
  kafkaId: number;
  host: string;
  rack: string;
  alive: boolean;
  /** Log dirs Kafka reports offline on this broker. */
  failedLogDirs: string[];
  capacity: ModelBrokerCapacity;
}

export interface WorkloadModel {
  model: ClusterModel;
  /** By Kafka broker id, in the model's broker order. */
  brokers: Map<number, WorkloadBroker>;
  /** Partitions in the model with no valid window: their load is 0 and they count against completeness. */
  partitionsWithoutLoad: number;
  /** When the snapshot the placement comes from was taken, epoch ms. */
  snapshotTakenAtMs: number;
  /** min.insync.replicas per model topic index, as Kafka reports it (its default of 1 when it does not). */
  topicMinInsyncReplicas: Int32Array;
}

/**
 * Places `loads` on `snapshot`'s brokers, disks and partitions. Racks are Kafka's `broker.rack`;
 * a broker without one is its own rack (named after its host), so rack-awareness degrades to
 * host-awareness as in Cruise Control. A replica's disk is the log dir holding it. A replica on a
 * dead broker has no known disk; one Kafka reports offline on a live broker with a failed dir is
 * placed on that dead dir (the first, when several failed: Kafka no longer says which), so the
 * optimizer sees it as offline and re-homes it (fix_offline_replicas).
 */
export function buildWorkloadModel(
  snapshot: ClusterSnapshot,
  loads: ReadonlyMap<string, PartitionWindowLoad | null>,
  capacities: ReadonlyMap<number, ModelBrokerCapacity>,
): WorkloadModel {
  const builder = new ModelBuilder();
  const brokers = new Map<number, WorkloadBroker>();
  const failedDirs = new Map<number, string[]>();
  for (const dir of snapshot.logDirs) {
    if (dir.failed) failedDirs.set(dir.brokerId, [...(failedDirs.get(dir.brokerId) ?? []), dir.path]);
  }
  const sortedBrokers = [...snapshot.brokers].sort((a, b) => a.id - b.id);
  for (const b of sortedBrokers) {
    const capacity = capacities.get(b.id);
    if (!capacity) throw new ModelBuildError(`no capacity resolved for broker ${b.id}`);
    const rack = b.rack ?? (b.host === '' ? `broker-${b.id}` : b.host);
    builder.addBroker({ kafkaId: b.id, rack, capacity: capacity.vector, state: b.alive ? BrokerState.ALIVE : 0 });
    brokers.set(b.id, {
      kafkaId: b.id,
      host: b.host,
      rack,
      alive: b.alive,
      failedLogDirs: failedDirs.get(b.id) ?? [],
      capacity,
    });
  }
  // Per broker, `topic-partition` → log dir path of the replica it holds.
  const replicaDir = new Map<number, Map<string, string>>();
  for (const dir of snapshot.logDirs) {
    if (!brokers.has(dir.brokerId)) continue;
    builder.addDisk({
      broker: dir.brokerId,
      path: dir.path,
      capacityMb: brokers.get(dir.brokerId)?.capacity.diskMbByLogDir.get(dir.path) ?? 0,
      alive: !dir.failed,
    });
    if (dir.failed) continue;
    const onBroker = getOrInsert(replicaDir, dir.brokerId, () => new Map<string, string>());
    for (const r of dir.replicas) if (!r.isFuture) onBroker.set(partitionKey(r.topic, r.partition), dir.path);
  }
  const zero = new Array<number>(RESOURCE_COUNT).fill(0);
  let partitionsWithoutLoad = 0;
  // A partition under reassignment is modelled as it will be once the move ends: its target. The
  // union of old and new replicas Kafka lists meanwhile is no placement a goal should judge or keep
  // (issue 15: with a broker dead mid-move, a partition of RF 3 shown on all 4 brokers left its dead
  // replica "no eligible broker", and fix_offline_replicas and remove_broker answered 409).
  const settled = settledReplicas(snapshot);
  for (const p of snapshot.partitions) {
    const key = partitionKey(p.topic, p.partition);
    const load = loads.get(key) ?? null;
    if (load === null) partitionsWithoutLoad++;
    const replicas = settled(p);
    builder.addPartition({
      topic: p.topic,
      partition: p.partition,
      replicas: replicas.map((broker) => {
        const disk =
          replicaDir.get(broker)?.get(key) ??
          (p.offlineReplicas.includes(broker) ? failedDirs.get(broker)?.[0] : undefined);
        return disk === undefined ? { broker } : { broker, disk };
      }),
      leaderIndex: settledLeaderIndex(replicas, p),
      leaderLoad: load?.leader ?? zero,
      followerLoad: load?.follower ?? zero,
    });
  }
  const model = builder.build();
  const minIsrByName = new Map(snapshot.topics.map((t) => [t.name, t.configs.minInsyncReplicas]));
  const topicMinInsyncReplicas = Int32Array.from(
    model.tables.topicNames,
    (name) => minIsrByName.get(name) ?? KAFKA_DEFAULT_MIN_ISR,
  );
  return { model, brokers, partitionsWithoutLoad, snapshotTakenAtMs: snapshot.takenAtMs, topicMinInsyncReplicas };
}

/**
 * Where the leader will be among `replicas` (the settled set): where it is, when it stays; else the
 * first of them in sync, which Kafka elects when a move removes the leader; else the first, which
 * it elects once that replica catches up. -1 only for a partition that has no leader now.
 */
function settledLeaderIndex(replicas: readonly number[], p: Pick<PartitionInfo, 'leader' | 'isr'>): number {
  if (p.leader < 0) return -1;
  const at = replicas.indexOf(p.leader);
  if (at >= 0) return at;
  const inSync = replicas.findIndex((b) => p.isr.includes(b));
  return inSync >= 0 ? inSync : 0;
}
