// Cross-cutting pieces every stage uses: the error base class and the JSON logger.
export { BallastError, describeError, withTimeout, type BallastErrorOptions } from './ballast.error.js';
export { JsonLogger, type LogLevel } from './json.logger.js';
export { getOrInsert } from './collections.js';
export { topicPartitionName } from './topic-partition.js';
