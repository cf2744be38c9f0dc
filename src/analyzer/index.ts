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
export { DiskRemovalError, DrainError, drainDeadBrokers, drainRemovedDisks, replicasOnDeadBrokers } from './drain.js';
export { estimatedExecutionMs, transferLoad, type TransferLoad } from './execution-estimate.js';
export { failureBudgetReport, type FailureBudgetReport, type FailureCase } from './failure-budget.js';
export { optimalityBound, type OptimalityBound, type OptimalityBoundOptions } from './optimality-bound.js';
export { OptimizerThread, type OptimizerRun } from './optimizer-thread.js';
// The pure part (optimizer, balancedness score), also an entry of its own for the pure core.
export * from './pure.js';
