// The execution engine: one step at a time, it reads the execution from its store and the cluster
// from the gateway, settles the tasks in flight, removes the throttles of finished moves, starts
// what the planner allows (throttles first), and writes the execution back. Every step begins from
// what Kafka says, so a step after a crash or restart is like any other. New moves wait while the
// cluster is in trouble the execution did not cause; adaptive executions re-derive their broker
// rates from live traffic as they run. No NestJS, no BullMQ: the processor runs `step()` on a timer
// through a queue.
import { randomUUID } from 'node:crypto';
import type { KafkaGateway, PartitionResult } from '../kafka/index.js';
import { clusterBaseline, clusterTrouble } from './cluster-trouble.js';
import { ExecutionInProgressError } from './executor.errors.js';
import {
  pushEvent,
  type ExecutionOptions,
  type ExecutionRecord,
  type ExecutionStore,
  type TaskRecord,
} from './execution-record.js';
import { ExecutionPlanner, taskPartition, type ExecutionTask, type PartitionHealth } from './planner/index.js';
import { indexSnapshot, reconcile, reordersReplicas, sameOrder, type SnapshotIndex } from './task-reconciler.js';
import { ExecutionThrottles, type ExecutionThrottlesOptions } from './throttle/index.js';

const TERMINAL = new Set(['COMPLETED', 'STOPPED', 'FAILED']);

export interface StepResult {
  record: ExecutionRecord | null;
  /** True while the execution needs more steps. */
  more: boolean;
}

export interface ExecutionEngineOptions extends ExecutionThrottlesOptions {
  /**
   * Start no new move while a broker alive at the execution's start is dead, or more partitions
   * are under-replicated outside the execution than at its start. @defaultValue true
   */
  pauseOnClusterTrouble?: boolean;
}

export class ExecutionEngine {
  private readonly throttles: ExecutionThrottles;

  constructor(
    private readonly gateway: KafkaGateway,
    private readonly store: ExecutionStore,
    private readonly clock: () => number = Date.now,
    private readonly options: ExecutionEngineOptions = {},
  ) {
    this.throttles = new ExecutionThrottles(gateway, store, options);
  }

  /**
   * Records a new execution of `tasks` (nothing is sent to Kafka until the first step).
   * @throws ExecutionInProgressError when another execution has not finished.
   */
  async start(input: {
    operation: string;
    reason: string;
    tasks: readonly ExecutionTask[];
    options: ExecutionOptions;
  }): Promise<ExecutionRecord> {
    const current = await this.store.load();
    if (current !== null && !TERMINAL.has(current.status))
      throw new ExecutionInProgressError(current.id, current.operation);
    const record: ExecutionRecord = {
      id: randomUUID(),
      status: input.tasks.length === 0 ? 'COMPLETED' : 'IN_PROGRESS',
      operation: input.operation,
      reason: input.reason,
      startedAtMs: this.clock(),
      options: input.options,
      tasks: input.tasks.map((t) => ({ ...t, state: 'PENDING' })),
      throttledBrokers: [],
      throttleRatesByBroker: {},
      logDirThrottledBrokers: [],
      events: [],
    };
    if (record.status === 'COMPLETED') record.finishedAtMs = record.startedAtMs;
    await this.store.save(record);
    return record;
  }

  /** Asks the current execution to stop at its next step; null when none is running. */
  async requestStop(reason: string): Promise<ExecutionRecord | null> {
    const record = await this.store.load();
    if (record === null || TERMINAL.has(record.status)) return null;
    record.status = 'STOPPING';
    pushEvent(record, `stop requested: ${reason}`);
    await this.store.save(record);
    return record;
  }

  /** One step of the current execution. */
  async step(): Promise<StepResult> {
    const record = await this.store.load();
    if (record === null || TERMINAL.has(record.status)) return { record, more: false };
    const index = indexSnapshot(await this.gateway.snapshot());
    const now = this.clock();
    // Taken before any move is sent (a record from before baselines existed gets one now).
    record.baseline ??= clusterBaseline(record, index);
    const { ended, rollback } = this.settle(record, index, now);
    await this.rollBack(record, rollback);
    await this.throttles.clearEnded(record, ended);
    await this.throttles.adaptRates(record, now);
    if (record.status === 'STOPPING') await this.stopping(record);
    else if (!this.pauseOnTrouble(record, index)) await this.startNext(record, index, now);
    await this.throttles.clearLogDirs(record, false);
    const active = record.tasks.some(
      (t) => t.state === 'PENDING' || t.state === 'IN_PROGRESS' || t.state === 'ABORTING',
    );
    if (!active) {
      await this.throttles.clearEnded(record, record.tasks);
      await this.throttles.clearLogDirs(record, true);
      delete record.pausedReason;
      record.status = record.status === 'STOPPING' ? 'STOPPED' : 'COMPLETED';
      record.finishedAtMs = now;
    }
    await this.store.save(record);
    return { record, more: !TERMINAL.has(record.status) };
  }

  /**
   * Applies Kafka's verdict to every task in flight. Returns the inter-broker tasks that ended and
   * those whose destination died (marked DEAD; their reassignments are to be rolled back).
   */
  private settle(
    record: ExecutionRecord,
    index: SnapshotIndex,
    now: number,
  ): { ended: TaskRecord[]; rollback: TaskRecord[] } {
    const ended: TaskRecord[] = [];
    const rollback: TaskRecord[] = [];
    for (const task of record.tasks) {
      if (task.state !== 'IN_PROGRESS' && task.state !== 'ABORTING' && !task.submitting) continue;
      const verdict = reconcile(task, index, now, record.options.leaderMovementTimeoutMs);
      if (verdict.kind === 'running') {
        task.submitting = false;
        continue;
      }
      if (verdict.kind === 'not-sent') {
        task.submitting = false;
        task.state = 'PENDING';
        continue;
      }
      task.submitting = false;
      task.finishedAtMs = now;
      if (verdict.kind === 'completed') task.state = task.state === 'ABORTING' ? 'ABORTED' : 'COMPLETED';
      else {
        task.state = 'DEAD';
        task.note = verdict.detail;
        pushEvent(record, `${task.kind} ${taskPartition(task)} DEAD: ${verdict.detail}`);
      }
      if (task.kind === 'INTER_BROKER_REPLICA_ACTION') ended.push(task);
      if (verdict.kind === 'destination-dead' && task.kind === 'INTER_BROKER_REPLICA_ACTION') rollback.push(task);
    }
    return { ended, rollback };
  }

  /** Cancels the reassignments of tasks whose destination died, where Kafka allows it safely. */
  private async rollBack(record: ExecutionRecord, tasks: readonly TaskRecord[]): Promise<void> {
    if (tasks.length === 0) return;
    const results = await this.gateway.cancelReassignments(
      tasks.map((t) => ({ topic: t.topic, partition: t.partition })),
    );
    for (const task of tasks) {
      const result = results.find((r) => r.topic === task.topic && r.partition === task.partition);
      task.note = result?.ok
        ? `${task.note}; rolled back to the original replicas`
        : `${task.note}; not rolled back: ${result?.message ?? result?.error ?? 'no answer'}`;
      pushEvent(record, `${taskPartition(task)}: ${task.note}`);
    }
  }

  /**
   * Sets or lifts the pause on cluster trouble, with one event each way; true while new moves must
   * wait. Only an execution with moves left to start can be paused.
   */
  private pauseOnTrouble(record: ExecutionRecord, index: SnapshotIndex): boolean {
    const waiting = record.tasks.some((t) => t.state === 'PENDING');
    const reason =
      (this.options.pauseOnClusterTrouble ?? true) && waiting && record.baseline !== undefined
        ? clusterTrouble(record, record.baseline, index)
        : null;
    if (reason !== null) {
      if (record.pausedReason === undefined) pushEvent(record, `paused: ${reason}`);
      record.pausedReason = reason;
      return true;
    }
    if (record.pausedReason !== undefined) {
      pushEvent(record, `new moves resumed: the trouble that paused them is gone (${record.pausedReason})`);
      delete record.pausedReason;
    }
    return false;
  }

  /** Drops pending tasks and cancels in-flight moves where that is safe. */
  private async stopping(record: ExecutionRecord): Promise<void> {
    delete record.pausedReason;
    for (const task of record.tasks) {
      if (task.state !== 'PENDING') continue;
      task.state = 'ABORTED';
      task.note = 'stopped before it started';
    }
    const inFlight = record.tasks.filter((t) => t.state === 'IN_PROGRESS' && t.kind === 'INTER_BROKER_REPLICA_ACTION');
    if (inFlight.length === 0) return;
    const results = await this.gateway.cancelReassignments(
      inFlight.map((t) => ({ topic: t.topic, partition: t.partition })),
    );
    for (const task of inFlight) {
      const result = results.find((r) => r.topic === task.topic && r.partition === task.partition);
      if (result?.ok) {
        task.state = 'ABORTED';
        task.finishedAtMs = this.clock();
        task.note = 'cancelled: original replicas restored';
      } else {
        // KAFKA-14424: cancelling while an original replica is down could leave the partition leaderless.
        task.state = 'ABORTING';
        task.note = `left to finish: ${result?.message ?? result?.error ?? 'no answer'}`;
      }
    }
    await this.throttles.clearEnded(
      record,
      inFlight.filter((t) => t.state === 'ABORTED'),
    );
  }

  /** Starts what the planner allows now, throttles first. */
  private async startNext(record: ExecutionRecord, index: SnapshotIndex, now: number): Promise<void> {
    const pending = record.tasks.filter((t) => t.state === 'PENDING');
    if (pending.length === 0) return;
    const minIsrOf = (topic: string) => index.minInsyncReplicas.get(topic) ?? 1;
    const healthOf = (task: ExecutionTask): PartitionHealth | undefined => {
      const p = index.partitions.get(taskPartition(task));
      if (p === undefined) return undefined;
      return {
        inSyncReplicas: p.isr.length,
        minInsyncReplicas: minIsrOf(task.topic),
        offlineReplicas: p.offlineReplicas.length,
        underReplicated: p.isr.length < p.replicas.length,
        inSyncBrokers: p.isr,
      };
    };
    const planner = new ExecutionPlanner(pending, {
      limits: record.options.limits,
      strategies: record.options.strategies,
      healthOf,
    });
    const inProgress = record.tasks.filter((t) => t.state === 'IN_PROGRESS' || t.state === 'ABORTING');
    const offline = new Set([...index.knownBrokers].filter((b) => !index.aliveBrokers.has(b)));
    const { start, held } = planner.next(inProgress, offline);
    // The planner speaks ExecutionTask; the records to update are found by id, not by a cast.
    const byId = new Map(record.tasks.map((t) => [t.id, t]));
    for (const h of held) {
      const task = byId.get(h.task.id)!;
      if (task.note !== h.reason) pushEvent(record, `${taskPartition(task)} held: ${h.reason}`);
      task.note = h.reason;
    }
    if (start.length === 0) return;
    const tasks = start.map((s) => byId.get(s.id)!);
    const inter = tasks.filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION');
    const intra = tasks.filter((t) => t.kind === 'INTRA_BROKER_REPLICA_ACTION');
    const unthrottled = await this.throttles.throttleStarting(record, inter, intra, now);
    if (unthrottled.length > 0) {
      // Never start a move unthrottled: they stay pending and the next step sets and checks again.
      const reason = `throttle not yet visible on broker(s) ${unthrottled.join(', ')}: moves wait for the next step`;
      if (record.events.at(-1)?.endsWith(reason) !== true) pushEvent(record, reason);
      return;
    }
    // Marked before sending and saved: a restart in between checks Kafka before sending again.
    for (const task of tasks) {
      task.submitting = true;
      task.startedAtMs = now;
    }
    await this.store.save(record);
    const results: PartitionResult[] = [];
    if (inter.length > 0) {
      results.push(
        ...(await this.gateway.reassign(
          inter.map((t) => ({ topic: t.topic, partition: t.partition, replicas: [...t.newReplicas] })),
        )),
      );
    }
    if (intra.length > 0) {
      results.push(
        ...(await this.gateway.moveReplicasBetweenLogDirs(
          intra.map((t) => ({ topic: t.topic, partition: t.partition, brokerId: t.broker!, logDir: t.toLogDir! })),
        )),
      );
    }
    const leaders = tasks.filter((t) => t.kind === 'LEADER_ACTION');
    if (leaders.length > 0) results.push(...(await this.moveLeaders(leaders, index)));
    for (const task of tasks) {
      const result = results.find((r) => r.topic === task.topic && r.partition === task.partition);
      task.submitting = false;
      if (result?.ok) task.state = 'IN_PROGRESS';
      else {
        task.state = 'DEAD';
        task.finishedAtMs = now;
        task.note = `Kafka refused: ${result?.error ?? 'no answer'}${result?.message ? ` (${result.message})` : ''}`;
        pushEvent(record, `${task.kind} ${taskPartition(task)} DEAD: ${task.note}`);
      }
    }
  }

  /** Puts each new leader first in its assignment (no data moves), then elects preferred leaders. */
  private async moveLeaders(tasks: TaskRecord[], index: SnapshotIndex): Promise<PartitionResult[]> {
    const reorder = tasks.filter((t) => {
      const replicas = index.partitions.get(taskPartition(t))?.replicas ?? [];
      return replicas[0] !== t.newLeader || (reordersReplicas(t) && !sameOrder(replicas, t.newReplicas));
    });
    const failed = new Map<string, PartitionResult>();
    if (reorder.length > 0) {
      const results = await this.gateway.reassign(
        reorder.map((t) => ({ topic: t.topic, partition: t.partition, replicas: [...t.newReplicas] })),
      );
      for (const r of results) if (!r.ok) failed.set(`${r.topic}-${r.partition}`, r);
    }
    const elect = tasks.filter((t) => !failed.has(taskPartition(t)));
    const elected =
      elect.length === 0
        ? []
        : await this.gateway.electPreferredLeaders(elect.map((t) => ({ topic: t.topic, partition: t.partition })));
    // An election that is not needed yet (the reorder still settling) is retried by the next steps.
    return [
      ...failed.values(),
      ...elected.map((r) =>
        r.error === 'ELECTION_NOT_NEEDED' || r.error === 'PREFERRED_LEADER_NOT_AVAILABLE' ? { ...r, ok: true } : r,
      ),
    ];
  }
}
