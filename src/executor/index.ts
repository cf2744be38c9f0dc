// Executor: applies proposals as throttled, queued reassignments. So far the pure parts: the
// planner (tasks, phases, limits, movement strategies, the N-1 start rule) and the throttle plan
// (which configs to set and clear, adaptive rates); the BullMQ processor, the throttle service that
// applies the plan and the state store are not built yet.
export { ExecutorModule } from './executor.module.js';
export { ExecutionEngine, type StepResult } from './execution-engine.js';
export {
  ExecutionStore,
  InMemoryExecutionStore,
  type ExecutionOptions,
  type ExecutionRecord,
  type ExecutionStatus,
  type TaskRecord,
} from './execution-record.js';
export { ExecutionInProgressError } from './executor.errors.js';
export * from './planner/index.js';
export * from './throttle/index.js';
