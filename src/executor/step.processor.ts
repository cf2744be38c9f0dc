// The executor's BullMQ processor: its own Redis connections, the queue, the one worker, the job
// scheduler that enqueues a step every executor.stepIntervalMs, and what it does when Redis goes
// away and comes back.
import { Injectable, Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';

const QUEUE = 'executor';
const SCHEDULER = 'execution-steps';
/** Longest shutdown waits for a step in flight. */
const SHUTDOWN_WAIT_MS = 10_000;
/** BullMQ repeats a connection error many times a second while Redis is away: each is logged at most this often. */
const REPEAT_LOG_MS = 30_000;
/** Errors that mean Redis cannot be reached, as ioredis and Node word them. */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|max retries/i;

/** One step of the running execution: the scheduler enqueues one every executor.stepIntervalMs. */
export interface StepJob {
  kind: 'step';
}

/** Every job the executor queue carries, told apart by `kind`. */
export type ExecutorJob = StepJob;

/** Runs one kind of job; a new member of ExecutorJob does not compile until it has a handler. */
export type ExecutorJobHandlers = {
  [K in ExecutorJob['kind']]: (job: Extract<ExecutorJob, { kind: K }>) => Promise<void>;
};

/** What the processor needs from whoever drives the execution, registered once. */
export interface StepProcessorHooks {
  handlers: ExecutorJobHandlers;
  /** The execution last known to be running: named in the logs about Redis, and rescheduled when Redis is back. */
  runningExecutionId(): string | undefined;
  /** Redis answers again after it was lost: what it holds is checked before the scheduler is upserted again. */
  redisBack(): Promise<void>;
}

@Injectable()
export class StepProcessor {
  private readonly logger = new Logger('Executor');
  private hooks: StepProcessorHooks | null = null;
  private queue: Queue<ExecutorJob> | null = null;
  private worker: Worker<ExecutorJob> | null = null;
  private readonly connections: Redis[] = [];
  /** When the queue or worker first lost Redis, until it answers again; null while it answers. */
  private redisLostAtMs: number | null = null;
  private readonly loggedAtMs = new Map<string, number>();

  constructor(private readonly config: BallastConfig) {}

  /**
   * Registers the job handlers and hooks; once only, so no job can have two handlers.
   * @throws Error when hooks were registered already.
   */
  register(hooks: StepProcessorHooks): void {
    if (this.hooks !== null) throw new Error('the executor step processor already has its handlers');
    this.hooks = hooks;
  }

  /** Whether the queue or worker has lost Redis and it has not answered since. */
  get redisLost(): boolean {
    return this.redisLostAtMs !== null;
  }

  /** Idempotent: one scheduler per queue, whatever the number of restarts. */
  async schedule(): Promise<void> {
    this.ensureWorker();
    await this.queueOf().upsertJobScheduler(
      SCHEDULER,
      { every: this.config.executor.stepIntervalMs },
      { name: 'step', data: { kind: 'step' } },
    );
  }

  /** No more steps: the execution ended, or its record is gone. */
  async unschedule(): Promise<void> {
    await this.queueOf().removeJobScheduler(SCHEDULER);
  }

  /** A step in flight finishes (its record is saved) unless Redis or Kafka hang: bounded either way. */
  async close(): Promise<void> {
    const closing = Promise.all([this.worker?.close(), this.queue?.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    for (const c of this.connections) c.disconnect();
  }

  private connection(): Redis {
    // BullMQ needs maxRetriesPerRequest null on the connections its workers block on.
    const redis = new Redis(this.config.redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  private queueOf(): Queue<ExecutorJob> {
    if (this.queue === null) {
      const connection = this.connection();
      connection.on('ready', () => void this.redisBack());
      this.queue = new Queue<ExecutorJob>(QUEUE, { connection, prefix: this.config.redis.keyPrefix });
      // Without a listener BullMQ prints the error raw on stderr, once per reconnection attempt.
      this.queue.on('error', (error) => this.redisLostBy('queue', error));
    }
    return this.queue;
  }

  /** The worker exists only once there is an execution to step, so an idle Ballast holds no blocking connection. */
  private ensureWorker(): void {
    if (this.worker !== null) return;
    const hooks = this.hooks;
    // A worker with nothing to run its jobs would take them off the queue for nothing.
    if (hooks === null) throw new Error('the executor step processor has no handlers registered');
    const connection = this.connection();
    connection.on('ready', () => void this.redisBack());
    this.worker = new Worker<ExecutorJob>(QUEUE, (job) => this.run(hooks.handlers, job.data), {
      connection,
      prefix: this.config.redis.keyPrefix,
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.redisLostBy('worker', error));
  }

  private run(handlers: ExecutorJobHandlers, job: ExecutorJob): Promise<void> {
    switch (job.kind) {
      case 'step':
        return handlers.step(job);
    }
  }

  /** An error of the queue or worker; when Redis went away, no step runs until it answers again. */
  private redisLostBy(source: 'queue' | 'worker', error: Error): void {
    const unreachable = UNREACHABLE.test(error.message);
    if (unreachable) this.redisLostAtMs ??= Date.now();
    const key = `${source} ${error.message}`;
    const now = Date.now();
    if (now - (this.loggedAtMs.get(key) ?? 0) < REPEAT_LOG_MS) return;
    this.loggedAtMs.set(key, now);
    if (!unreachable) {
      // A job BullMQ could not complete or lock (after a Redis restart): the scheduler's next step runs anyway.
      this.logger.warn({ msg: 'executor queue error in Redis', source, error: error.message });
      return;
    }
    const execution = this.hooks?.runningExecutionId();
    this.logger.warn({
      msg: 'executor cannot reach Redis',
      source,
      error: error.message,
      execution,
      // What this means for an execution: what goes on and what waits.
      effect: execution
        ? 'no step runs until Redis answers: moves already sent to Kafka go on under their throttles; no new move starts, no throttle is removed; the next step reconciles from Kafka and sends nothing twice'
        : 'no execution is running; a new one cannot start until Redis answers',
    });
  }

  /**
   * Redis answers again (also on the first connection). The scheduler lives in Redis, so it is
   * upserted again (idempotent) for an execution known to be running: a Redis restarted from an
   * older snapshot, or a failover, may have lost it, and without it no step would ever run.
   */
  private async redisBack(): Promise<void> {
    if (this.redisLostAtMs === null) return;
    const downMs = Date.now() - this.redisLostAtMs;
    this.redisLostAtMs = null;
    this.loggedAtMs.clear();
    const hooks = this.hooks;
    if (hooks === null) return;
    const execution = hooks.runningExecutionId();
    this.logger.log({ msg: 'executor reached Redis again', downMs, execution });
    try {
      // Redis may have come back empty (no persistence, a failover that lost data): the record and
      // Kafka are checked against each other before anything else.
      await hooks.redisBack();
      if (hooks.runningExecutionId() !== undefined) await this.schedule();
    } catch (error) {
      this.logger.warn({ msg: 'could not re-check the execution after Redis came back', error: describeError(error) });
    }
  }
}
