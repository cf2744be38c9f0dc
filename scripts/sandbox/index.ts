// The local sandbox: a real KRaft Kafka cluster and a private Redis, for the demo and the tests.
export {
  DEFAULT_KAFKA_4_VERSION,
  DEFAULT_KAFKA_VERSION,
  JMX_EXPORTER_VERSION,
  ensureKafkaArtifacts,
} from './artifacts.js';
export {
  KafkaSandbox,
  type KafkaSandboxOptions,
  type SandboxBroker,
  type SandboxDescription,
} from './kafka-sandbox.js';
export {
  type ClusterMetadata,
  type MetadataBroker,
  type PartitionMetadata,
  type TopicMetadata,
} from './metadata-probe.js';
export { freePort, listenerPortRange, ProcessGroup, waitFor } from './processes.js';
export { RedisSandbox, ensureRedisServerInstalled } from './redis-sandbox.js';
export { type ProduceOptions, type ProduceResult } from './traffic.js';
export { PrometheusSandbox, ensurePrometheusInstalled, type PrometheusSandboxOptions } from './prometheus-sandbox.js';
