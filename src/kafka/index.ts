// Kafka gateway: everything Ballast reads from or does to a Kafka cluster passes through here.
// The snapshot's plain data and pure helpers (pure.ts, which the pure core imports instead).
export * from './pure.js';
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
