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
import { markedBrokers, recoveryFrom } from './recovery.js';
import { wayOut } from './unfinishable-move.js';
import { topicPartitionName } from '../common/index.js';

/** A task whose target lost a broker, as settle found it. */
interface Unfinishable {
  task: TaskRecord;
  deadBrokers: number[];
  detail: string;
}

const TERMINAL = new Set(['COMPLETED', 'STOPPED', 'FAILED']);
const NO_TOPIC = /^$/;

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

/** What starting an execution takes: what started it and why, its tasks and its options. */
export interface NewExecution {
  operation: string;
  reason: string;
  tasks: readonly ExecutionTask[];
  options: ExecutionOptions;
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
  async start(input: NewExecution): Promise<ExecutionRecord> {
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

  /**
   * Checks the stored record against Kafka (at start-up, when Redis is back, when the record went
   * missing): Ballast's marked throttles with no running execution recorded become a recovered
   * execution that stops and cleans up (recovery.ts), recorded before anything is sent. Returns it,
   * or null when the record and Kafka agree.
   */
  async recover(occasion: string, options: ExecutionOptions): Promise<ExecutionRecord | null> {
    const stored = await this.store.load();
    if (stored !== null && !TERMINAL.has(stored.status)) return null;
    // Brokers and their configs only, no topic: cheap enough to ask every minute at any scale.
    if (markedBrokers(await this.gateway.snapshot({ topicPattern: NO_TOPIC })).length === 0) return null;
    const recovery = recoveryFrom({
      snapshot: await this.gateway.snapshot(),
      stored,
      occasion,
      options,
      nowMs: this.clock(),
    });
    if (recovery === null) return null;
    const { record, staleEntries } = recovery;
    await this.store.save(record);
    if (staleEntries.length > 0) {
      const results = await this.gateway.alterConfigs(staleEntries);
      const failed = results
        .filter((r) => !r.ok)
        .map((r) => `${r.name} of ${r.resource.type === 'topic' ? r.resource.topic : r.resource.brokerId}`);
      const topics = new Set(staleEntries.map((c) => (c.resource.type === 'topic' ? c.resource.topic : '')));
      pushEvent(
        record,
        `removed the throttled-replica entries of partitions no longer moving from ${topics.size} topic(s)${failed.length > 0 ? `; failed: ${failed.join(', ')} (the stop removes the rates anyway)` : ''}`,
      );
      await this.store.save(record);
    }
    return record;
  }

  /** One step of the current execution. */
  async step(): Promise<StepResult> {
    const record = await this.store.load();
    if (record === null || TERMINAL.has(record.status)) return { record, more: false };
    const snapshot = await this.gateway.snapshot();
    const index = indexSnapshot(snapshot);
    const now = this.clock();
    // A record older than Kafka (a Redis restored from an older snapshot): throttles Kafka shows as
    // Ballast's are this execution's to remove too.
    const unrecorded = markedBrokers(snapshot).filter((b) => !record.throttledBrokers.includes(b));
    if (unrecorded.length > 0) {
      record.throttledBrokers = [...record.throttledBrokers, ...unrecorded];
      pushEvent(
        record,
        `Kafka shows Ballast's throttles on broker(s) ${unrecorded.join(', ')} this record did not name: removed when they are no longer needed`,
      );
    }
    // Taken before any move is sent (a record from before baselines existed gets one now).
    record.baseline ??= clusterBaseline(record, index);
    const { ended, unfinishable } = this.settle(record, index, now);
    ended.push(...(await this.endUnfinishable(record, unfinishable, index, now)));
    await this.throttles.clearEnded(record, ended);
    await this.throttles.adaptRates(record, now);
    if (record.status === 'STOPPING') await this.stopping(record);
    else if (!this.pauseOnTrouble(record, index)) await this.startNext(record, index, now);
    await this.throttles.clearLogDirs(record, false);
    const active = record.tasks.some(
      (t) => t.state === 'PENDING' || t.state === 'IN_PROGRESS' || t.state === 'ABORTING',
    );
    if (!active) {
      await this.throttles.clearAll(record);
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
   * those Kafka can no longer finish (a broker of their target died), to be ended by endUnfinishable.
   */
  private settle(
    record: ExecutionRecord,
    index: SnapshotIndex,
    now: number,
  ): { ended: TaskRecord[]; unfinishable: Unfinishable[] } {
    const ended: TaskRecord[] = [];
    const unfinishable: Unfinishable[] = [];
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
      if (verdict.kind === 'target-dead') {
        unfinishable.push({ task, deadBrokers: verdict.deadBrokers, detail: verdict.detail });
        continue;
      }
      task.finishedAtMs = now;
      if (verdict.kind === 'completed') task.state = task.state === 'ABORTING' ? 'ABORTED' : 'COMPLETED';
      else {
        task.state = 'DEAD';
        task.note = verdict.detail;
        pushEvent(record, `${task.kind} ${taskPartition(task)} DEAD: ${verdict.detail}`);
      }
      if (task.kind === 'INTER_BROKER_REPLICA_ACTION') ended.push(task);
    }
    return { ended, unfinishable };
  }

  /**
   * Ends the moves Kafka can no longer finish, without waiting for the dead broker: cancelled back
   * to their original replicas where that is safe, else re-targeted to the live part of their
   * target (unfinishable-move.ts). The re-target is recorded before it is sent. Returns the tasks
   * that ended now (their throttles can go).
   */
  private async endUnfinishable(
    record: ExecutionRecord,
    unfinishable: readonly Unfinishable[],
    index: SnapshotIndex,
    now: number,
  ): Promise<TaskRecord[]> {
    if (unfinishable.length === 0) return [];
    const ended: TaskRecord[] = [];
    const ways = unfinishable.map((u) => ({ ...u, way: wayOut(u.task, u.deadBrokers, index) }));
    const cancels = ways.filter((w) => w.way.kind === 'cancel');
    const cancelled =
      cancels.length === 0
        ? []
        : await this.gateway.cancelReassignments(
            cancels.map((w) => ({ topic: w.task.topic, partition: w.task.partition })),
          );
    const retargets: { task: TaskRecord; detail: string; replicas: number[]; shortBy: number }[] = [];
    for (const w of ways) {
      const { task, detail, way } = w;
      if (way.kind === 'cancel') {
        const result = cancelled.find((r) => r.topic === task.topic && r.partition === task.partition);
        if (result?.ok) {
          task.state = task.state === 'ABORTING' ? 'ABORTED' : 'DEAD';
          task.finishedAtMs = now;
          task.note = `${detail}; rolled back to the original replicas`;
          pushEvent(record, `${taskPartition(task)}: ${task.note}`);
          ended.push(task);
          continue;
        }
        // Refused (an original replica died meanwhile): re-targeted instead.
        const again = wayOut({ ...task, retargetReplicas: [...task.newReplicas] }, w.deadBrokers, index);
        if (again.kind === 'retarget') retargets.push({ task, detail, ...again });
        else
          this.stuck(
            record,
            task,
            `${detail}; ${again.kind === 'stuck' ? again.detail : 'cannot be cancelled'}`,
            now,
            ended,
          );
        continue;
      }
      if (way.kind === 'retarget') retargets.push({ task, detail, replicas: way.replicas, shortBy: way.shortBy });
      else this.stuck(record, task, `${detail}; ${way.detail}`, now, ended);
    }
    if (retargets.length === 0) return ended;
    for (const r of retargets) {
      const changed = r.task.retargetReplicas === undefined || !sameOrder(r.task.retargetReplicas, r.replicas);
      r.task.retargetReplicas = r.replicas;
      r.task.state = 'ABORTING';
      if (!changed && r.task.note !== undefined) continue;
      const short = r.shortBy > 0 ? ` (${r.shortBy} replica(s) short of the plan until a heal adds them)` : '';
      r.task.note = `${r.detail}: re-targeted to [${r.replicas.join(', ')}]${short}, which Kafka can finish`;
      pushEvent(record, `${taskPartition(r.task)}: ${r.task.note}`);
    }
    // Recorded before it is sent: a restart in between finds the re-target and sends it again.
    await this.store.save(record);
    const results = await this.gateway.reassign(
      retargets.map((r) => ({ topic: r.task.topic, partition: r.task.partition, replicas: r.replicas })),
    );
    for (const result of results.filter((x) => !x.ok)) {
      pushEvent(
        record,
        `re-targeting ${topicPartitionName(result.topic, result.partition)} failed (retried next step): ${result.error ?? ''} ${result.message ?? ''}`.trim(),
      );
    }
    return ended;
  }

  /**
   * A move with no live in-sync replica left: nothing can finish or undo it until a broker returns.
   * A running execution waits for that; a stopping one ends it (DEAD) so the stop reaches its end,
   * leaving the reassignment to Kafka, as the event says.
   */
  private stuck(record: ExecutionRecord, task: TaskRecord, detail: string, now: number, ended: TaskRecord[]): void {
    if (record.status !== 'STOPPING') {
      if (task.note !== detail) pushEvent(record, `${taskPartition(task)}: ${detail}; waits for the broker to return`);
      task.note = detail;
      return;
    }
    task.state = 'DEAD';
    task.finishedAtMs = now;
    task.note = `${detail}; left to Kafka: it completes once a replica of the partition is back`;
    pushEvent(record, `${taskPartition(task)}: ${task.note}`);
    ended.push(task);
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
      for (const r of results) if (!r.ok) failed.set(taskPartition(r), r);
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
