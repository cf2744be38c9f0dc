// What the analyzer is asked for and what it answers: the request shapes of each way to build a
// proposal, and the proposal itself (the model before and after, the goals' report, the bound).
import type { Workload } from '../monitor/index.js';
import type { OptimalityBound } from './optimality-bound.js';
import type { OptimizationResult } from './optimizer.js';

/**
 * Which goals run when a request names none: the configured default goals (`default`), only the
 * hard ones among them (`hard`: repairs that should move as little as possible), or none (`none`:
 * the drain steps only).
 */
export type FallbackGoals = 'default' | 'hard' | 'none';

/** An optimization: the goals over the workload, with brokers or disks to drain. */
export interface ProposalRequest {
  /** Goal names in priority order; {@link fallbackGoals} (or, with `rebalanceDisk`, the intra-broker goals) when absent. */
  goals?: string[];
  /** @defaultValue 'default' */
  fallbackGoals?: FallbackGoals;
  /** Log dirs to empty into the other dirs of their broker (`remove_disks`). */
  disksToRemove?: { brokerId: number; logDir: string }[];
  rebalanceDisk: boolean;
  excludedTopics?: RegExp;
  /** Kafka ids of the only brokers that may receive replicas. */
  destinationBrokerIds?: number[];
  /** Kafka ids of brokers to drain (`remove_broker`): every replica leaves them, none arrives. */
  brokersToRemove?: number[];
  allowCapacityEstimation: boolean;
  ignoreProposalCache: boolean;
  skipHardGoalCheck: boolean;
}

/** A demotion (`demote_broker`): leadership off the brokers, which go last in every replica list. */
export interface DemotionRequest {
  brokerIds: number[];
  skipUrpDemotion: boolean;
  excludeFollowerDemotion: boolean;
  allowCapacityEstimation: boolean;
  excludedTopics?: RegExp;
}

/** A replication-factor change (`topic_configuration`) of the matching topics. */
export interface ReplicationFactorRequest {
  /** Whole-name pattern, as Cruise Control matches `topic`. */
  topicPattern: RegExp;
  replicationFactor: number;
  allowCapacityEstimation: boolean;
  /** Kafka ids of brokers that must not receive a new replica. */
  excludedBrokers?: number[];
  /** Accept more replicas than racks (Cruise Control's `skip_rack_awareness_check`). */
  skipRackAwarenessCheck: boolean;
}

/** A proposal: the workload as the monitor saw it, the same with the new placement, and why. */
export interface Proposal {
  /** The model as the monitor saw it. */
  before: Workload;
  /** The same workload with the proposed placement. */
  after: Workload;
  result: OptimizationResult;
  /**
   * How far the bytes moved are from the least any plan must move to meet the DISK and NW_IN
   * bands the proposal met (an LP bound; skipped for large models or when no such band was met).
   */
  optimality: OptimalityBound & { movedMb: number; resources: string[] };
  goals: string[];
  computedAtMs: number;
  /** True when served from the cache. */
  fromCache: boolean;
}

/** One proposal computation, as told to `AnalyzerService.onComputation` listeners (metrics). */
export interface ProposalComputation {
  /** `optimize` (the goals ran), `demote_broker` or `topic_configuration`. */
  operation: 'optimize' | 'demote_broker' | 'topic_configuration';
  durationMs: number;
  /** The proposal when it was computed; absent when the computation threw. */
  proposal?: Proposal;
}
