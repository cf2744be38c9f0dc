// Cross-cutting pieces every stage uses: the error base class, collections and Kafka's partition
// names (pure.ts, which the pure core imports instead of this file), and the JSON logger.
export * from './pure.js';
export { JsonLogger, type LogLevel } from './json.logger.js';
