// The one path of every operation, for the REST API and self-healing alike: bring the cluster view
// up to date, propose, and unless it is a dry run, execute (stopping the running execution first
// when asked).
import { Injectable } from '@nestjs/common';
import { AnalyzerService, type Proposal } from '../analyzer/index.js';
import { ExecutorService, type ExecutionOverrides, type ExecutionRecord } from '../executor/index.js';
import type { Operation } from './operation.js';

/** How an operation runs. */
export interface RunOptions {
  /** Propose only: nothing is executed. */
  dryrun: boolean;
  /** Recorded with the execution as what started it. @defaultValue the operation's kind */
  label?: string;
  /** Why, recorded with the execution and any stop it asks for. */
  reason: string;
  /** Stop the running execution first, waiting up to a minute for it to end. */
  stopOngoingExecution?: boolean;
  /** A proposal that moves nothing is not executed (self-healing has nothing to do). */
  skipWhenNothingMoves?: boolean;
  overrides?: ExecutionOverrides;
}

/** Where a run tells its progress (a user task's steps); nowhere by default. */
export interface OperationProgress {
  step(step: string, description: string): void;
  inExecution(): void;
}

export interface OperationOutcome {
  proposal: Proposal;
  /** The execution started; null for a dry run or a proposal skipped as moving nothing. */
  execution: ExecutionRecord | null;
}

const SILENT: OperationProgress = { step: () => undefined, inExecution: () => undefined };

/** How long `stopOngoingExecution` waits for the running execution to stop. */
const STOP_WAIT_MS = 60_000;

@Injectable()
export class OperationService {
  constructor(
    private readonly analyzer: AnalyzerService,
    private readonly executor: ExecutorService,
  ) {}

  /**
   * Proposes `operation` and, unless `options.dryrun`, starts executing the proposal.
   * @throws the analyzer's refusals (LoadMonitorNotReadyError, UnknownBrokerError, HardGoalViolationError…), ExecutionInProgressError
   */
  async run(operation: Operation, options: RunOptions, progress = SILENT): Promise<OperationOutcome> {
    await this.analyzer.refreshClusterView();
    progress.step('OPTIMIZING', 'Computing the proposal from the current workload model.');
    // An execution starts from a fresh proposal; a dry run may use the cached one.
    const proposal = await this.propose(operation, !options.dryrun);
    if (options.dryrun) return { proposal, execution: null };
    if (options.skipWhenNothingMoves && proposal.result.proposals.length === 0) return { proposal, execution: null };
    progress.step('STARTING_EXECUTION', 'Starting the execution of the proposal.');
    progress.inExecution();
    if (options.stopOngoingExecution) await this.stopAndWait(options.reason);
    const execution = await this.executor.executeProposal({
      operation: options.label ?? operation.kind,
      reason: options.reason,
      proposal,
      overrides: options.overrides,
    });
    return { proposal, execution };
  }

  /** Asks the running execution to stop; the record stopping, or null when none runs. */
  stop(reason: string): Promise<ExecutionRecord | null> {
    return this.executor.stop(reason);
  }

  /** The record of the execution running now (in progress or stopping), whoever started it; null when none. */
  running(): ExecutionRecord | null {
    const last = this.executor.lastKnown();
    return last !== null && (last.status === 'IN_PROGRESS' || last.status === 'STOPPING') ? last : null;
  }

  private propose(operation: Operation, fresh: boolean): Promise<Proposal> | Proposal {
    switch (operation.kind) {
      case 'demote_broker':
        return this.analyzer.demotion(operation);
      case 'topic_configuration':
        return this.analyzer.replicationFactor(operation);
      case 'remove_disks':
        return this.analyzer.proposals({
          disksToRemove: operation.disks,
          fallbackGoals: 'none',
          rebalanceDisk: false,
          allowCapacityEstimation: operation.allowCapacityEstimation,
          ignoreProposalCache: operation.ignoreProposalCache || fresh,
          skipHardGoalCheck: false,
        });
      default: {
        const { goals, excludedTopics, allowCapacityEstimation, skipHardGoalCheck } = operation;
        return this.analyzer.proposals({
          goals,
          fallbackGoals: operation.fallbackGoals ?? (operation.kind === 'fix_offline_replicas' ? 'hard' : 'default'),
          rebalanceDisk: operation.kind === 'rebalance' && operation.rebalanceDisk,
          excludedTopics,
          destinationBrokerIds:
            operation.kind === 'add_broker'
              ? operation.brokerIds
              : operation.kind === 'fix_offline_replicas'
                ? undefined
                : operation.destinationBrokerIds,
          brokersToRemove: operation.kind === 'remove_broker' ? operation.brokerIds : undefined,
          allowCapacityEstimation,
          ignoreProposalCache: operation.ignoreProposalCache || fresh,
          skipHardGoalCheck,
        });
      }
    }
  }

  private async stopAndWait(reason: string): Promise<void> {
    if ((await this.executor.stop(reason)) === null) return;
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Date.now() < deadline) {
      if (this.running() === null) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Still stopping: starting now is refused with ExecutionInProgressError, which says what to do.
  }
}
