// Executor: applies proposals as throttled, queued reassignments. So far the pure planner (tasks,
// phases, limits, movement strategies, the N-1 start rule); the BullMQ processor, throttles and
// state store are not built yet.
export { ExecutorModule } from './executor.module.js';
export * from './planner/index.js';
