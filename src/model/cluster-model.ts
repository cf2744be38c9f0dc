// ClusterModel: the workload model in flat typed arrays, with O(1) undoable operations.
import { topicPartitionName } from '../common/pure.js';
import { computeAggregates } from './aggregates.js';
import { BrokerState } from './broker-state.js';
import { DiskNotOnBrokerError, DuplicateReplicaError, InvalidModelOperationError } from './model.errors.js';
import type { ModelArrays, ModelTables } from './model-state.js';
import { GrowableInt32Array } from './growable-array.js';
import { diffModel, type PartitionMove } from './partition-move.js';
import { RESOURCE_COUNT, Resource } from './resources.js';

const R = RESOURCE_COUNT;
// Journal entries are four ints: [kind, a, b, c].
const ENTRY = 4;
const OP_MOVE = 0; // a = replica, b = previous broker, c = previous disk
const OP_LEAD = 1; // a = partition, b = previous leader replica

/**
 * The cluster as dense integer indices over typed arrays (racks, brokers, disks, topics,
 * partitions, replicas), after Cruise Control's ClusterModel but without per-replica objects,
 * which made its 2.8M-replica runs take 18+ minutes.
 *
 * Goals read the public arrays directly in their hot loops and change the model only through
 * the operations, which keep the aggregates exact and journal what they did so a goal can try
 * a move and `undoTo` a mark. Every array is documented on {@link ModelArrays}; never write
 * to them from outside. Build one with `ModelBuilder`.
 */
export class ClusterModel implements ModelArrays {
  /** Names and Kafka ids, shared with clones. */
  readonly tables: ModelTables;
  /** Number of racks. */
  readonly rackCount: number;
  /** Number of brokers. */
  readonly brokerCount: number;
  /** Number of disks (log directories). */
  readonly diskCount: number;
  /** Number of topics. */
  readonly topicCount: number;
  /** Number of partitions. */
  readonly partitionCount: number;
  /** Number of replicas. */
  readonly replicaCount: number;

  readonly brokerRack: Int32Array;
  readonly brokerState: Uint8Array;
  readonly brokerCapacity: Float64Array;
  readonly diskBroker: Int32Array;
  readonly diskCapacityMb: Float64Array;
  readonly diskAlive: Uint8Array;
  readonly partitionTopic: Int32Array;
  readonly partitionNumber: Int32Array;
  readonly partitionReplicaStart: Int32Array;
  readonly replicaPartition: Int32Array;
  readonly replicaBroker: Int32Array;
  readonly replicaDisk: Int32Array;
  readonly originalBroker: Int32Array;
  readonly originalDisk: Int32Array;
  readonly partitionLeader: Int32Array;
  readonly originalLeader: Int32Array;
  readonly leaderLoad: Float64Array;
  readonly followerLoad: Float64Array;
  readonly brokerLoad: Float64Array;
  readonly rackLoad: Float64Array;
  readonly diskLoadMb: Float64Array;
  readonly brokerReplicaCount: Int32Array;
  readonly brokerLeaderCount: Int32Array;

  private readonly journal: GrowableInt32Array;

  /**
   * Wraps arrays as they are; `ModelBuilder.build()` and `clone()` call this. When `aggregates`
   * are absent they are computed from the placement.
   */
  constructor(
    tables: ModelTables,
    arrays: Omit<ModelArrays, keyof ReturnType<typeof computeAggregates>> & Partial<ModelArrays>,
    journal: GrowableInt32Array = new GrowableInt32Array(ENTRY * 256),
  ) {
    this.tables = tables;
    this.brokerRack = arrays.brokerRack;
    this.brokerState = arrays.brokerState;
    this.brokerCapacity = arrays.brokerCapacity;
    this.diskBroker = arrays.diskBroker;
    this.diskCapacityMb = arrays.diskCapacityMb;
    this.diskAlive = arrays.diskAlive;
    this.partitionTopic = arrays.partitionTopic;
    this.partitionNumber = arrays.partitionNumber;
    this.partitionReplicaStart = arrays.partitionReplicaStart;
    this.replicaPartition = arrays.replicaPartition;
    this.replicaBroker = arrays.replicaBroker;
    this.replicaDisk = arrays.replicaDisk;
    this.originalBroker = arrays.originalBroker;
    this.originalDisk = arrays.originalDisk;
    this.partitionLeader = arrays.partitionLeader;
    this.originalLeader = arrays.originalLeader;
    this.leaderLoad = arrays.leaderLoad;
    this.followerLoad = arrays.followerLoad;
    this.rackCount = tables.rackNames.length;
    this.brokerCount = arrays.brokerRack.length;
    this.diskCount = arrays.diskBroker.length;
    this.topicCount = tables.topicNames.length;
    this.partitionCount = arrays.partitionReplicaStart.length - 1;
    this.replicaCount = arrays.replicaPartition.length;
    const computed =
      arrays.brokerLoad && arrays.rackLoad && arrays.diskLoadMb && arrays.brokerReplicaCount && arrays.brokerLeaderCount
        ? undefined
        : computeAggregates(arrays, this.rackCount);
    this.brokerLoad = computed?.brokerLoad ?? arrays.brokerLoad!;
    this.rackLoad = computed?.rackLoad ?? arrays.rackLoad!;
    this.diskLoadMb = computed?.diskLoadMb ?? arrays.diskLoadMb!;
    this.brokerReplicaCount = computed?.brokerReplicaCount ?? arrays.brokerReplicaCount!;
    this.brokerLeaderCount = computed?.brokerLeaderCount ?? arrays.brokerLeaderCount!;
    this.journal = journal;
  }

  /** Broker index of a Kafka broker id, or -1 when the cluster has no such broker. */
  brokerIndex(kafkaId: number): number {
    return this.tables.brokerIndexByKafkaId.get(kafkaId) ?? -1;
  }

  /** Kafka broker id of a broker index. */
  brokerKafkaId(broker: number): number {
    return this.tables.brokerKafkaIds[broker]!;
  }

  /** True when every bit of the `BrokerState` flag is set on the broker. */
  brokerHas(broker: number, flag: number): boolean {
    return (this.brokerState[broker]! & flag) === flag;
  }

  /** Topic index of a topic name, or -1 when the model has no such topic. */
  topicIndex(name: string): number {
    return this.tables.topicIndexByName.get(name) ?? -1;
  }

  /** The name of the topic a partition belongs to. */
  topicNameOf(partition: number): string {
    return this.tables.topicNames[this.partitionTopic[partition]!]!;
  }

  /** `<topic>-<partition number>`: how Kafka names a partition in logs, tools and errors. */
  partitionName(partition: number): string {
    return topicPartitionName(this.topicNameOf(partition), this.partitionNumber[partition]!);
  }

  /**
   * First replica index of a partition; its replicas are `[replicaStart(p), replicaEnd(p))`, in
   * Kafka's order, so the first is the preferred leader.
   */
  replicaStart(partition: number): number {
    return this.partitionReplicaStart[partition]!;
  }

  /** One past the last replica index of a partition (see {@link replicaStart}). */
  replicaEnd(partition: number): number {
    return this.partitionReplicaStart[partition + 1]!;
  }

  /** Number of replicas of a partition. */
  replicationFactor(partition: number): number {
    return this.partitionReplicaStart[partition + 1]! - this.partitionReplicaStart[partition]!;
  }

  /**
   * The size of a partition on disk in MB: what a replica move copies. Read from the follower
   * load, since a follower holds the whole log as the leader does.
   */
  partitionSizeMb(partition: number): number {
    return this.followerLoad[partition * R + Resource.DISK]!;
  }

  /** A partition's leader load for one resource. */
  leaderLoadOf(partition: number, resource: Resource): number {
    return this.leaderLoad[partition * R + resource]!;
  }

  /** A partition's load for one resource on each follower replica. */
  followerLoadOf(partition: number, resource: Resource): number {
    return this.followerLoad[partition * R + resource]!;
  }

  /** The load of one resource summed over the replicas on a broker. */
  brokerLoadOf(broker: number, resource: Resource): number {
    return this.brokerLoad[broker * R + resource]!;
  }

  /** A broker's capacity for one resource, in the units of `Resource`. */
  brokerCapacityOf(broker: number, resource: Resource): number {
    return this.brokerCapacity[broker * R + resource]!;
  }

  /** Disk index of the log directory `path` on `broker`, or -1 when the broker has no such directory. O(disks). */
  diskIndex(broker: number, path: string): number {
    for (let d = 0; d < this.diskCount; d++) {
      if (this.diskBroker[d] === broker && this.tables.diskPaths[d] === path) return d;
    }
    return -1;
  }

  /** The log directory path of a disk. */
  diskPath(disk: number): string {
    return this.tables.diskPaths[disk]!;
  }

  /** True when the disk is usable (Kafka does not report it offline and no one marked it dead). */
  isDiskAlive(disk: number): boolean {
    return this.diskAlive[disk] === 1;
  }

  /** True when the replica is its partition's leader. */
  isLeader(replica: number): boolean {
    return this.partitionLeader[this.replicaPartition[replica]!] === replica;
  }

  /** The load of a replica for one resource: its partition's leader or follower load. */
  replicaLoad(replica: number, resource: Resource): number {
    const partition = this.replicaPartition[replica]!;
    const loads = this.partitionLeader[partition] === replica ? this.leaderLoad : this.followerLoad;
    return loads[partition * R + resource]!;
  }

  /** The replica of `partition` on `broker`, or -1. O(replication factor). */
  replicaOnBroker(partition: number, broker: number): number {
    const end = this.partitionReplicaStart[partition + 1]!;
    for (let r = this.partitionReplicaStart[partition]!; r < end; r++) {
      if (this.replicaBroker[r] === broker) return r;
    }
    return -1;
  }

  /**
   * Load over capacity of a broker for one resource (1 = full). A zero capacity gives
   * `Infinity` when loaded and 0 when empty, so goals treat it as "cannot take anything".
   */
  brokerUtilization(broker: number, resource: Resource): number {
    const load = this.brokerLoad[broker * R + resource]!;
    const capacity = this.brokerCapacity[broker * R + resource]!;
    if (capacity > 0) return load / capacity;
    return load > 0 ? Infinity : 0;
  }

  /**
   * Moves a replica to another broker, onto `toDisk` or to an unknown disk (-1). The replica
   * keeps its role, so moving a leader moves the leader load. O(resources).
   * @throws DuplicateReplicaError when the partition already has a replica on `toBroker`
   *   (including the replica itself: use `moveReplicaToDisk` within a broker).
   * @throws DiskNotOnBrokerError when `toDisk` is not -1 and not on `toBroker`.
   * @throws InvalidModelOperationError when an index is out of range.
   */
  moveReplica(replica: number, toBroker: number, toDisk = -1): void {
    this.checkIndex('replica', replica, this.replicaCount);
    this.checkIndex('broker', toBroker, this.brokerCount);
    if (toDisk !== -1) {
      this.checkIndex('disk', toDisk, this.diskCount);
      if (this.diskBroker[toDisk] !== toBroker) throw new DiskNotOnBrokerError(toDisk, toBroker);
    }
    const partition = this.replicaPartition[replica]!;
    if (this.replicaOnBroker(partition, toBroker) !== -1) throw new DuplicateReplicaError(partition, toBroker);
    this.record(OP_MOVE, replica, this.replicaBroker[replica]!, this.replicaDisk[replica]!);
    this.relocate(replica, toBroker, toDisk);
  }

  /**
   * Moves a replica to another disk of the broker it is on (an intra-broker move); moving it to
   * the disk it is already on does nothing.
   * @throws DiskNotOnBrokerError when `toDisk` is not on the replica's broker.
   * @throws InvalidModelOperationError when an index is out of range.
   */
  moveReplicaToDisk(replica: number, toDisk: number): void {
    this.checkIndex('replica', replica, this.replicaCount);
    this.checkIndex('disk', toDisk, this.diskCount);
    const broker = this.replicaBroker[replica]!;
    if (this.diskBroker[toDisk] !== broker) throw new DiskNotOnBrokerError(toDisk, broker);
    const fromDisk = this.replicaDisk[replica]!;
    if (fromDisk === toDisk) return;
    this.record(OP_MOVE, replica, broker, fromDisk);
    this.relocate(replica, broker, toDisk);
  }

  /**
   * Exchanges the placements (broker and disk) of two replicas of different partitions on
   * different brokers; each keeps its role. Recorded as two moves.
   * @throws DuplicateReplicaError when either partition already has a replica on the other broker.
   * @throws InvalidModelOperationError when the replicas share a partition or a broker, or an index is out of range.
   */
  swapReplicas(a: number, b: number): void {
    this.checkIndex('replica', a, this.replicaCount);
    this.checkIndex('replica', b, this.replicaCount);
    const partitionA = this.replicaPartition[a]!;
    const partitionB = this.replicaPartition[b]!;
    const brokerA = this.replicaBroker[a]!;
    const brokerB = this.replicaBroker[b]!;
    if (partitionA === partitionB) throw new InvalidModelOperationError(`replicas ${a} and ${b} share a partition`);
    if (brokerA === brokerB) throw new InvalidModelOperationError(`replicas ${a} and ${b} share a broker`);
    if (this.replicaOnBroker(partitionA, brokerB) !== -1) throw new DuplicateReplicaError(partitionA, brokerB);
    if (this.replicaOnBroker(partitionB, brokerA) !== -1) throw new DuplicateReplicaError(partitionB, brokerA);
    const diskA = this.replicaDisk[a]!;
    const diskB = this.replicaDisk[b]!;
    this.record(OP_MOVE, a, brokerA, diskA);
    this.relocate(a, brokerB, diskB);
    this.record(OP_MOVE, b, brokerB, diskB);
    this.relocate(b, brokerA, diskA);
  }

  /**
   * Makes `toReplica` the leader of `partition` (the old leader becomes a follower, loads and
   * leader counts follow). Works on offline partitions too; giving it to the current leader does
   * nothing. Whether the target broker may lead is the goals' call, not the model's.
   * @throws InvalidModelOperationError when `toReplica` is not a replica of `partition`.
   */
  moveLeadership(partition: number, toReplica: number): void {
    this.checkIndex('partition', partition, this.partitionCount);
    this.checkIndex('replica', toReplica, this.replicaCount);
    if (this.replicaPartition[toReplica] !== partition) {
      throw new InvalidModelOperationError(`replica ${toReplica} is not a replica of partition ${partition}`);
    }
    const from = this.partitionLeader[partition]!;
    if (from === toReplica) return;
    this.record(OP_LEAD, partition, from, 0);
    this.setLeader(partition, toReplica);
  }

  /**
   * Takes a broker out of service (a broker being removed): goals move every replica off it and
   * none onto it. Not journaled, so {@link undoTo} keeps it; set it before goals first read the
   * model, since goal helpers cache which brokers are dead once per model. No load moves: the
   * replicas are still where they are until a goal moves them.
   * @throws InvalidModelOperationError when the index is out of range.
   */
  markBrokerDead(broker: number): void {
    this.checkIndex('broker', broker, this.brokerCount);
    this.brokerState[broker]! &= ~BrokerState.ALIVE;
  }

  /**
   * ORs `BrokerState` flags into a broker's state (new, demoted, excluded for leadership or
   * replica moves). Not journaled; set flags before goals read the model, as for {@link markBrokerDead}.
   * @throws InvalidModelOperationError when the index is out of range.
   */
  setBrokerFlag(broker: number, flag: number): void {
    this.checkIndex('broker', broker, this.brokerCount);
    this.brokerState[broker]! |= flag;
  }

  /**
   * Takes a disk out of service (a log directory being removed): no replica may move onto it.
   * Its replicas and `diskLoadMb` stay until they are moved off. Not journaled.
   * @throws InvalidModelOperationError when the index is out of range.
   */
  markDiskDead(disk: number): void {
    this.checkIndex('disk', disk, this.diskCount);
    this.diskAlive[disk] = 0;
  }

  /** A position in the undo journal to come back to with {@link undoTo}; 0 is the original. */
  mark(): number {
    return this.journal.length / ENTRY;
  }

  /**
   * Undoes, newest first, every operation since `mark`. O(operations undone).
   * @throws InvalidModelOperationError when `mark` is not a position of the journal.
   */
  undoTo(mark: number): void {
    const current = this.mark();
    if (!Number.isInteger(mark) || mark < 0 || mark > current) {
      throw new InvalidModelOperationError(`undo mark ${mark} is not in [0, ${current}]`);
    }
    const journal = this.journal;
    for (let at = (current - 1) * ENTRY; at >= mark * ENTRY; at -= ENTRY) {
      if (journal.get(at) === OP_MOVE) this.relocate(journal.get(at + 1), journal.get(at + 2), journal.get(at + 3));
      else this.setLeader(journal.get(at + 1), journal.get(at + 2));
    }
    journal.truncate(mark * ENTRY);
  }

  /**
   * Every array of the model as it is now (not copies): what a worker thread needs, with
   * {@link tables}, to rebuild the same model with `new ClusterModel(tables, arrays)`.
   */
  toArrays(): ModelArrays {
    return {
      brokerRack: this.brokerRack,
      brokerState: this.brokerState,
      brokerCapacity: this.brokerCapacity,
      diskBroker: this.diskBroker,
      diskCapacityMb: this.diskCapacityMb,
      diskAlive: this.diskAlive,
      partitionTopic: this.partitionTopic,
      partitionNumber: this.partitionNumber,
      partitionReplicaStart: this.partitionReplicaStart,
      replicaPartition: this.replicaPartition,
      replicaBroker: this.replicaBroker,
      replicaDisk: this.replicaDisk,
      originalBroker: this.originalBroker,
      originalDisk: this.originalDisk,
      partitionLeader: this.partitionLeader,
      originalLeader: this.originalLeader,
      leaderLoad: this.leaderLoad,
      followerLoad: this.followerLoad,
      brokerLoad: this.brokerLoad,
      rackLoad: this.rackLoad,
      diskLoadMb: this.diskLoadMb,
      brokerReplicaCount: this.brokerReplicaCount,
      brokerLeaderCount: this.brokerLeaderCount,
    };
  }

  /**
   * An independent copy: mutable arrays and the journal are copied with `.slice()`; the name
   * tables and the fixed arrays (structure, loads, originals) are shared since nothing writes them.
   */
  clone(): ClusterModel {
    return new ClusterModel(
      this.tables,
      {
        brokerRack: this.brokerRack,
        brokerState: this.brokerState.slice(),
        brokerCapacity: this.brokerCapacity.slice(),
        diskBroker: this.diskBroker,
        diskCapacityMb: this.diskCapacityMb.slice(),
        diskAlive: this.diskAlive.slice(),
        partitionTopic: this.partitionTopic,
        partitionNumber: this.partitionNumber,
        partitionReplicaStart: this.partitionReplicaStart,
        replicaPartition: this.replicaPartition,
        replicaBroker: this.replicaBroker.slice(),
        replicaDisk: this.replicaDisk.slice(),
        originalBroker: this.originalBroker,
        originalDisk: this.originalDisk,
        partitionLeader: this.partitionLeader.slice(),
        originalLeader: this.originalLeader,
        leaderLoad: this.leaderLoad,
        followerLoad: this.followerLoad,
        brokerLoad: this.brokerLoad.slice(),
        rackLoad: this.rackLoad.slice(),
        diskLoadMb: this.diskLoadMb.slice(),
        brokerReplicaCount: this.brokerReplicaCount.slice(),
        brokerLeaderCount: this.brokerLeaderCount.slice(),
      },
      this.journal.clone(),
    );
  }

  /**
   * Recomputes every aggregate from the placement, discarding the rounding that millions of
   * incremental float additions accumulate. O(replicas); the journal is kept.
   */
  resyncAggregates(): void {
    const fresh = computeAggregates(this, this.rackCount);
    this.brokerLoad.set(fresh.brokerLoad);
    this.rackLoad.set(fresh.rackLoad);
    this.diskLoadMb.set(fresh.diskLoadMb);
    this.brokerReplicaCount.set(fresh.brokerReplicaCount);
    this.brokerLeaderCount.set(fresh.brokerLeaderCount);
  }

  /** The proposal: partitions whose replica brokers, disks or leader differ from the original. */
  diff(): PartitionMove[] {
    return diffModel(this, this.tables);
  }

  // Moves a replica with its current role's load; no checks, no journal (undo uses it too).
  private relocate(replica: number, toBroker: number, toDisk: number): void {
    const partition = this.replicaPartition[replica]!;
    const leader = this.partitionLeader[partition] === replica;
    const loads = leader ? this.leaderLoad : this.followerLoad;
    const fromBroker = this.replicaBroker[replica]!;
    const fromDisk = this.replicaDisk[replica]!;
    if (fromBroker !== toBroker) {
      const fromRack = this.brokerRack[fromBroker]!;
      const toRack = this.brokerRack[toBroker]!;
      for (let k = 0; k < R; k++) {
        const value = loads[partition * R + k]!;
        this.brokerLoad[fromBroker * R + k]! -= value;
        this.brokerLoad[toBroker * R + k]! += value;
        this.rackLoad[fromRack * R + k]! -= value;
        this.rackLoad[toRack * R + k]! += value;
      }
      this.brokerReplicaCount[fromBroker]!--;
      this.brokerReplicaCount[toBroker]!++;
      if (leader) {
        this.brokerLeaderCount[fromBroker]!--;
        this.brokerLeaderCount[toBroker]!++;
      }
      this.replicaBroker[replica] = toBroker;
    }
    if (fromDisk !== toDisk) {
      const diskMb = loads[partition * R + Resource.DISK]!;
      if (fromDisk >= 0) this.diskLoadMb[fromDisk]! -= diskMb;
      if (toDisk >= 0) this.diskLoadMb[toDisk]! += diskMb;
      this.replicaDisk[replica] = toDisk;
    }
  }

  // Hands leadership to `toReplica` (-1: offline), swapping the two replicas' role loads.
  private setLeader(partition: number, toReplica: number): void {
    const from = this.partitionLeader[partition]!;
    if (from >= 0) this.changeRole(partition, from, this.leaderLoad, this.followerLoad, -1);
    if (toReplica >= 0) this.changeRole(partition, toReplica, this.followerLoad, this.leaderLoad, 1);
    this.partitionLeader[partition] = toReplica;
  }

  private changeRole(
    partition: number,
    replica: number,
    before: Float64Array,
    after: Float64Array,
    leaders: number,
  ): void {
    const broker = this.replicaBroker[replica]!;
    const rack = this.brokerRack[broker]!;
    for (let k = 0; k < R; k++) {
      const delta = after[partition * R + k]! - before[partition * R + k]!;
      this.brokerLoad[broker * R + k]! += delta;
      this.rackLoad[rack * R + k]! += delta;
    }
    const disk = this.replicaDisk[replica]!;
    if (disk >= 0)
      this.diskLoadMb[disk]! += after[partition * R + Resource.DISK]! - before[partition * R + Resource.DISK]!;
    this.brokerLeaderCount[broker]! += leaders;
  }

  private record(kind: number, a: number, b: number, c: number): void {
    const journal = this.journal;
    journal.push(kind);
    journal.push(a);
    journal.push(b);
    journal.push(c);
  }

  private checkIndex(what: string, index: number, count: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new InvalidModelOperationError(`${what} index ${index} is not in [0, ${count})`);
    }
  }
}
