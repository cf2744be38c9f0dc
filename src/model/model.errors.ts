// Errors of the workload model: refused operations and invalid builder input.
// They extend BallastError (plain TypeScript, no I/O) so src/api maps them like every other error.
import { BallastError } from '../common/pure.js';

/** Thrown when a move would put a second replica of one partition on a broker. Not retryable. */
export class DuplicateReplicaError extends BallastError {
  readonly code = 'MODEL_DUPLICATE_REPLICA';

  constructor(
    /** The partition index whose replicas would collide. */
    readonly partition: number,
    /** The broker index that already hosts a replica of the partition. */
    readonly broker: number,
  ) {
    super(`partition ${partition} already has a replica on broker index ${broker}`);
  }
}

/** Thrown when a replica is sent to a disk that is not on the target broker. Not retryable. */
export class DiskNotOnBrokerError extends BallastError {
  readonly code = 'MODEL_DISK_NOT_ON_BROKER';

  constructor(
    /** The disk index asked for. */
    readonly disk: number,
    /** The broker index the replica would be on. */
    readonly broker: number,
  ) {
    super(`disk index ${disk} is not on broker index ${broker}`);
  }
}

/**
 * Thrown when an operation's arguments make no sense: an index out of range, a swap inside one
 * partition or one broker, leadership given to another partition's replica, an unknown undo mark.
 * It means a bug in the caller, not a state of the cluster. Not retryable.
 */
export class InvalidModelOperationError extends BallastError {
  readonly code = 'MODEL_INVALID_OPERATION';

  constructor(message: string) {
    super(message);
  }
}

/** Thrown by `ModelBuilder` when its input is inconsistent (unknown broker, duplicate id…). Not retryable. */
export class ModelBuildError extends BallastError {
  readonly code = 'MODEL_BUILD_INVALID';

  constructor(message: string) {
    super(message);
  }
}
