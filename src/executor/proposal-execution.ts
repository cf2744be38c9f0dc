// How a proposal becomes an execution, shared by the API's proposal-executing POSTs and the anomaly
// detector's self-healing: the request's overrides filled from the executor's defaults, and each
// partition's size read from the model the proposal was made on. Pure.
import { topicPartitionName } from '../common/index.js';
import type { ClusterModel, PartitionMove } from '../model/index.js';
import type { ExecutionOptions } from './execution-record.js';
import type { PartitionFacts, ReplicaMovementStrategyName } from './planner/index.js';

/** The part of the analyzer's Proposal the executor reads: the model it was made on and its partition moves. */
export interface ExecutableProposal {
  before: { model: ClusterModel };
  result: { proposals: readonly PartitionMove[] };
}

/** Per-request changes to the executor's defaults; absent fields keep the default. */
export interface ExecutionOverrides {
  concurrentPartitionMovementsPerBroker?: number;
  maxPartitionMovementsInCluster?: number;
  concurrentIntraBrokerPartitionMovements?: number;
  concurrentLeaderMovements?: number;
  /** Empty or absent: the configured strategies. */
  strategies?: readonly ReplicaMovementStrategyName[];
  /** An explicit rate makes the throttle static at that rate. */
  replicationThrottleBytesPerSecond?: number;
  /**
   * False when the request turned the throttle off for this operation (no throttle at all).
   * @defaultValue true
   */
  throttle?: boolean;
}

/** The executor's defaults with a request's overrides applied. */
export function executionOptionsOf(defaults: ExecutionOptions, overrides: ExecutionOverrides = {}): ExecutionOptions {
  const throttle = overrides.throttle ?? true;
  const strategies = overrides.strategies ?? [];
  return {
    ...defaults,
    limits: {
      concurrentPartitionMovementsPerBroker:
        overrides.concurrentPartitionMovementsPerBroker ?? defaults.limits.concurrentPartitionMovementsPerBroker,
      maxPartitionMovementsInCluster:
        overrides.maxPartitionMovementsInCluster ?? defaults.limits.maxPartitionMovementsInCluster,
      concurrentIntraBrokerPartitionMovements:
        overrides.concurrentIntraBrokerPartitionMovements ?? defaults.limits.concurrentIntraBrokerPartitionMovements,
      concurrentLeaderMovements: overrides.concurrentLeaderMovements ?? defaults.limits.concurrentLeaderMovements,
    },
    strategies: strategies.length > 0 ? [...strategies] : defaults.strategies,
    // A rate named in the request, or no throttle at all, is static; otherwise the configured mode.
    throttleMode:
      overrides.replicationThrottleBytesPerSecond !== undefined || !throttle ? 'static' : defaults.throttleMode,
    replicationThrottleBytesPerSecond: throttle
      ? (overrides.replicationThrottleBytesPerSecond ?? defaults.replicationThrottleBytesPerSecond)
      : null,
  };
}

/** Each moved partition's replica size in bytes, from the model the proposal was made on. */
export function partitionFactsOf(
  proposal: ExecutableProposal,
): (topic: string, partition: number) => PartitionFacts | undefined {
  const model = proposal.before.model;
  const sizes = new Map(
    proposal.result.proposals.map((x) => [
      topicPartitionName(x.topic, x.partitionNumber),
      model.partitionSizeMb(x.partition) * 1024 * 1024,
    ]),
  );
  return (topic, partition) => ({ sizeBytes: sizes.get(topicPartitionName(topic, partition)) ?? 0 });
}
