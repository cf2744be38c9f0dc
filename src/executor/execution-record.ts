// The persisted state of an execution: its tasks with their states, its options and what happened.
// The engine reads and writes it through an ExecutionStore on every step, so a restarted Ballast
// picks up exactly where the last one was (Redis in production, memory in unit tests).
import type { ExecutionTask, MovementLimits, ReplicaMovementStrategyName, TaskState } from './planner/index.js';

export type ExecutionStatus = 'IN_PROGRESS' | 'STOPPING' | 'COMPLETED' | 'STOPPED' | 'FAILED';

export interface TaskRecord extends ExecutionTask {
  state: TaskState;
  /**
   * Set just before the reassignment (or election, or log-dir move) is sent and cleared once it is
   * known to have reached Kafka: a restart that finds it set checks Kafka before sending again, so
   * no move is sent twice and none is lost.
   */
  submitting?: boolean;
  startedAtMs?: number;
  finishedAtMs?: number;
  /** Why a task ended DEAD or ABORTED, or why it is held. */
  note?: string;
  /**
   * Inter-broker tasks whose target lost a broker mid-move: the replicas the reassignment was
   * re-targeted to (the dead brokers dropped), which Kafka can finish. The task is ABORTING until
   * Kafka shows them, then ABORTED.
   */
  retargetReplicas?: number[];
}

export interface ExecutionOptions {
  limits: MovementLimits;
  strategies: ReplicaMovementStrategyName[];
  /** Static replication throttle in bytes per second per broker; null = none. */
  replicationThrottleBytesPerSecond: number | null;
  /** A leadership move not done after this long is reported DEAD. */
  leaderMovementTimeoutMs: number;
  /**
   * How broker rates are chosen: `static` puts replicationThrottleBytesPerSecond on every broker;
   * `adaptive` derives each broker's rate from its network headroom and recomputes it while the
   * execution runs (the static rate stands in for a broker whose traffic is not known). Records
   * written before this option existed have none: static. @defaultValue 'static'
   */
  throttleMode?: ThrottleMode;
}

export type ThrottleMode = 'static' | 'adaptive';

/** The cluster as the execution found it, against which trouble during the execution is judged. */
export interface ClusterBaseline {
  /** Kafka ids of the brokers alive at the first step. */
  aliveBrokers: number[];
  /** `topic-partition` of the partitions under-replicated at the first step that no started task touched. */
  underReplicated: string[];
}

export interface ExecutionRecord {
  id: string;
  status: ExecutionStatus;
  /** What asked for it: `rebalance`, `remove_broker`, a self-healing action, … */
  operation: string;
  reason: string;
  startedAtMs: number;
  finishedAtMs?: number;
  options: ExecutionOptions;
  tasks: TaskRecord[];
  /** Kafka ids of brokers whose throttle rates this execution set and has not removed yet. */
  throttledBrokers: number[];
  /**
   * The replication throttle rate set on each broker of `throttledBrokers`, bytes per second, by
   * Kafka id. Optional: records from before it existed lack it.
   */
  throttleRatesByBroker?: Record<number, number>;
  /** When adaptive rates were last derived from the brokers' traffic, epoch ms. */
  throttleRatesComputedAtMs?: number;
  /**
   * Kafka ids of brokers on which this execution set `replica.alter.log.dirs.io.max.bytes.per.second`
   * for its log-dir moves and has not removed it yet.
   */
  logDirThrottledBrokers?: number[];
  /** Recorded at the first step; absent before it. */
  baseline?: ClusterBaseline;
  /** Why new moves are paused (a broker died, under-replication rose outside the execution); absent when they are not. */
  pausedReason?: string;
  /** Problems seen on the way (Kafka errors, held tasks), newest last, bounded. */
  events: string[];
}

/** Where executions are kept. One current execution at a time. */
export abstract class ExecutionStore {
  /** The current (or most recent) execution, or null. */
  abstract load(): Promise<ExecutionRecord | null>;
  /** Replaces the current execution record atomically. */
  abstract save(record: ExecutionRecord): Promise<void>;
  /** Whether a record is kept at all: a cheap check that the store has not lost it. */
  async exists(): Promise<boolean> {
    return (await this.load()) !== null;
  }
}

/** A store in memory, for unit tests and the optimize CLI. */
export class InMemoryExecutionStore extends ExecutionStore {
  private record: ExecutionRecord | null = null;

  load(): Promise<ExecutionRecord | null> {
    return Promise.resolve(this.record === null ? null : structuredClone(this.record));
  }

  save(record: ExecutionRecord): Promise<void> {
    this.record = structuredClone(record);
    return Promise.resolve();
  }
}

/** The replicas an inter-broker task is now moving to: its re-target, once it has one. */
export function targetOf(task: Pick<TaskRecord, 'newReplicas' | 'retargetReplicas'>): readonly number[] {
  return task.retargetReplicas ?? task.newReplicas;
}

/** Keeps the newest `max` events. */
export function pushEvent(record: ExecutionRecord, event: string, max = 50): void {
  record.events.push(event);
  if (record.events.length > max) record.events.splice(0, record.events.length - max);
}

/** Limit names of records written before they took the configuration's (and HTTP parameters') names. */
const LEGACY_LIMIT_NAMES: Readonly<Record<string, keyof MovementLimits>> = {
  partitionMovementsPerBroker: 'concurrentPartitionMovementsPerBroker',
  partitionMovementsInCluster: 'maxPartitionMovementsInCluster',
  intraBrokerMovementsPerBroker: 'concurrentIntraBrokerPartitionMovements',
  leaderMovements: 'concurrentLeaderMovements',
};

/**
 * A stored record as this version reads it: an execution started by an earlier Ballast (and still
 * running across the upgrade) keeps its limits under their old names, which are renamed here.
 */
export function upgradedRecord(record: ExecutionRecord): ExecutionRecord {
  const limits = record.options?.limits as unknown as Record<string, number> | undefined;
  if (limits === undefined || !Object.keys(LEGACY_LIMIT_NAMES).some((name) => name in limits)) return record;
  const upgraded: Record<string, number> = {};
  for (const [name, value] of Object.entries(limits)) upgraded[LEGACY_LIMIT_NAMES[name] ?? name] = value;
  return { ...record, options: { ...record.options, limits: upgraded as unknown as MovementLimits } };
}
