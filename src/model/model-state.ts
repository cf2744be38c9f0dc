// The shape of a model's data: immutable name tables shared by clones, and the flat typed arrays.

/**
 * Names and Kafka ids, the only place where edge identifiers live. Built once, never changed,
 * shared by a model and all its clones.
 */
export interface ModelTables {
  /** Rack names by rack index. */
  readonly rackNames: readonly string[];
  /** Kafka broker id by broker index. */
  readonly brokerKafkaIds: readonly number[];
  /** Broker index by Kafka broker id. */
  readonly brokerIndexByKafkaId: ReadonlyMap<number, number>;
  /** Log directory path by disk index. */
  readonly diskPaths: readonly string[];
  /** Topic names by topic index. */
  readonly topicNames: readonly string[];
  /** Topic index by topic name. */
  readonly topicIndexByName: ReadonlyMap<string, number>;
}

/**
 * Every typed array of a model. Arrays marked "fixed" are never written after `build()` and are
 * shared between clones; the others are copied by `clone()`. `R` below is `RESOURCE_COUNT`.
 */
export interface ModelArrays {
  /** Rack index by broker index (fixed). */
  brokerRack: Int32Array;
  /** `BrokerState` bit flags by broker index. */
  brokerState: Uint8Array;
  /** Capacity by `broker * R + resource`, in the units of `Resource`. */
  brokerCapacity: Float64Array;
  /** Broker index by disk index (fixed). */
  diskBroker: Int32Array;
  /** Disk capacity in MB by disk index. */
  diskCapacityMb: Float64Array;
  /** 1 when the disk is usable, 0 when Kafka reports it offline. */
  diskAlive: Uint8Array;
  /** Topic index by partition index (fixed). */
  partitionTopic: Int32Array;
  /** Kafka partition number by partition index (fixed). */
  partitionNumber: Int32Array;
  /** CSR offsets, length P+1: replicas of partition p are `[start[p], start[p+1])`, in Kafka's order (fixed). */
  partitionReplicaStart: Int32Array;
  /** Partition index by replica index (fixed). */
  replicaPartition: Int32Array;
  /** Current broker index by replica index. */
  replicaBroker: Int32Array;
  /** Current disk index by replica index, -1 when unknown (no JBOD data). */
  replicaDisk: Int32Array;
  /** Broker index by replica index before any operation (fixed). */
  originalBroker: Int32Array;
  /** Disk index by replica index before any operation, or -1 (fixed). */
  originalDisk: Int32Array;
  /** Leader replica index by partition index, -1 when the partition is offline. */
  partitionLeader: Int32Array;
  /** Leader replica index by partition index before any operation, or -1 (fixed). */
  originalLeader: Int32Array;
  /** Load of the leader replica by `partition * R + resource` (fixed). */
  leaderLoad: Float64Array;
  /** Load of each follower replica by `partition * R + resource` (fixed). */
  followerLoad: Float64Array;
  /** Sum of the loads of the replicas on each broker, by `broker * R + resource`. */
  brokerLoad: Float64Array;
  /** Sum of the loads of the replicas in each rack, by `rack * R + resource`. */
  rackLoad: Float64Array;
  /** Sum of the DISK loads (MB) of the replicas placed on each disk. */
  diskLoadMb: Float64Array;
  /** Number of replicas by broker index. */
  brokerReplicaCount: Int32Array;
  /** Number of leader replicas by broker index. */
  brokerLeaderCount: Int32Array;
}

/** The aggregate arrays of {@link ModelArrays}, which operations keep up to date. */
export type ModelAggregates = Pick<
  ModelArrays,
  'brokerLoad' | 'rackLoad' | 'diskLoadMb' | 'brokerReplicaCount' | 'brokerLeaderCount'
>;
