// Errors of the Kafka gateway.
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
