// Analyzer: runs the goals in goals/ over the workload model into proposals (pure optimizer; the
// Nest service that serves /proposals is not built yet).
export { AnalyzerModule } from './analyzer.module.js';
export { balancednessScore, PRIORITY_WEIGHT, STRICTNESS_WEIGHT } from './balancedness.js';
export { failureBudgetReport, type FailureBudgetReport, type FailureCase } from './failure-budget.js';
export {
  HardGoalViolationError,
  optimize,
  type GoalReport,
  type OptimizationOptions,
  type OptimizationResult,
} from './optimizer.js';
