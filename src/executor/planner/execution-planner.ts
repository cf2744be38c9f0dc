// The execution planner: which tasks may start now. Phases run in Cruise Control's order (all
// inter-broker moves, then intra-broker moves, then leadership), within the limits per broker and
// per cluster, in the order of the chained movement strategies, and never starting a move on a
// partition that could not survive one more broker loss during it unless the move repairs it.
// Pure and synchronous: the executor asks it after every change it observes.
import type { ExecutionTask, TaskKind } from './execution-task.js';
import {
  chainStrategies,
  type HealthOf,
  type PartitionHealth,
  type ReplicaMovementStrategyName,
} from './replica-movement-strategy.js';

/** Concurrency limits, Cruise Control's parameter names and defaults. */
export interface MovementLimits {
  /** In-flight inter-broker moves a broker takes part in, as source or destination (`concurrent_partition_movements_per_broker`). @defaultValue 5 */
  concurrentPartitionMovementsPerBroker: number;
  /** In-flight inter-broker moves in the cluster (`max_partition_movements_in_cluster`). @defaultValue 1250 */
  maxPartitionMovementsInCluster: number;
  /** In-flight moves between the log dirs of one broker (`concurrent_intra_broker_partition_movements`). @defaultValue 2 */
  concurrentIntraBrokerPartitionMovements: number;
  /** Leadership moves in flight (`concurrent_leader_movements`). @defaultValue 1000 */
  concurrentLeaderMovements: number;
}

export const DEFAULT_MOVEMENT_LIMITS: MovementLimits = {
  concurrentPartitionMovementsPerBroker: 5,
  maxPartitionMovementsInCluster: 1250,
  concurrentIntraBrokerPartitionMovements: 2,
  concurrentLeaderMovements: 1000,
};

export type ExecutionPhase = 'INTER_BROKER_REPLICA_ACTION' | 'INTRA_BROKER_REPLICA_ACTION' | 'LEADER_ACTION' | 'DONE';

const PHASES: TaskKind[] = ['INTER_BROKER_REPLICA_ACTION', 'INTRA_BROKER_REPLICA_ACTION', 'LEADER_ACTION'];

/** Why a task is held back, for progress reports. */
export interface HeldTask {
  task: ExecutionTask;
  reason: string;
}

/**
 * Whether a replica move may start on a partition in `health` (the N-1 budget): it must keep more
 * in-sync replicas than min.insync.replicas, so losing one more broker mid-move keeps it writable —
 * unless the move repairs it (drops an offline or out-of-sync replica, or adds replicas). A
 * partition fully in sync is never held: see below.
 */
export function safeToStart(
  task: ExecutionTask,
  health: PartitionHealth | undefined,
  offlineBrokers: ReadonlySet<number>,
): { ok: true } | { ok: false; reason: string } {
  if (task.kind === 'LEADER_ACTION' || health === undefined) return { ok: true };
  if (health.inSyncReplicas > health.minInsyncReplicas) return { ok: true };
  // Fully in sync with no more replicas than min ISR: by its configuration no broker loss is
  // survivable, and a reassignment keeps every in-sync replica until the new ones catch up, so
  // moving it takes nothing away (holding it would keep remove_broker from ever finishing).
  if (!health.underReplicated) return { ok: true };
  // A repair: it drops a replica that is offline or out of sync, or adds replicas.
  const outOfSync = (b: number) =>
    offlineBrokers.has(b) || (health.inSyncBrokers !== undefined && !health.inSyncBrokers.includes(b));
  if (task.sourceBrokers.some(outOfSync)) return { ok: true };
  if (task.newReplicas.length > task.oldReplicas.length) return { ok: true };
  return {
    ok: false,
    reason: `${health.inSyncReplicas} in-sync replica(s), min.insync.replicas ${health.minInsyncReplicas}: one more broker loss during the move would stop writes`,
  };
}

export class ExecutionPlanner {
  private readonly pending: Record<TaskKind, ExecutionTask[]>;

  constructor(
    tasks: readonly ExecutionTask[],
    private readonly options: {
      limits: MovementLimits;
      strategies: readonly ReplicaMovementStrategyName[];
      healthOf: HealthOf;
    },
  ) {
    const order = chainStrategies(options.strategies, options.healthOf);
    this.pending = {
      INTER_BROKER_REPLICA_ACTION: tasks.filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION').sort(order),
      // Strategies order replica moves between brokers; the other phases keep proposal order.
      INTRA_BROKER_REPLICA_ACTION: tasks.filter((t) => t.kind === 'INTRA_BROKER_REPLICA_ACTION'),
      LEADER_ACTION: tasks.filter((t) => t.kind === 'LEADER_ACTION'),
    };
  }

  /** Tasks not started yet, in the order they would start. */
  pendingTasks(): ExecutionTask[] {
    return PHASES.flatMap((kind) => this.pending[kind]);
  }

  /** The phase a task may start in: the first with work left, counting tasks still in progress. */
  phase(inProgress: readonly ExecutionTask[]): ExecutionPhase {
    for (const kind of PHASES) {
      if (this.pending[kind].length > 0 || inProgress.some((t) => t.kind === kind)) return kind;
    }
    return 'DONE';
  }

  /** Drops every task not started yet (a stop); returns them. */
  dropPending(): ExecutionTask[] {
    return PHASES.flatMap((kind) => this.pending[kind].splice(0));
  }

  /**
   * Takes the tasks that may start now, given those in progress, and removes them from pending.
   * `held` lists tasks skipped for safety (they stay pending and are asked about again).
   */
  next(
    inProgress: readonly ExecutionTask[],
    offlineBrokers: ReadonlySet<number> = new Set(),
  ): { start: ExecutionTask[]; held: HeldTask[] } {
    const phase = this.phase(inProgress);
    if (phase === 'DONE') return { start: [], held: [] };
    const { limits, healthOf } = this.options;
    const pending = this.pending[phase];
    const running = inProgress.filter((t) => t.kind === phase);
    const start: ExecutionTask[] = [];
    const held: HeldTask[] = [];
    if (phase === 'LEADER_ACTION') {
      start.push(...pending.splice(0, Math.max(0, limits.concurrentLeaderMovements - running.length)));
      return { start, held };
    }
    const perBroker = new Map<number, number>();
    const brokersOf = (t: ExecutionTask) =>
      phase === 'INTRA_BROKER_REPLICA_ACTION' ? [t.broker!] : [...t.sourceBrokers, ...t.destinationBrokers];
    for (const t of running) for (const b of brokersOf(t)) perBroker.set(b, (perBroker.get(b) ?? 0) + 1);
    const perBrokerLimit =
      phase === 'INTRA_BROKER_REPLICA_ACTION'
        ? limits.concurrentIntraBrokerPartitionMovements
        : limits.concurrentPartitionMovementsPerBroker;
    const clusterLimit = phase === 'INTRA_BROKER_REPLICA_ACTION' ? Infinity : limits.maxPartitionMovementsInCluster;
    let inFlight = running.length;
    const kept: ExecutionTask[] = [];
    for (const task of pending) {
      const brokers = brokersOf(task);
      const fits = inFlight < clusterLimit && brokers.every((b) => (perBroker.get(b) ?? 0) < perBrokerLimit);
      if (!fits) {
        kept.push(task);
        continue;
      }
      const safety = safeToStart(task, healthOf(task), offlineBrokers);
      if (!safety.ok) {
        held.push({ task, reason: safety.reason });
        kept.push(task);
        continue;
      }
      start.push(task);
      inFlight++;
      for (const b of brokers) perBroker.set(b, (perBroker.get(b) ?? 0) + 1);
    }
    this.pending[phase] = kept;
    return { start, held };
  }
}
