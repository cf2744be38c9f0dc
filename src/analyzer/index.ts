// Analyzer: runs the goals in goals/ over the workload model into proposals (a pure optimizer, and
// the service behind GET /proposals).
export { AnalyzerModule } from './analyzer.module.js';
export { AnalyzerService } from './analyzer.service.js';
export type {
  DemotionRequest,
  FallbackGoals,
  Proposal,
  ProposalComputation,
  ProposalRequest,
  ReplicationFactorRequest,
} from './proposal.js';
export {
  BelowMinInsyncReplicasError,
  InvalidReplicationFactorError,
  NoMatchingTopicError,
  ReplicationFactorAboveRacksError,
} from './operations/index.js';
export { UnknownBrokerError, UnknownGoalError, UnknownLogDirError, type BrokerRole } from './analyzer.errors.js';
export { GoalRegistry, isGoal, readBrokerSets } from './goal-registry.js';
export { clusterModelStats, type ClusterModelStats, type StatsValues } from './cluster-model-stats.js';
export { balancednessScore, PRIORITY_WEIGHT, STRICTNESS_WEIGHT } from './balancedness.js';
export { DiskRemovalError, DrainError, drainDeadBrokers, drainRemovedDisks, replicasOnDeadBrokers } from './drain.js';
export { estimatedExecutionMs, transferLoad, type TransferLoad } from './execution-estimate.js';
export { failureBudgetReport, type FailureBudgetReport, type FailureCase } from './failure-budget.js';
export { optimalityBound, type OptimalityBound, type OptimalityBoundOptions } from './optimality-bound.js';
export { OptimizerThread, type OptimizerRun } from './optimizer-thread.js';
export {
  HardGoalViolationError,
  optimize,
  type GoalReport,
  type OptimizationOptions,
  type OptimizationResult,
} from './optimizer.js';
