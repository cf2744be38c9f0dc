// Errors of the one-shot operations (demote_broker, topic_configuration): each names the request
// parameter at fault, as Cruise Control's parameters are spelled, so the API can point at it.
import { BallastError } from '../../common/pure.js';

/**
 * Thrown when `replication_factor` is not a whole number of at least 1, or asks for more replicas
 * than the cluster has alive brokers eligible to hold them. Not retryable as it stands (bringing
 * brokers back may make the second case succeed).
 */
export class InvalidReplicationFactorError extends BallastError {
  readonly code = 'INVALID_REPLICATION_FACTOR';
  readonly parameter = 'replication_factor';

  constructor(
    readonly replicationFactor: number,
    /** Alive brokers that may hold a replica, when the factor is too high for them. */
    readonly eligibleBrokers?: number,
  ) {
    super(
      eligibleBrokers === undefined
        ? `Parameter 'replication_factor' must be a whole number of at least 1, not ${replicationFactor}`
        : `Parameter 'replication_factor' is ${replicationFactor} but only ${eligibleBrokers} alive broker(s) may hold a replica`,
    );
  }
}

/** Thrown when the `topic` pattern matches no topic of the cluster. Not retryable. */
export class NoMatchingTopicError extends BallastError {
  readonly code = 'NO_MATCHING_TOPIC';
  readonly parameter = 'topic';

  constructor(readonly pattern: string) {
    super(`Parameter 'topic' (${pattern}) matches no topic of the cluster`);
  }
}

/**
 * Thrown when lowering the replication factor would leave topics with fewer replicas than their
 * min.insync.replicas, so producers with acks=all could no longer write. Names the topics. Not
 * retryable; the caller may allow it explicitly.
 */
export class BelowMinInsyncReplicasError extends BallastError {
  readonly code = 'BELOW_MIN_INSYNC_REPLICAS';
  readonly parameter = 'replication_factor';

  constructor(
    readonly replicationFactor: number,
    readonly topics: readonly { topic: string; minInsyncReplicas: number }[],
  ) {
    super(
      `Parameter 'replication_factor' ${replicationFactor} is below min.insync.replicas of ` +
        topics.map((t) => `${t.topic} (${t.minInsyncReplicas})`).join(', '),
    );
  }
}

/**
 * Thrown when `replication_factor` exceeds the number of racks with alive brokers, so some
 * partition would hold two replicas in one rack (Cruise Control's rack-awareness check; the
 * request may skip it with `skip_rack_awareness_check=true`). Not retryable as it stands.
 */
export class ReplicationFactorAboveRacksError extends BallastError {
  readonly code = 'REPLICATION_FACTOR_ABOVE_RACKS';
  readonly parameter = 'replication_factor';

  constructor(
    readonly replicationFactor: number,
    readonly racks: number,
  ) {
    super(
      `Parameter 'replication_factor' is ${replicationFactor} but alive brokers span only ${racks} rack(s): ` +
        `some partition would keep two replicas in one rack (pass skip_rack_awareness_check=true to accept that)`,
    );
  }
}
