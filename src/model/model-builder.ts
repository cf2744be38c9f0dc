// ModelBuilder: turns plain snapshot inputs (Kafka ids, names, paths) into a ClusterModel.
// This is the edge where Kafka ids become dense indices.
import { BrokerState } from './broker-state.js';
import { ClusterModel } from './cluster-model.js';
import { GrowableFloat64Array, GrowableInt32Array } from './growable-array.js';
import { ModelBuildError } from './model.errors.js';
import { RESOURCE_COUNT, type ResourceVector } from './resources.js';
import { topicPartitionName } from '../common/pure.js';

/** A broker as the snapshot describes it. */
export interface BrokerInput {
  /** Kafka broker id. */
  kafkaId: number;
  /** Rack name; a rack is created on first use. */
  rack: string;
  /** Capacity indexed by `Resource` (CPU %, KB/s, KB/s, MB). */
  capacity: ResourceVector;
  /** `BrokerState` bit flags. @defaultValue BrokerState.ALIVE */
  state?: number;
}

/** A log directory of a broker. */
export interface DiskInput {
  /** Kafka id of the broker owning the disk (added before). */
  broker: number;
  /** Log directory path, unique within its broker. */
  path: string;
  /** Capacity in MB. */
  capacityMb: number;
  /** False when Kafka reports the log dir offline. @defaultValue true */
  alive?: boolean;
}

/** Where one replica lives. */
export interface ReplicaInput {
  /** Kafka broker id. */
  broker: number;
  /** Log directory path on that broker, when known (JBOD). */
  disk?: string;
}

/** A partition with its replicas in Kafka's order and its role loads. */
export interface PartitionInput {
  /** Topic name; a topic is created on first use. */
  topic: string;
  /** Kafka partition number, unique within the topic. */
  partition: number;
  /** Replicas in Kafka's assignment order, on distinct brokers. */
  replicas: readonly ReplicaInput[];
  /** Position in `replicas` of the leader, -1 when the partition is offline. */
  leaderIndex: number;
  /** Load of the leader replica indexed by `Resource`. */
  leaderLoad: ResourceVector;
  /** Load of each follower replica indexed by `Resource`. */
  followerLoad: ResourceVector;
}

/**
 * Collects racks, brokers, disks and partitions into growable typed buffers, then `build()`s a
 * {@link ClusterModel}. No object is kept per replica or partition, so 2.8M replicas cost a few
 * dozen buffers. Add brokers before their disks, and both before the partitions using them.
 */
export class ModelBuilder {
  private readonly rackNames: string[] = [];
  private readonly rackIndex = new Map<string, number>();
  private readonly brokerKafkaIds: number[] = [];
  private readonly brokerIndex = new Map<number, number>();
  private readonly brokerRack: number[] = [];
  private readonly brokerState: number[] = [];
  private readonly brokerCapacity: number[] = [];
  private readonly diskBroker: number[] = [];
  private readonly diskPaths: string[] = [];
  private readonly diskCapacityMb: number[] = [];
  private readonly diskAlive: number[] = [];
  // Disk index by path, one map per broker index.
  private readonly disksByBroker: Map<string, number>[] = [];
  private readonly topicNames: string[] = [];
  private readonly topicIndex = new Map<string, number>();
  private readonly partitionTopic = new GrowableInt32Array();
  private readonly partitionNumber = new GrowableInt32Array();
  private readonly partitionReplicaStart = new GrowableInt32Array();
  private readonly partitionLeader = new GrowableInt32Array();
  private readonly replicaBroker = new GrowableInt32Array();
  private readonly replicaDisk = new GrowableInt32Array();
  private readonly leaderLoad = new GrowableFloat64Array();
  private readonly followerLoad = new GrowableFloat64Array();

  /** Adds a rack (idempotent) and returns its index. */
  addRack(name: string): number {
    const known = this.rackIndex.get(name);
    if (known !== undefined) return known;
    this.rackNames.push(name);
    this.rackIndex.set(name, this.rackNames.length - 1);
    return this.rackNames.length - 1;
  }

  /**
   * Adds a broker and returns its index.
   * @throws ModelBuildError when the Kafka id is already used or the capacity is not 4 numbers.
   */
  addBroker(input: BrokerInput): number {
    if (this.brokerIndex.has(input.kafkaId)) throw new ModelBuildError(`broker ${input.kafkaId} added twice`);
    checkVector(`capacity of broker ${input.kafkaId}`, input.capacity);
    const index = this.brokerKafkaIds.length;
    this.brokerKafkaIds.push(input.kafkaId);
    this.brokerIndex.set(input.kafkaId, index);
    this.brokerRack.push(this.addRack(input.rack));
    this.brokerState.push(input.state ?? BrokerState.ALIVE);
    for (let k = 0; k < RESOURCE_COUNT; k++) this.brokerCapacity.push(input.capacity[k]!);
    this.disksByBroker.push(new Map());
    return index;
  }

  /**
   * Adds a log directory and returns its disk index.
   * @throws ModelBuildError when the broker is unknown or already has this path.
   */
  addDisk(input: DiskInput): number {
    const broker = this.brokerOf(input.broker, `disk ${input.path}`);
    const disks = this.disksByBroker[broker]!;
    if (disks.has(input.path)) throw new ModelBuildError(`disk ${input.path} added twice on broker ${input.broker}`);
    const index = this.diskPaths.length;
    disks.set(input.path, index);
    this.diskBroker.push(broker);
    this.diskPaths.push(input.path);
    this.diskCapacityMb.push(input.capacityMb);
    this.diskAlive.push(input.alive === false ? 0 : 1);
    return index;
  }

  /**
   * Adds a partition and its replicas; returns the partition index.
   * @throws ModelBuildError when a broker or disk is unknown, two replicas share a broker,
   *   `leaderIndex` is out of range or a load is not 4 numbers.
   */
  addPartition(input: PartitionInput): number {
    const name = topicPartitionName(input.topic, input.partition);
    const replicas = input.replicas;
    if (input.leaderIndex < -1 || input.leaderIndex >= replicas.length || !Number.isInteger(input.leaderIndex)) {
      throw new ModelBuildError(`${name}: leaderIndex ${input.leaderIndex} is out of range`);
    }
    checkVector(`${name} leaderLoad`, input.leaderLoad);
    checkVector(`${name} followerLoad`, input.followerLoad);
    // Validate every replica before appending any, so a refused partition leaves no trace.
    const brokers: number[] = [];
    const disks: number[] = [];
    for (const replica of replicas) {
      const broker = this.brokerOf(replica.broker, name);
      if (brokers.includes(broker)) throw new ModelBuildError(`${name} has two replicas on broker ${replica.broker}`);
      let disk = -1;
      if (replica.disk !== undefined) {
        disk = this.disksByBroker[broker]!.get(replica.disk) ?? -1;
        if (disk < 0) throw new ModelBuildError(`${name}: broker ${replica.broker} has no disk ${replica.disk}`);
      }
      brokers.push(broker);
      disks.push(disk);
    }
    let topic = this.topicIndex.get(input.topic);
    if (topic === undefined) {
      topic = this.topicNames.length;
      this.topicNames.push(input.topic);
      this.topicIndex.set(input.topic, topic);
    }
    const first = this.replicaBroker.length;
    this.partitionTopic.push(topic);
    this.partitionNumber.push(input.partition);
    this.partitionReplicaStart.push(first);
    this.partitionLeader.push(input.leaderIndex < 0 ? -1 : first + input.leaderIndex);
    for (let i = 0; i < brokers.length; i++) {
      this.replicaBroker.push(brokers[i]!);
      this.replicaDisk.push(disks[i]!);
    }
    for (let k = 0; k < RESOURCE_COUNT; k++) {
      this.leaderLoad.push(input.leaderLoad[k]!);
      this.followerLoad.push(input.followerLoad[k]!);
    }
    return this.partitionTopic.length - 1;
  }

  /**
   * Freezes the inputs into a model whose original placement is the current one.
   * @throws ModelBuildError when a topic has the same partition number twice.
   */
  build(): ClusterModel {
    const partitionTopic = this.partitionTopic.toArray();
    const partitionNumber = this.partitionNumber.toArray();
    this.checkUniquePartitions(partitionTopic, partitionNumber);
    const partitionCount = partitionTopic.length;
    const replicaCount = this.replicaBroker.length;
    const partitionReplicaStart = new Int32Array(partitionCount + 1);
    partitionReplicaStart.set(this.partitionReplicaStart.toArray());
    partitionReplicaStart[partitionCount] = replicaCount;
    const replicaPartition = new Int32Array(replicaCount);
    for (let p = 0; p < partitionCount; p++) {
      replicaPartition.fill(p, partitionReplicaStart[p], partitionReplicaStart[p + 1]);
    }
    const replicaBroker = this.replicaBroker.toArray();
    const replicaDisk = this.replicaDisk.toArray();
    const partitionLeader = this.partitionLeader.toArray();
    return new ClusterModel(
      {
        rackNames: [...this.rackNames],
        brokerKafkaIds: [...this.brokerKafkaIds],
        brokerIndexByKafkaId: new Map(this.brokerIndex),
        diskPaths: [...this.diskPaths],
        topicNames: [...this.topicNames],
        topicIndexByName: new Map(this.topicIndex),
      },
      {
        brokerRack: Int32Array.from(this.brokerRack),
        brokerState: Uint8Array.from(this.brokerState),
        brokerCapacity: Float64Array.from(this.brokerCapacity),
        diskBroker: Int32Array.from(this.diskBroker),
        diskCapacityMb: Float64Array.from(this.diskCapacityMb),
        diskAlive: Uint8Array.from(this.diskAlive),
        partitionTopic,
        partitionNumber,
        partitionReplicaStart,
        replicaPartition,
        replicaBroker,
        replicaDisk,
        originalBroker: replicaBroker.slice(),
        originalDisk: replicaDisk.slice(),
        partitionLeader,
        originalLeader: partitionLeader.slice(),
        leaderLoad: this.leaderLoad.toArray(),
        followerLoad: this.followerLoad.toArray(),
      },
    );
  }

  private brokerOf(kafkaId: number, what: string): number {
    const broker = this.brokerIndex.get(kafkaId);
    if (broker === undefined) throw new ModelBuildError(`${what}: unknown broker ${kafkaId}`);
    return broker;
  }

  // One bit per (topic, partition number) in a flat buffer: O(P), no per-partition keys.
  private checkUniquePartitions(partitionTopic: Int32Array, partitionNumber: Int32Array): void {
    const topicSpan = new Int32Array(this.topicNames.length);
    for (let p = 0; p < partitionTopic.length; p++) {
      const number = partitionNumber[p]!;
      if (number < 0) throw new ModelBuildError(`${this.topicNames[partitionTopic[p]!]}: negative partition ${number}`);
      const topic = partitionTopic[p]!;
      topicSpan[topic] = Math.max(topicSpan[topic]!, number + 1);
    }
    const topicOffset = new Float64Array(topicSpan.length);
    let total = 0;
    for (let t = 0; t < topicSpan.length; t++) {
      topicOffset[t] = total;
      total += topicSpan[t]!;
    }
    const seen = new Uint8Array(total);
    for (let p = 0; p < partitionTopic.length; p++) {
      const topic = partitionTopic[p]!;
      const slot = topicOffset[topic]! + partitionNumber[p]!;
      if (seen[slot]) throw new ModelBuildError(`${this.topicNames[topic]}-${partitionNumber[p]} added twice`);
      seen[slot] = 1;
    }
  }
}

function checkVector(what: string, vector: ResourceVector): void {
  if (vector.length !== RESOURCE_COUNT) throw new ModelBuildError(`${what} must hold ${RESOURCE_COUNT} numbers`);
  for (let k = 0; k < RESOURCE_COUNT; k++) {
    if (!Number.isFinite(vector[k])) throw new ModelBuildError(`${what} holds a non-finite number`);
  }
}
