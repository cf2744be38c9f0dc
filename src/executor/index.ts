// Executor: applies proposals as throttled, queued reassignments. The pure planner (tasks, phases,
// limits, movement strategies, the N-1 start rule) and throttle plan, the engine that steps an
// execution from what Kafka says, its store in Redis, and the service that drives it with BullMQ.
export { ExecutorModule } from './executor.module.js';
export { ExecutionEngine, type ExecutionEngineOptions, type StepResult } from './execution-engine.js';
export {
  ExecutionStore,
  InMemoryExecutionStore,
  type ExecutionOptions,
  type ExecutionRecord,
  type ExecutionStatus,
  type TaskRecord,
} from './execution-record.js';
export { ExecutionInProgressError } from './executor.errors.js';
export { ExecutorService } from './executor.service.js';
export {
  executionOptionsOf,
  partitionFactsOf,
  type ExecutableProposal,
  type ExecutionOverrides,
} from './proposal-execution.js';
export { executorState, type ExecutorStateJson } from './executor-state.js';
export * from './planner/index.js';
export * from './throttle/index.js';
