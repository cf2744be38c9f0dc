// Kafka gateway: everything Ballast reads from or does to a Kafka cluster passes through here.
export { KafkaConnection, type ClusterIdentity, type PartitionCount } from './kafka-connection.service.js';
export { KafkaUnavailableError } from './kafka.errors.js';
export { KafkaModule } from './kafka.module.js';
