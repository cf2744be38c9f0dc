// Cruise Control's ExecutorState (the executor part of GET /state) from an execution record, with
// Ballast's additions: bytes done and remaining, the throttle (its mode and each broker's rate), an
// ETA, why new moves are paused if they are, the execution's events.
import type { ExecutionRecord, TaskRecord } from './execution-record.js';
import { taskPartition } from './planner/index.js';

/** Cruise Control's ExecutionTask shape, as its executor state lists tasks. */
interface ExecutionTaskJson {
  executionId: number;
  type: string;
  state: string;
  proposal: {
    topicPartition: { topic: string; partition: number };
    oldLeader: number;
    oldReplicas: number[];
    newReplicas: number[];
  };
  brokerId?: number;
}

export type ExecutorStateJson = Record<string, unknown> & { state: string };

const toJson = (t: TaskRecord): ExecutionTaskJson => ({
  executionId: t.id,
  type: t.kind,
  state: t.state,
  proposal: {
    topicPartition: { topic: t.topic, partition: t.partition },
    oldLeader: t.oldLeader,
    oldReplicas: [...t.oldReplicas],
    newReplicas: [...t.newReplicas],
  },
  ...(t.broker === undefined ? {} : { brokerId: t.broker }),
});

/** The executor state for `record` (null: nothing ever ran), as of `nowMs`. */
export function executorState(record: ExecutionRecord | null, nowMs: number): ExecutorStateJson {
  if (record === null || !(record.status === 'IN_PROGRESS' || record.status === 'STOPPING')) {
    return {
      state: 'NO_TASK_IN_PROGRESS',
      ...(record === null ? {} : { lastExecution: summary(record, nowMs) }),
    };
  }
  const of = (kind: TaskRecord['kind']) => record.tasks.filter((t) => t.kind === kind);
  const inter = of('INTER_BROKER_REPLICA_ACTION');
  const intra = of('INTRA_BROKER_REPLICA_ACTION');
  const leaders = of('LEADER_ACTION');
  const inState = (tasks: TaskRecord[], ...states: string[]) => tasks.filter((t) => states.includes(t.state));
  const phase =
    record.status === 'STOPPING'
      ? 'STOPPING_EXECUTION'
      : inState(inter, 'PENDING', 'IN_PROGRESS', 'ABORTING').length > 0
        ? 'INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS'
        : inState(intra, 'PENDING', 'IN_PROGRESS').length > 0
          ? 'INTRA_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS'
          : 'LEADER_MOVEMENT_TASK_IN_PROGRESS';
  const limits = record.options.limits;
  return {
    state: phase,
    triggeredTaskReason: record.reason,
    numTotalPartitionMovements: inter.length,
    numPendingPartitionMovements: inState(inter, 'PENDING').length,
    numInProgressPartitionMovements: inState(inter, 'IN_PROGRESS').length,
    abortingPartitions: inState(inter, 'ABORTING').length,
    numFinishedPartitionMovements: inState(inter, 'COMPLETED', 'DEAD', 'ABORTED').length,
    numCancelledPartitionMovements: inState(inter, 'ABORTED').length,
    inProgressPartitionMovement: inState(inter, 'IN_PROGRESS').map(toJson),
    pendingPartitionMovement: inState(inter, 'PENDING').map(toJson),
    deadPartitionMovement: inState(inter, 'DEAD').map(toJson),
    completedPartitionMovement: inState(inter, 'COMPLETED').map(toJson),
    abortingPartitionMovement: inState(inter, 'ABORTING').map(toJson),
    abortedPartitionMovement: inState(inter, 'ABORTED').map(toJson),
    numTotalLeadershipMovements: leaders.length,
    numPendingLeadershipMovements: inState(leaders, 'PENDING').length,
    numFinishedLeadershipMovements: inState(leaders, 'COMPLETED', 'DEAD', 'ABORTED').length,
    numCancelledLeadershipMovements: inState(leaders, 'ABORTED').length,
    numTotalIntraBrokerPartitionMovements: intra.length,
    numFinishedIntraBrokerPartitionMovements: inState(intra, 'COMPLETED', 'DEAD', 'ABORTED').length,
    numInProgressIntraBrokerPartitionMovements: inState(intra, 'IN_PROGRESS').length,
    numPendingIntraBrokerPartitionMovements: inState(intra, 'PENDING').length,
    maximumConcurrentPartitionMovementsPerBroker: limits.concurrentPartitionMovementsPerBroker,
    maximumConcurrentIntraBrokerPartitionMovementsPerBroker: limits.concurrentIntraBrokerPartitionMovements,
    maximumConcurrentLeaderMovements: limits.concurrentLeaderMovements,
    ...bytes(inter, nowMs, record),
    ...throttles(record),
    // Ballast's addition: set while a dead broker or under-replication outside the moves holds new moves back.
    pausedReason: record.pausedReason ?? null,
    execution: summary(record, nowMs),
  };
}

/** Data moved (whole partitions once their move completed) and left, with a rate and ETA. */
function bytes(inter: TaskRecord[], nowMs: number, record: ExecutionRecord) {
  const total = inter.reduce((sum, t) => sum + t.sizeBytes * t.destinationBrokers.length, 0);
  const done = inter
    .filter((t) => t.state === 'COMPLETED')
    .reduce((sum, t) => sum + t.sizeBytes * t.destinationBrokers.length, 0);
  const elapsedMs = nowMs - record.startedAtMs;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const MB = 1024 * 1024;
  return {
    totalDataToMove: Math.round(total / MB),
    finishedDataMovement: Math.round(done / MB),
    // Ballast's additions.
    totalDataToMoveBytes: total,
    finishedDataMovementBytes: done,
    remainingDataToMoveBytes: total - done,
    currentRateBytesPerSecond: Math.round(rate),
    estimatedRemainingMs: rate > 0 ? Math.round(((total - done) / rate) * 1000) : null,
    replicationThrottleBytesPerSecond: record.options.replicationThrottleBytesPerSecond,
  };
}

/** The throttles in force: the mode, each throttled broker's replication rate, brokers with a log-dir move rate. */
function throttles(record: ExecutionRecord) {
  const rates = record.throttleRatesByBroker ?? {};
  return {
    throttleMode: record.options.throttleMode ?? 'static',
    throttleBytesPerSecondByBroker: Object.fromEntries(
      [...record.throttledBrokers]
        .sort((a, b) => a - b)
        .map((b) => [String(b), rates[b] ?? record.options.replicationThrottleBytesPerSecond]),
    ),
    logDirThrottledBrokers: [...(record.logDirThrottledBrokers ?? [])].sort((a, b) => a - b),
  };
}

function summary(record: ExecutionRecord, nowMs: number) {
  return {
    id: record.id,
    operation: record.operation,
    status: record.status,
    reason: record.reason,
    startedAtMs: record.startedAtMs,
    finishedAtMs: record.finishedAtMs ?? null,
    elapsedMs: (record.finishedAtMs ?? nowMs) - record.startedAtMs,
    tasksByState: record.tasks.reduce<Record<string, number>>(
      (acc, t) => ({ ...acc, [t.state]: (acc[t.state] ?? 0) + 1 }),
      {},
    ),
    deadTasks: record.tasks
      .filter((t) => t.state === 'DEAD')
      .map((t) => `${t.kind} ${taskPartition(t)}: ${t.note ?? ''}`),
    events: record.events,
  };
}
