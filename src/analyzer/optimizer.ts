// The optimizer: runs goals in priority order over a ClusterModel, lets each later goal move only
// what every earlier goal accepts, and fails on a hard goal it cannot meet. Pure: no I/O, no DI.
import {
  DEFAULT_THRESHOLDS,
  type Goal,
  type GoalContext,
  type GoalState,
  type GoalStatus,
  type GoalThresholds,
  type Move,
} from '../../goals/index.js';
import { BallastError } from '../common/pure.js';
import { balancednessScore } from './balancedness.js';
import { clusterModelStats, type ClusterModelStats } from './cluster-model-stats.js';
import { DiskRemovalError, drainDeadBrokers, DrainError, drainRemovedDisks, replicasOnDeadBrokers } from './drain.js';
import { transferLoad, type TransferLoad } from './execution-estimate.js';
import { failureBudgetReport, type FailureBudgetReport } from './failure-budget.js';
import { BrokerState, type ClusterModel, type PartitionMove } from '../model/index.js';

export interface OptimizationOptions {
  goals: readonly Goal[];
  thresholds?: GoalThresholds;
  /** Partitions of matching topics never move (Cruise Control's `excluded_topics`). */
  excludedTopics?: RegExp;
  /** Kafka ids of brokers that must not become leaders. */
  excludedBrokersForLeadership?: ReadonlySet<number>;
  /**
   * Kafka ids of brokers being removed (`remove_broker`): treated as dead, so every replica leaves
   * them and none arrives. Replicas of brokers that are already dead leave too.
   */
  brokersToRemove?: ReadonlySet<number>;
  /** Kafka ids of brokers that must not receive replicas. */
  excludedBrokersForReplicaMove?: ReadonlySet<number>;
  /**
   * Model disk indexes of log dirs being removed (`remove_disks`): marked dead, and their replicas
   * move to the other live dirs of the same broker before any goal runs.
   */
  disksToRemove?: ReadonlySet<number>;
  /** When given, replicas may only move onto these Kafka ids (`destination_broker_ids`). */
  destinationBrokerIds?: ReadonlySet<number>;
  /** Report hard goals that are not met instead of failing (`skip_hard_goal_check`). */
  skipHardGoalCheck?: boolean;
  /** min.insync.replicas the failure-budget check holds partitions to: one value, or one per model topic index. @defaultValue 2 */
  minInsyncReplicas?: number | ArrayLike<number>;
}

export interface GoalReport {
  name: string;
  hard: boolean;
  before: GoalStatus;
  after: GoalStatus;
  durationMs: number;
  /** Cruise Control's cluster statistics once this goal has run. */
  statsAfter: ClusterModelStats;
}

export interface OptimizationResult {
  proposals: PartitionMove[];
  goals: GoalReport[];
  /** Replicas placed on a broker they were not on before. */
  replicaMoves: number;
  /** Partitions whose leader changed. */
  leaderMoves: number;
  /** MB that must be copied: the disk size of every replica placed on a new broker. */
  dataToMoveMb: number;
  /** Cruise Control's balancedness score (0–100) of the goals before and after. */
  balancednessBefore: number;
  balancednessAfter: number;
  /** The broker with the most MB to send or receive: what sets the pace at a throttle. */
  transfer: TransferLoad;
  /** Whether the cluster survives the loss of any one broker, before and after the proposal. */
  failureBudgetBefore: FailureBudgetReport;
  failureBudgetAfter: FailureBudgetReport;
  durationMs: number;
}

/**
 * Thrown when a hard goal is still violated after optimization (and `skipHardGoalCheck` is off).
 * Names the goal and what keeps it from being met. Not retryable with the same model.
 */
export class HardGoalViolationError extends BallastError {
  readonly code = 'HARD_GOAL_VIOLATED';

  constructor(
    readonly goal: string,
    readonly details: string[],
  ) {
    super(`Hard goal ${goal} cannot be met: ${details.join('; ') || 'no detail'}`);
  }
}

/**
 * Optimizes `model` in place with `options.goals` in the given order and returns what changed.
 * Brokers excluded by the options are flagged as such on `model`.
 * @throws HardGoalViolationError when a hard goal stays violated and `skipHardGoalCheck` is off.
 * @throws DrainError when replicas of dead or removed brokers cannot all move (same switch).
 */
export function optimize(model: ClusterModel, options: OptimizationOptions): OptimizationResult {
  const started = performance.now();
  const thresholds: GoalThresholds = {
    ...(options.thresholds ?? DEFAULT_THRESHOLDS),
    ...(options.minInsyncReplicas !== undefined ? { minInsyncReplicas: options.minInsyncReplicas } : {}),
  };
  const failureBudgetBefore = failureBudgetReport(model, thresholds, options.minInsyncReplicas);
  // Before any goal or cached fact reads the brokers' states: a broker being removed is dead to them.
  for (const id of options.brokersToRemove ?? []) {
    const b = model.brokerIndex(id);
    if (b >= 0) model.markBrokerDead(b);
  }
  // A live broker with a failed log dir takes no new replica: Kafka keeps every partition it lost on
  // that dir offline there until the broker restarts, so moving one back never completes (and a
  // broker whose disks fail should not take more data). Read before dirs being removed are marked.
  for (let d = 0; d < model.diskCount; d++) {
    const b = model.diskBroker[d]!;
    if (!model.isDiskAlive(d) && model.brokerHas(b, BrokerState.ALIVE))
      model.setBrokerFlag(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE);
  }
  const removedDisks = options.disksToRemove ?? new Set<number>();
  for (const d of removedDisks) model.markDiskDead(d);
  const ctx = createContext(model, options, thresholds);
  // Log dirs being removed empty into the other dirs of their broker, or nothing happens at all.
  const stuckOnDisks = drainRemovedDisks(ctx.forGoal(null), removedDisks);
  if (stuckOnDisks.length > 0) {
    const dirs = [...new Set(stuckOnDisks.map((r) => model.diskPath(model.replicaDisk[r]!)))];
    throw new DiskRemovalError(
      dirs,
      stuckOnDisks.slice(0, 5).map((r) => model.partitionName(model.replicaPartition[r]!)),
      stuckOnDisks.length,
    );
  }
  // Replicas of dead or removed brokers and of failed dirs move next; the goals then balance around them.
  drainDeadBrokers(ctx.forGoal(null), removedDisks);
  const reports: GoalReport[] = [];
  for (const goal of options.goals) {
    const goalStarted = performance.now();
    const before = goal.status(model, thresholds, ctx.canMovePartition);
    goal.optimize(ctx.forGoal(goal));
    const after = goal.status(model, thresholds, ctx.canMovePartition);
    const durationMs = performance.now() - goalStarted;
    reports.push({ name: goal.name, hard: goal.hard, before, after, durationMs, statsAfter: clusterModelStats(model) });
    if (goal.hard && !after.satisfied && !options.skipHardGoalCheck)
      throw new HardGoalViolationError(goal.name, after.details);
    ctx.done.push({ goal, state: ctx.states.get(goal) });
  }
  // Excluded topics never move, not even off a dead broker: only the others must have left.
  const stuck = replicasOnDeadBrokers(model, removedDisks).filter((r) =>
    ctx.canMovePartition(model.replicaPartition[r]!),
  );
  if (stuck.length > 0 && !options.skipHardGoalCheck) {
    const brokers = [...new Set(stuck.map((r) => model.brokerKafkaId(model.replicaBroker[r]!)))];
    throw new DrainError(
      brokers,
      stuck.slice(0, 5).map((r) => model.partitionName(model.replicaPartition[r]!)),
      stuck.length,
    );
  }
  const proposals = model.diff();
  let replicaMoves = 0;
  let dataToMoveMb = 0;
  for (let r = 0; r < model.replicaCount; r++) {
    if (model.replicaBroker[r] === model.originalBroker[r]) continue;
    replicaMoves++;
    dataToMoveMb += model.partitionSizeMb(model.replicaPartition[r]!);
  }
  const leaderMoves = proposals.filter((p) => p.oldLeader !== p.newLeader).length;
  return {
    proposals,
    goals: reports,
    replicaMoves,
    leaderMoves,
    dataToMoveMb,
    balancednessBefore: balancednessScore(reports.map((g) => ({ hard: g.hard, satisfied: g.before.satisfied }))),
    balancednessAfter: balancednessScore(reports.map((g) => ({ hard: g.hard, satisfied: g.after.satisfied }))),
    transfer: transferLoad(model),
    failureBudgetBefore,
    failureBudgetAfter: failureBudgetReport(model, thresholds, options.minInsyncReplicas),
    durationMs: performance.now() - started,
  };
}

function createContext(model: ClusterModel, options: OptimizationOptions, thresholds: GoalThresholds) {
  const toIndexSet = (ids: ReadonlySet<number> | undefined) =>
    new Set([...(ids ?? [])].map((id) => model.brokerIndex(id)).filter((b) => b >= 0));
  const noLeadership = toIndexSet(options.excludedBrokersForLeadership);
  const noReplicas = toIndexSet(options.excludedBrokersForReplicaMove);
  const destinations = options.destinationBrokerIds ? toIndexSet(options.destinationBrokerIds) : null;
  // The request's exclusions become the model's own broker flags, so goals judging the model alone
  // (status, accepts) see them too: a broker excluded from leadership is not held to a leader minimum.
  for (const b of noLeadership) model.setBrokerFlag(b, BrokerState.EXCLUDED_FOR_LEADERSHIP);
  for (const b of noReplicas) model.setBrokerFlag(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE);
  const excludedTopic = new Uint8Array(model.topicCount);
  if (options.excludedTopics) {
    model.tables.topicNames.forEach((name, t) => {
      if (options.excludedTopics!.test(name)) excludedTopic[t] = 1;
    });
  }
  const done: { goal: Goal; state: GoalState | undefined }[] = [];
  // Goals that keep run state (FailureBudgetGoal's failover ledger) see every move from the start.
  const states = new Map<Goal, GoalState>();
  for (const goal of options.goals) {
    if (goal.createState) states.set(goal, goal.createState(model, thresholds));
  }

  const canMovePartition = (partition: number) => excludedTopic[model.partitionTopic[partition]!] === 0;
  const alive = (b: number) => model.brokerHas(b, BrokerState.ALIVE);
  const canReceiveReplica = (b: number) =>
    alive(b) &&
    !noReplicas.has(b) &&
    !model.brokerHas(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE) &&
    (destinations === null || destinations.has(b));
  const canLead = (b: number) =>
    alive(b) &&
    !noLeadership.has(b) &&
    !model.brokerHas(b, BrokerState.EXCLUDED_FOR_LEADERSHIP) &&
    !model.brokerHas(b, BrokerState.DEMOTED);

  const legal = (move: Move): boolean => {
    if (move.kind === 'replica') {
      const p = model.replicaPartition[move.replica]!;
      if (!canMovePartition(p) || !canReceiveReplica(move.toBroker)) return false;
      if (model.replicaBroker[move.replica] === move.toBroker) return false;
      if (model.replicaOnBroker(p, move.toBroker) !== -1) return false;
      return move.toDisk === -1 || model.diskBroker[move.toDisk] === move.toBroker;
    }
    if (move.kind === 'disk') {
      const broker = model.replicaBroker[move.replica]!;
      return (
        canMovePartition(model.replicaPartition[move.replica]!) &&
        move.toDisk >= 0 &&
        move.toDisk < model.diskCount &&
        model.diskBroker[move.toDisk] === broker &&
        model.isDiskAlive(move.toDisk) &&
        model.replicaDisk[move.replica] !== move.toDisk
      );
    }
    if (move.kind === 'swap') {
      const [pa, pb] = [model.replicaPartition[move.a]!, model.replicaPartition[move.b]!];
      const [ba, bb] = [model.replicaBroker[move.a]!, model.replicaBroker[move.b]!];
      return (
        pa !== pb &&
        ba !== bb &&
        canMovePartition(pa) &&
        canMovePartition(pb) &&
        canReceiveReplica(ba) &&
        canReceiveReplica(bb) &&
        model.replicaOnBroker(pa, bb) === -1 &&
        model.replicaOnBroker(pb, ba) === -1
      );
    }
    const p = move.partition;
    return (
      canMovePartition(p) &&
      move.toReplica >= model.replicaStart(p) &&
      move.toReplica < model.replicaEnd(p) &&
      model.partitionLeader[p] !== move.toReplica &&
      canLead(model.replicaBroker[move.toReplica]!)
    );
  };

  const apply = (move: Move): void => {
    for (const state of states.values()) state.beforeMove(move);
    applyToModel(move);
    for (const state of states.values()) state.afterMove(move);
  };
  const applyToModel = (move: Move): void => {
    if (move.kind === 'replica') model.moveReplica(move.replica, move.toBroker, move.toDisk);
    else if (move.kind === 'swap') model.swapReplicas(move.a, move.b);
    else if (move.kind === 'disk') model.moveReplicaToDisk(move.replica, move.toDisk);
    else model.moveLeadership(move.partition, move.toReplica);
  };

  return {
    done,
    states,
    canMovePartition,
    /** A context for `goal`, or for the drain step before any goal (`null`). */
    forGoal(goal: Goal | null): GoalContext {
      return {
        model,
        thresholds,
        state: goal === null ? undefined : states.get(goal),
        undoTo(mark: number): void {
          model.undoTo(mark);
          for (const state of states.values()) state.reset();
        },
        canMovePartition,
        canReceiveReplica,
        canLead,
        tryMove(move: Move): boolean {
          if (!legal(move)) return false;
          for (const earlier of done) if (!earlier.goal.accepts(model, move, thresholds, earlier.state)) return false;
          apply(move);
          return true;
        },
      };
    },
  };
}
