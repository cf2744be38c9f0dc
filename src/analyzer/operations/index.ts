// One-shot operations that build proposals directly rather than by optimizing: demote_broker and
// topic_configuration's replication-factor change.
export {
  demotionProposals,
  type DemotedBrokerSummary,
  type DemotionOptions,
  type DemotionResult,
  type DemotionSkipReason,
  type DemotionSummary,
  type SkippedPartition,
} from './demotion.js';
export {
  BelowMinInsyncReplicasError,
  InvalidReplicationFactorError,
  NoMatchingTopicError,
  ReplicationFactorAboveRacksError,
} from './operations.errors.js';
export {
  replicationFactorProposals,
  type ReplicationFactorOptions,
  type ReplicationFactorResult,
} from './replication-factor.js';
