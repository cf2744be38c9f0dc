// The pure planner of the executor: tasks from a proposal, their order and when each may start.
export {
  DEFAULT_MOVEMENT_LIMITS,
  ExecutionPlanner,
  safeToStart,
  type ExecutionPhase,
  type HeldTask,
  type MovementLimits,
} from './execution-planner.js';
export {
  taskPartition,
  tasksFromProposals,
  type ExecutionTask,
  type PartitionFacts,
  type TaskKind,
  type TaskState,
} from './execution-task.js';
export {
  chainStrategies,
  isReplicaMovementStrategy,
  REPLICA_MOVEMENT_STRATEGIES,
  type HealthOf,
  type PartitionHealth,
  type ReplicaMovementStrategyName,
} from './replica-movement-strategy.js';
