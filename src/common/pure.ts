// src/common's pure part, a second public entry beside index.ts: what the pure core (src/model,
// goals/, the analyzer's optimizer, the detectors) may load. index.ts adds the JSON logger (pino,
// Nest's LoggerService), which the core must not pull in (.dependency-cruiser.cjs).
export { BallastError, describeError, withTimeout, type BallastErrorOptions } from './ballast.error.js';
export { getOrInsert } from './collections.js';
export { topicPartitionName } from './topic-partition.js';
