// Executor (not built yet): applies proposals as throttled, queued reassignments.
export { ExecutorModule } from './executor.module.js';
