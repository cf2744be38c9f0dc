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
import { ExecutionEngine } from './execution-engine.js';
import type { ExecutionOptions, ExecutionRecord } from './execution-record.js';
import { tasksFromProposals, type PartitionFacts } from './planner/index.js';
import { RedisExecutionStore } from './redis-execution-store.js';

const QUEUE = 'executor';
const SCHEDULER = 'execution-steps';
/** Longest shutdown waits for a step in flight. */
const SHUTDOWN_WAIT_MS = 10_000;

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

  constructor(
    gateway: KafkaGateway,
    private readonly store: RedisExecutionStore,
    private readonly config: BallastConfig,
  ) {
    this.engine = new ExecutionEngine(gateway, store);
  }

  private connection(): Redis {
    // BullMQ needs maxRetriesPerRequest null on the connections its workers block on.
    const redis = new Redis(this.config.redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  private queueOf(): Queue<StepJob> {
    this.queue ??= new Queue<StepJob>(QUEUE, { connection: this.connection(), prefix: this.config.redis.keyPrefix });
    return this.queue;
  }

  /** Resumes an execution a previous process left running. */
  async onModuleInit(): Promise<void> {
    try {
      const current = await this.store.load();
      this.last = current;
      if (current !== null && (current.status === 'IN_PROGRESS' || current.status === 'STOPPING')) {
        this.logger.log({ msg: 'resuming execution', id: current.id, status: current.status });
        await this.schedule();
      }
    } catch (error) {
      // Redis may be down at start-up: /ready says so; a later request or restart resumes.
      this.logger.warn({ msg: 'could not check for an execution to resume', error: describeError(error) });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // A step in flight finishes (its record is saved) unless Redis or Kafka hang: bounded either way.
    const closing = Promise.all([this.worker?.close(), this.queue?.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    for (const c of this.connections) c.disconnect();
  }

  /** The worker exists only once there is an execution to step, so an idle Ballast holds no blocking connection. */
  private ensureWorker(): void {
    if (this.worker !== null) return;
    this.worker = new Worker<StepJob>(QUEUE, () => this.step(), {
      connection: this.connection(),
      prefix: this.config.redis.keyPrefix,
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.logger.warn({ msg: 'executor worker error', error: error.message }));
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
    const record = await this.engine.start({
      operation: input.operation,
      reason: input.reason,
      tasks,
      options: input.options,
    });
    this.last = record;
    this.logger.log({ msg: 'execution started', id: record.id, operation: record.operation, tasks: tasks.length });
    if (record.status === 'IN_PROGRESS') await this.schedule();
    return record;
  }

  /** Stops the current execution at its next step; null when none runs. */
  async stop(reason: string): Promise<ExecutionRecord | null> {
    const record = await this.engine.requestStop(reason);
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
      const { record, more } = await this.engine.step();
      if (record !== null) this.last = record;
      if (!more) {
        await this.queueOf().removeJobScheduler(SCHEDULER);
        if (record !== null) this.logger.log({ msg: 'execution ended', id: record.id, status: record.status });
      }
    } catch (error) {
      // The next step starts again from what Kafka and the store say.
      this.logger.warn({ msg: 'execution step failed; retrying at the next step', error: describeError(error) });
    }
  }
}
