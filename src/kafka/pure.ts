// The Kafka stage's pure part, a second public entry beside index.ts: the cluster snapshot as plain
// data and the helpers that read partition status off it. The pure core (the detectors) imports
// this; index.ts adds the gateways and the Nest module, which load kafkajs (.dependency-cruiser.cjs).
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
