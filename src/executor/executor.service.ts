// The executor's facade, what the API and self-healing call: start an execution of a proposal, stop
// it, read the last known record and the configured defaults. Behind it, the supervisor runs the
// engine's operations one at a time and the step processor steps executions with a BullMQ job
// scheduler in Redis; the scheduler and the record both live in Redis, so after a restart the
// steps simply continue from what Kafka says.
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BallastConfig } from '../config/index.js';
import type { PartitionMove } from '../model/index.js';
import { executionDefaultsOf } from './execution-defaults.js';
import type { ExecutionOptions, ExecutionRecord } from './execution-record.js';
import { ExecutionSupervisor } from './execution-supervisor.js';
import { tasksFromProposals, type PartitionFacts } from './planner/index.js';
import {
  executionOptionsOf,
  partitionFactsOf,
  type ExecutableProposal,
  type ExecutionOverrides,
} from './proposal-execution.js';
import { StepProcessor } from './step.processor.js';

@Injectable()
export class ExecutorService implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly supervisor: ExecutionSupervisor,
    private readonly processor: StepProcessor,
    private readonly config: BallastConfig,
  ) {}

  /** Resumes an execution a previous process left running, or recovers one from Kafka. */
  async onModuleInit(): Promise<void> {
    this.supervisor.startWatchdog();
    await this.supervisor.resume();
  }

  async onApplicationShutdown(): Promise<void> {
    this.supervisor.stopWatchdog();
    await this.processor.close();
  }

  /**
   * Starts executing a proposal. Sizes come from the model the proposal was made on.
   * @throws ExecutionInProgressError when another execution has not finished.
   */
  async execute(input: {
    operation: string;
    reason: string;
    proposals: readonly PartitionMove[];
    factsOf: (topic: string, partition: number) => PartitionFacts | undefined;
    options: ExecutionOptions;
  }): Promise<ExecutionRecord> {
    const tasks = tasksFromProposals(input.proposals, input.factsOf);
    return this.supervisor.start({ operation: input.operation, reason: input.reason, tasks, options: input.options });
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
    return this.supervisor.stop(reason);
  }

  /** The current or most recent execution, as of the last step. */
  lastKnown(): ExecutionRecord | null {
    return this.supervisor.lastKnown();
  }

  /** Options of a request filled from the configured defaults. */
  defaults(): ExecutionOptions {
    return executionDefaultsOf(this.config.executor);
  }
}
