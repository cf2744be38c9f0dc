// The contract every goal file implements, and the context the optimizer hands it: plain
// TypeScript over the ClusterModel, no I/O. A goal optimizes through `ctx.tryMove`, which applies a
// move only when it is legal and every goal optimized before accepts it.
import type { ClusterModel } from '../../src/model/index.js';

/** A change to the model a goal may propose. Indices are the model's, not Kafka ids. */
export type Move =
  /** Move a replica (keeping its role) to another broker, onto `toDisk` or an unknown disk (-1). */
  | { kind: 'replica'; replica: number; toBroker: number; toDisk: number }
  /** Make `toReplica` the leader of its partition. */
  | { kind: 'leadership'; partition: number; toReplica: number }
  /**
   * Exchange the brokers (and disks) of two replicas of different partitions on different brokers;
   * each keeps its role. Replica counts stay; loads move both ways.
   */
  | { kind: 'swap'; a: number; b: number }
  /** Move a replica to another disk (log dir) of the broker it is on (AlterReplicaLogDirs). */
  | { kind: 'disk'; replica: number; toDisk: number };

/** Thresholds and limits, Cruise Control's names and defaults. */
export interface GoalThresholds {
  /** Share of capacity a broker may use, per resource (CC: cpu 0.7, disk/network 0.8). */
  capacityThreshold: { cpu: number; networkInbound: number; networkOutbound: number; disk: number };
  /** A broker may be this many times the mean utilization (CC: *.balance.threshold 1.10). */
  balanceThreshold: { cpu: number; networkInbound: number; networkOutbound: number; disk: number };
  /** CC: replica.count.balance.threshold 1.10. */
  replicaCountBalanceThreshold: number;
  /** CC: leader.replica.count.balance.threshold 1.10. */
  leaderReplicaCountBalanceThreshold: number;
  /** CC: max.replicas.per.broker 10000. */
  maxReplicasPerBroker: number;
  /**
   * TopicReplicaDistributionGoal's band around each topic's mean replicas per broker (CC:
   * topic.replica.count.balance.threshold 3.00, .min.gap 2, .max.gap 40).
   */
  topicReplicaCountBalance: { threshold: number; minGap: number; maxGap: number };
  /**
   * MinTopicLeadersPerBrokerGoal: topics whose names match `topicPattern` (CC:
   * topics.with.min.leaders.per.broker, empty = none) need `minLeaders` leaders on every alive broker
   * (CC: min.topic.leaders.per.broker 1).
   */
  minTopicLeadersPerBroker: { topicPattern: RegExp | null; minLeaders: number };
  /**
   * BrokerSetAwareGoal: disjoint broker sets by Kafka id (CC: brokerSets.json). Every partition's
   * replicas stay inside one set; null or empty = the goal has nothing to enforce.
   */
  brokerSets: readonly { id: string; brokerIds: readonly number[] }[] | null;
  /**
   * FailureBudgetGoal: min.insync.replicas every partition must keep after the loss of one broker,
   * one value or one per model topic index (the analyzer passes each topic's effective value).
   */
  minInsyncReplicas: number | ArrayLike<number>;
}

export const DEFAULT_THRESHOLDS: GoalThresholds = {
  capacityThreshold: { cpu: 0.7, networkInbound: 0.8, networkOutbound: 0.8, disk: 0.8 },
  balanceThreshold: { cpu: 1.1, networkInbound: 1.1, networkOutbound: 1.1, disk: 1.1 },
  replicaCountBalanceThreshold: 1.1,
  leaderReplicaCountBalanceThreshold: 1.1,
  maxReplicasPerBroker: 10_000,
  topicReplicaCountBalance: { threshold: 3, minGap: 2, maxGap: 40 },
  minTopicLeadersPerBroker: { topicPattern: null, minLeaders: 1 },
  brokerSets: null,
  minInsyncReplicas: 2,
};

/** What the optimizer gives a goal while it runs. */
export interface GoalContext {
  readonly model: ClusterModel;
  readonly thresholds: GoalThresholds;
  /**
   * Applies `move` when it is legal (partition not excluded, destination alive and allowed, no
   * second replica on a broker) and every earlier goal accepts it; returns whether it was applied.
   */
  tryMove(move: Move): boolean;
  /** True when a replica of this partition may move at all (its topic is not excluded). */
  canMovePartition(partition: number): boolean;
  /** True when `broker` may receive replicas (alive, not excluded, a destination if any were named). */
  canReceiveReplica(broker: number): boolean;
  /** True when `broker` may become a leader (alive, not excluded for leadership, not demoted). */
  canLead(broker: number): boolean;
  /**
   * Takes the model back to `mark` (from `model.mark()`), undoing moves of this goal since then.
   * Goals undo through this, never `model.undoTo`, so run states stay in step.
   */
  undoTo(mark: number): void;
  /** This goal's run state, when it declares {@link Goal.createState}. */
  readonly state?: GoalState;
}

/**
 * Per-run bookkeeping of a goal whose verdict is not in the model's own aggregates. The optimizer
 * tells it of every move it applies, whichever goal made it.
 */
export interface GoalState {
  /** Called just before `move` is applied to the model. */
  beforeMove(move: Move): void;
  /** Called just after `move` was applied. */
  afterMove(move: Move): void;
  /** Called after the model was taken back by an undo: rebuild from the model as it stands. */
  reset(): void;
}

/** How far a model is from what the goal wants; 0 when satisfied. */
export interface GoalStatus {
  satisfied: boolean;
  /** Goal-specific measure of the violation (e.g. brokers over threshold), for reports. */
  violations: number;
  /** Up to a few human-readable details: which brokers, partitions, by how much. */
  details: string[];
}

/** A goal: one file in goals/, Cruise Control's name, hard or soft. Holds no state between runs. */
export interface Goal {
  /** Cruise Control's goal name, e.g. `RackAwareGoal`. */
  readonly name: string;
  /** A hard goal must hold after optimization, or the proposal fails naming it. */
  readonly hard: boolean;
  /** Moves the model toward the goal through `ctx.tryMove`. */
  optimize(ctx: GoalContext): void;
  /**
   * Whether `move`, proposed by a later goal, keeps this goal as satisfied as it is. Called before
   * the move is applied; must not change the model.
   */
  accepts(model: ClusterModel, move: Move, thresholds: GoalThresholds, state?: GoalState): boolean;
  /** Optional: a fresh run state, created when an optimization starts and passed back to the goal. */
  createState?(model: ClusterModel, thresholds: GoalThresholds): GoalState;
  /**
   * The goal's verdict on a model. `inScope` (default: every partition) leaves out partitions the
   * run may not move (excluded topics), as Cruise Control does for partition-level goals.
   */
  status(model: ClusterModel, thresholds: GoalThresholds, inScope?: (partition: number) => boolean): GoalStatus;
}
