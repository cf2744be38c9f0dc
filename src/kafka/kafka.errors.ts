// Errors of the Kafka gateway. Each says what was asked; batch actions report per-partition
// results instead of throwing, so these are for requests that failed as a whole.
import { BallastError } from '../common/index.js';

/** Thrown when no broker of the configured cluster answered in time. Retryable. */
export class KafkaUnavailableError extends BallastError {
  readonly code = 'KAFKA_UNAVAILABLE';

  constructor(
    readonly bootstrapServers: readonly string[],
    reason: string,
    cause?: unknown,
  ) {
    super(`Kafka (${bootstrapServers.join(',')}) is not reachable: ${reason}`, { cause, retryable: true });
  }
}

/** Thrown when Kafka answered a whole request with an error (Kafka's error name in `kafkaError`). */
export class KafkaRequestError extends BallastError {
  readonly code: string = 'KAFKA_REQUEST_FAILED';

  constructor(
    /** What was asked, e.g. "ElectLeaders to the controller". */
    readonly request: string,
    /** Kafka's error name, e.g. NOT_CONTROLLER, CLUSTER_AUTHORIZATION_FAILED. */
    readonly kafkaError: string,
    message: string,
    cause?: unknown,
    retryable = false,
  ) {
    super(`${request} failed with ${kafkaError}: ${message}`, { cause, retryable });
  }
}

/** Thrown when the request reached a broker that is not (or no longer) the controller. Retryable. */
export class NotControllerError extends KafkaRequestError {
  override readonly code = 'KAFKA_NOT_CONTROLLER';

  constructor(request: string, cause?: unknown) {
    super(request, 'NOT_CONTROLLER', 'the controller moved; retry after refreshing metadata', cause, true);
  }
}

/** Thrown when a broker does not serve the request version Ballast speaks. Not retryable. */
export class UnsupportedKafkaVersionError extends BallastError {
  readonly code = 'KAFKA_VERSION_UNSUPPORTED';

  constructor(apiName: string, version: number, sinceKafka: string, brokerId: number) {
    super(`broker ${brokerId} does not serve ${apiName} v${version}; Ballast needs Kafka ${sinceKafka} or newer`);
  }
}
