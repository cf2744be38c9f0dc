// The analyzer's pure part, a second public entry beside index.ts: the optimizer and the score it
// reports, for the pure core (the goal-violation detector's dry run). index.ts exports the same
// names and adds the Nest service, the goal registry (node:fs) and the optimizer thread
// (node:worker_threads), which the core must not load (.dependency-cruiser.cjs).
export { balancednessScore, PRIORITY_WEIGHT, STRICTNESS_WEIGHT } from './balancedness.js';
export {
  HardGoalViolationError,
  optimize,
  type GoalReport,
  type OptimizationOptions,
  type OptimizationResult,
} from './optimizer.js';
