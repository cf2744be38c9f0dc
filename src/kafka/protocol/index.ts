// Kafka admin requests kafkajs 2.2.4 lacks (or cannot express), on kafkajs's own protocol layer.
export { type ApiSpec, errorName, isRetriable, type ProtocolRequest } from './codec.js';
export {
  ALTER_PARTITION_REASSIGNMENTS,
  alterPartitionReassignmentsRequest,
  type PartitionReassignment,
} from './alter-partition-reassignments.js';
export { ALTER_REPLICA_LOG_DIRS, alterReplicaLogDirsRequest } from './alter-replica-log-dirs.js';
export { DESCRIBE_LOG_DIRS, describeLogDirsRequest, type DescribedLogDir } from './describe-log-dirs.js';
export { ELECT_LEADERS, electLeadersRequest } from './elect-leaders.js';
export {
  CONFIG_OPERATION,
  INCREMENTAL_ALTER_CONFIGS,
  incrementalAlterConfigsRequest,
  RESOURCE_TYPE,
  type ConfigResourceChange,
} from './incremental-alter-configs.js';
export { metadataRequest, type MetadataResponse } from './metadata.js';
