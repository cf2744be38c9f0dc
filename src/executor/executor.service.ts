// The executor service: starts executions of proposals and drives them with a BullMQ job scheduler
// in Redis — one `step` job every executor.stepIntervalMs, processed one at a time — until the
// execution ends. The scheduler and the execution record both live in Redis, so after a restart the
// steps simply continue from what Kafka says.
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaGateway } from '../kafka/index.js';
import type { PartitionProposal } from '../model/index.js';
import { LoadMonitorService } from '../monitor/index.js';
import { ExecutionEngine } from './execution-engine.js';
import type { ExecutionOptions, ExecutionRecord } from './execution-record.js';
import { tasksFromProposals, type PartitionFacts } from './planner/index.js';
import {
  executionOptionsOf,
  partitionFactsOf,
  type ExecutableProposal,
  type ExecutionOverrides,
} from './proposal-execution.js';
import { RedisExecutionStore } from './redis-execution-store.js';
import { brokerTrafficOf, type BrokerTraffic } from './throttle/index.js';

const QUEUE = 'executor';
const SCHEDULER = 'execution-steps';
/** Longest shutdown waits for a step in flight. */
const SHUTDOWN_WAIT_MS = 10_000;
/** BullMQ repeats a connection error many times a second while Redis is away: each is logged at most this often. */
const REPEAT_LOG_MS = 30_000;
/** How often the watchdog checks a running execution's record (watch()). */
const WATCHDOG_INTERVAL_MS = 5_000;
/** With no execution running, Kafka is checked for throttles left behind every this many ticks (a minute). */
const IDLE_CHECK_EVERY_TICKS = 12;
/** Errors that mean Redis cannot be reached, as ioredis and Node word them. */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|max retries/i;

/** The one job the executor queue carries. */
interface StepJob {
  kind: 'step';
}

@Injectable()
export class ExecutorService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Executor');
  private readonly engine: ExecutionEngine;
  private queue: Queue<StepJob> | null = null;
  private worker: Worker<StepJob> | null = null;
  private readonly connections: Redis[] = [];
  /** The record as of the last step or request, for GET /state without a Redis round trip. */
  private last: ExecutionRecord | null = null;
  /** Serializes what reads and writes the record (steps, starts, stops, recoveries): one at a time. */
  private exclusive: Promise<unknown> = Promise.resolve();
  private watchdog: NodeJS.Timeout | null = null;
  private watchdogTicks = 0;
  /** When the queue or worker first lost Redis, until it answers again; null while it answers. */
  private redisLostAtMs: number | null = null;
  private readonly loggedAtMs = new Map<string, number>();

  constructor(
    gateway: KafkaGateway,
    private readonly store: RedisExecutionStore,
    private readonly config: BallastConfig,
    private readonly monitor: LoadMonitorService,
  ) {
    const { pauseOnClusterTrouble, adaptiveThrottle } = config.executor;
    this.engine = new ExecutionEngine(gateway, store, Date.now, {
      pauseOnClusterTrouble,
      adaptiveThrottle,
      brokerTraffic: () => this.brokerTraffic(),
    });
  }

  /**
   * Each broker's capacity and client traffic from the load monitor's newest windows, for adaptive
   * throttles; null while the monitor has no model (the execution's static rate then stands in).
   */
  private brokerTraffic(): Map<number, BrokerTraffic> | null {
    try {
      const windowMs = this.config.monitor.windowMs;
      // The newest complete windows: the live traffic, not the average of the whole history.
      const workload = this.monitor.workload({
        mode: 'avg',
        fromMs: Date.now() - 2 * windowMs,
        allowCapacityEstimation: true,
      });
      return brokerTrafficOf(workload);
    } catch (error) {
      this.logger.warn({ msg: 'no broker traffic for adaptive throttles', error: describeError(error) });
      return null;
    }
  }

  private connection(): Redis {
    // BullMQ needs maxRetriesPerRequest null on the connections its workers block on.
    const redis = new Redis(this.config.redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  private queueOf(): Queue<StepJob> {
    if (this.queue === null) {
      const connection = this.connection();
      connection.on('ready', () => void this.redisBack());
      this.queue = new Queue<StepJob>(QUEUE, { connection, prefix: this.config.redis.keyPrefix });
      // Without a listener BullMQ prints the error raw on stderr, once per reconnection attempt.
      this.queue.on('error', (error) => this.redisLost('queue', error));
    }
    return this.queue;
  }

  /** An error of the queue or worker; when Redis went away, no step runs until it answers again. */
  private redisLost(source: 'queue' | 'worker', error: Error): void {
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
    const execution = this.runningExecutionId();
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
    const execution = this.runningExecutionId();
    this.logger.log({ msg: 'executor reached Redis again', downMs, execution });
    try {
      // Redis may have come back empty (no persistence, a failover that lost data): the record and
      // Kafka are checked against each other before anything else.
      await this.verify('Redis reachable again');
      if (this.runningExecutionId() !== undefined) await this.schedule();
    } catch (error) {
      this.logger.warn({ msg: 'could not re-check the execution after Redis came back', error: describeError(error) });
    }
  }

  /** Runs `fn` once everything queued before it has finished. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
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
      const recovered = await this.engine.recover(occasion, this.defaults());
      this.last = recovered ?? stored;
      if (recovered === null) return;
      this.logger.warn({
        msg: 'execution recovered from Kafka: stopping it and cleaning up',
        id: recovered.id,
        reason: recovered.reason,
      });
      await this.schedule();
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
    // While Redis is known to be away there is nothing to check: redisBack() verifies when it answers.
    if (this.redisLostAtMs !== null) return;
    try {
      // While running, only whether the record is still there: the whole record is large at scale.
      if (!running || !(await this.store.exists())) {
        await this.verify(running ? 'execution record missing' : 'idle check for throttles left behind');
      }
      if (this.runningExecutionId() !== undefined) await this.schedule();
    } catch (error) {
      const now = Date.now();
      if (now - (this.loggedAtMs.get('watchdog') ?? 0) < REPEAT_LOG_MS) return;
      this.loggedAtMs.set('watchdog', now);
      this.logger.warn({ msg: 'could not check the execution record against Kafka', error: describeError(error) });
    }
  }

  /** The id of the execution last known to be running, if any. */
  private runningExecutionId(): string | undefined {
    const last = this.last;
    return last !== null && (last.status === 'IN_PROGRESS' || last.status === 'STOPPING') ? last.id : undefined;
  }

  /** Resumes an execution a previous process left running, or recovers one from Kafka. */
  async onModuleInit(): Promise<void> {
    this.watchdog = setInterval(() => void this.watch(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
    try {
      const current = await this.store.load();
      this.last = current;
      if (current !== null && (current.status === 'IN_PROGRESS' || current.status === 'STOPPING')) {
        this.logger.log({ msg: 'resuming execution', id: current.id, status: current.status });
        await this.schedule();
        return;
      }
      await this.verify('start-up');
    } catch (error) {
      // Redis or Kafka may be down at start-up: /ready says so; the watchdog checks again.
      this.logger.warn({ msg: 'could not check for an execution to resume', error: describeError(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    // A step in flight finishes (its record is saved) unless Redis or Kafka hang: bounded either way.
    const closing = Promise.all([this.worker?.close(), this.queue?.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    for (const c of this.connections) c.disconnect();
  }

  /** The worker exists only once there is an execution to step, so an idle Ballast holds no blocking connection. */
  private ensureWorker(): void {
    if (this.worker !== null) return;
    const connection = this.connection();
    connection.on('ready', () => void this.redisBack());
    this.worker = new Worker<StepJob>(QUEUE, () => this.step(), {
      connection,
      prefix: this.config.redis.keyPrefix,
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.redisLost('worker', error));
  }

  /**
   * Starts executing a proposal. Sizes come from the model the proposal was made on.
   * @throws ExecutionInProgressError when another execution has not finished.
   */
  async execute(input: {
    operation: string;
    reason: string;
    proposals: readonly PartitionProposal[];
    factsOf: (topic: string, partition: number) => PartitionFacts | undefined;
    options: ExecutionOptions;
  }): Promise<ExecutionRecord> {
    const tasks = tasksFromProposals(input.proposals, input.factsOf);
    const record = await this.serially(() =>
      this.engine.start({ operation: input.operation, reason: input.reason, tasks, options: input.options }),
    );
    this.last = record;
    this.logger.log({ msg: 'execution started', id: record.id, operation: record.operation, tasks: tasks.length });
    if (record.status === 'IN_PROGRESS') await this.schedule();
    return record;
  }

  /**
   * Executes a proposal with the configured defaults and the request's overrides: the one path of
   * the API's proposal-executing POSTs and of self-healing.
   * @throws ExecutionInProgressError when another execution has not finished.
   */
  async executeProposal(input: {
    operation: string;
    reason: string;
    proposal: ExecutableProposal;
    overrides?: ExecutionOverrides;
  }): Promise<ExecutionRecord> {
    return this.execute({
      operation: input.operation,
      reason: input.reason,
      proposals: input.proposal.result.proposals,
      factsOf: partitionFactsOf(input.proposal),
      options: executionOptionsOf(this.defaults(), input.overrides),
    });
  }

  /** Stops the current execution at its next step; null when none runs. */
  async stop(reason: string): Promise<ExecutionRecord | null> {
    const record = await this.serially(() => this.engine.requestStop(reason));
    if (record !== null) {
      this.last = record;
      await this.schedule();
    }
    return record;
  }

  /** The current or most recent execution, as of the last step. */
  lastKnown(): ExecutionRecord | null {
    return this.last;
  }

  /** Options of a request filled from the configured defaults. */
  defaults(): ExecutionOptions {
    const c = this.config.executor;
    return {
      limits: {
        partitionMovementsPerBroker: c.concurrentPartitionMovementsPerBroker,
        partitionMovementsInCluster: c.maxPartitionMovementsInCluster,
        intraBrokerMovementsPerBroker: c.concurrentIntraBrokerPartitionMovements,
        leaderMovements: c.concurrentLeaderMovements,
      },
      strategies: [...c.replicaMovementStrategies],
      replicationThrottleBytesPerSecond:
        c.defaultReplicationThrottleBytesPerSecond === 0 ? null : c.defaultReplicationThrottleBytesPerSecond,
      leaderMovementTimeoutMs: c.leaderMovementTimeoutMs,
      // A request that names its replication_throttle, or turns the throttle off, is to run 'static':
      // the API overrides this default for it.
      throttleMode: c.adaptiveThrottle.enabled ? 'adaptive' : 'static',
    };
  }

  /** Idempotent: one scheduler per queue, whatever the number of restarts. */
  private async schedule(): Promise<void> {
    this.ensureWorker();
    await this.queueOf().upsertJobScheduler(
      SCHEDULER,
      { every: this.config.executor.stepIntervalMs },
      { name: 'step', data: { kind: 'step' } },
    );
  }

  private async step(): Promise<void> {
    try {
      const { record, more } = await this.serially(() => this.engine.step());
      const believed = this.runningExecutionId();
      this.last = record;
      if (record === null && believed !== undefined) {
        // Redis lost the record: not reported from memory; Kafka is checked for what it left.
        await this.queueOf().removeJobScheduler(SCHEDULER);
        await this.verify('execution record missing');
        return;
      }
      if (!more) {
        await this.queueOf().removeJobScheduler(SCHEDULER);
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
