// The execution as this process knows it: engine operations (start, stop, step, recovery) run one at
// a time, the record as of the last of them, and the checks that keep that memory in line with Redis
// and Kafka — at start-up, when Redis comes back, when a step finds the record gone, and on a timer.
import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { ExecutionEngine, type NewExecution } from './execution-engine.js';
import { executionDefaultsOf } from './execution-defaults.js';
import type { ExecutionRecord } from './execution-record.js';
import { RedisExecutionStore } from './redis-execution-store.js';
import { StepProcessor } from './step.processor.js';

/** How often the watchdog checks a running execution's record (watch()). */
const WATCHDOG_INTERVAL_MS = 5_000;
/** With no execution running, Kafka is checked for throttles left behind every this many ticks (a minute). */
const IDLE_CHECK_EVERY_TICKS = 12;
/** A watchdog check that keeps failing is logged at most this often. */
const REPEAT_LOG_MS = 30_000;

@Injectable()
export class ExecutionSupervisor {
  private readonly logger = new Logger('Executor');
  /** The record as of the last step or request, for GET /state without a Redis round trip. */
  private last: ExecutionRecord | null = null;
  /** Serializes what reads and writes the record (steps, starts, stops, recoveries): one at a time. */
  private exclusive: Promise<unknown> = Promise.resolve();
  private watchdog: NodeJS.Timeout | null = null;
  private watchdogTicks = 0;
  private watchdogWarnedAtMs = 0;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly store: RedisExecutionStore,
    private readonly processor: StepProcessor,
    private readonly config: BallastConfig,
  ) {
    processor.register({
      handlers: { step: () => this.step() },
      runningExecutionId: () => this.runningExecutionId(),
      redisBack: () => {
        // The outage is over: a watchdog failure after it is news again, as the processor's are.
        this.watchdogWarnedAtMs = 0;
        return this.verify('Redis reachable again');
      },
    });
  }

  /** The current or most recent execution, as of the last step. */
  lastKnown(): ExecutionRecord | null {
    return this.last;
  }

  /** Resumes an execution a previous process left running, or recovers one from Kafka. */
  async resume(): Promise<void> {
    try {
      const current = await this.store.load();
      this.last = current;
      if (current !== null && (current.status === 'IN_PROGRESS' || current.status === 'STOPPING')) {
        this.logger.log({ msg: 'resuming execution', id: current.id, status: current.status });
        await this.processor.schedule();
        return;
      }
      await this.verify('start-up');
    } catch (error) {
      // Redis or Kafka may be down at start-up: /ready says so; the watchdog checks again.
      this.logger.warn({ msg: 'could not check for an execution to resume', error: describeError(error) });
    }
  }

  /**
   * Records a new execution of `tasks` and schedules its steps.
   * @throws ExecutionInProgressError when another execution has not finished.
   */
  async start(input: NewExecution): Promise<ExecutionRecord> {
    const record = await this.serially(() => this.engine.start(input));
    this.last = record;
    this.logger.log({
      msg: 'execution started',
      id: record.id,
      operation: record.operation,
      tasks: input.tasks.length,
    });
    if (record.status === 'IN_PROGRESS') await this.processor.schedule();
    return record;
  }

  /** Stops the current execution at its next step; null when none runs. */
  async stop(reason: string): Promise<ExecutionRecord | null> {
    const record = await this.serially(() => this.engine.requestStop(reason));
    if (record !== null) {
      this.last = record;
      await this.processor.schedule();
    }
    return record;
  }

  startWatchdog(): void {
    this.watchdog = setInterval(() => void this.watch(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
  }

  stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
  }

  /** Runs `fn` once everything queued before it has finished. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  /** The id of the execution last known to be running, if any. */
  private runningExecutionId(): string | undefined {
    const last = this.last;
    return last !== null && (last.status === 'IN_PROGRESS' || last.status === 'STOPPING') ? last.id : undefined;
  }

  /**
   * The stored record against memory and Kafka: an execution memory believes running but the store
   * no longer has is dropped (never reported as running), and Kafka's marked throttles with no
   * running execution recorded become a recovered execution that stops and cleans up.
   */
  private verify(occasion: string): Promise<void> {
    return this.serially(async () => {
      const stored = await this.store.load();
      const believed = this.runningExecutionId();
      if (believed !== undefined && stored?.id !== believed) {
        this.logger.warn({
          msg: 'the running execution is gone from the store: no longer reported; Kafka is checked for what it left',
          execution: believed,
          occasion,
        });
      }
      const recovered = await this.engine.recover(occasion, executionDefaultsOf(this.config.executor));
      this.last = recovered ?? stored;
      if (recovered === null) return;
      this.logger.warn({
        msg: 'execution recovered from Kafka: stopping it and cleaning up',
        id: recovered.id,
        reason: recovered.reason,
      });
      await this.processor.schedule();
    });
  }

  /**
   * Every few seconds while an execution runs, and every minute otherwise: the store still has
   * what memory reports (a FLUSHALL or a failover drops it without any disconnect), the steps'
   * scheduler is still in Redis, and Kafka shows no throttle of Ballast's that nothing records.
   */
  private async watch(): Promise<void> {
    this.watchdogTicks++;
    const running = this.runningExecutionId() !== undefined;
    if (!running && this.watchdogTicks % IDLE_CHECK_EVERY_TICKS !== 0) return;
    // While Redis is known to be away there is nothing to check: the processor has it verified when it answers.
    if (this.processor.redisLost) return;
    try {
      // While running, only whether the record is still there: the whole record is large at scale.
      if (!running || !(await this.store.exists())) {
        await this.verify(running ? 'execution record missing' : 'idle check for throttles left behind');
      }
      if (this.runningExecutionId() !== undefined) await this.processor.schedule();
    } catch (error) {
      const now = Date.now();
      if (now - this.watchdogWarnedAtMs < REPEAT_LOG_MS) return;
      this.watchdogWarnedAtMs = now;
      this.logger.warn({ msg: 'could not check the execution record against Kafka', error: describeError(error) });
    }
  }

  /** The step job: one engine step, and the scheduler removed once there is nothing more to step. */
  private async step(): Promise<void> {
    try {
      const { record, more } = await this.serially(() => this.engine.step());
      const believed = this.runningExecutionId();
      this.last = record;
      if (record === null && believed !== undefined) {
        // Redis lost the record: not reported from memory; Kafka is checked for what it left.
        await this.processor.unschedule();
        await this.verify('execution record missing');
        return;
      }
      if (!more) {
        await this.processor.unschedule();
        if (record !== null) this.logger.log({ msg: 'execution ended', id: record.id, status: record.status });
      }
    } catch (error) {
      // The next step starts again from what Kafka and the store say.
      this.logger.warn({
        msg: 'execution step failed; retrying at the next step',
        error: describeError(error),
        execution: this.last?.id,
        effect:
          'what the step did in Kafka before the error (throttles, reassignments) stays; what it had not saved is not in Redis, and tasks it was sending stay marked as being sent, so the next step checks Kafka before sending any again',
      });
    }
  }
}
