// Kafka gateway: everything Ballast reads from or does to a Kafka cluster passes through here.
export {
  BALLAST_THROTTLE_MARKER,
  isOffline,
  isUnderMinIsr,
  isUnderReplicated,
  logDirsUnknown,
  partitionStatus,
  settledReplicas,
  unansweredBrokers,
  type BrokerInfo,
  type BrokerThrottles,
  type ClusterSnapshot,
  type LogDirInfo,
  type OngoingReassignment,
  type PartitionInfo,
  compareNames,
  compareTopicPartition,
  type PartitionStatus,
  type ReplicaOnDisk,
  type TopicConfigs,
} from './cluster-snapshot.js';
export {
  KafkaGateway,
  type ActionResult,
  type ClusterSummary,
  type ConfigChange,
  type ConfigChangeResult,
  type ConfigOperation,
  type LogDirMove,
  type PartitionResult,
  type ReassignmentTarget,
  type SnapshotOptions,
  type TopicPartition,
} from './kafka.gateway.js';
export {
  KafkaRequestError,
  KafkaUnavailableError,
  NotControllerError,
  UnsupportedKafkaVersionError,
} from './kafka.errors.js';
export { KafkaModule } from './kafka.module.js';
