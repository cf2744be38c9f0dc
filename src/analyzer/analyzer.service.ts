// The analyzer service: takes the workload model from the load monitor and answers proposals —
// optimizations (the goals run on a copy, on the optimizer thread) through the proposal cache, and
// the proposals built directly (demotion, replication factor). Keeps the default proposal fresh.
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Goal } from '../../goals/index.js';
import { BallastConfig } from '../config/index.js';
import { LoadMonitorService, type Workload } from '../monitor/index.js';
import type { ClusterModel } from '../model/index.js';
import { demotionProposal, replicationFactorProposal, type DirectOperation } from './direct-proposals.js';
import { GoalRegistry } from './goal-registry.js';
import type { DemotionResult } from './operations/index.js';
import type { OptimizationOptions } from './optimizer.js';
import { OptimizerThread, type OptimizerRun } from './optimizer-thread.js';
import { ProposalCache } from './proposal-cache.js';
import { proposalOptimality } from './proposal-optimality.js';
import type {
  DemotionRequest,
  Proposal,
  ProposalComputation,
  ProposalRequest,
  ReplicationFactorRequest,
} from './proposal.js';
import { RequestResolver } from './request-resolver.js';

/** The request a plain `GET /proposals` makes: what the background refresh keeps ready. */
const DEFAULT_REQUEST: ProposalRequest = {
  rebalanceDisk: false,
  allowCapacityEstimation: true,
  ignoreProposalCache: false,
  skipHardGoalCheck: false,
};

@Injectable()
export class AnalyzerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Analyzer');
  private readonly cache = new ProposalCache();
  private readonly resolver: RequestResolver;
  private refreshTimer: NodeJS.Timeout | null = null;
  private lastRefreshProblem: string | null = null;
  private readonly computationListeners: ((computation: ProposalComputation) => void)[] = [];
  private readonly optimizer: OptimizerThread;

  constructor(
    private readonly monitor: LoadMonitorService,
    private readonly config: BallastConfig,
    private readonly goals: GoalRegistry,
  ) {
    this.optimizer = new OptimizerThread(config.analyzer);
    this.resolver = new RequestResolver(goals, () => monitor.knownBrokerIds());
  }

  onModuleInit(): void {
    const intervalMs = this.config.analyzer.proposalRefreshIntervalMs;
    if (intervalMs === 0) return;
    this.refreshTimer = setInterval(() => void this.refreshDefaultProposal(), intervalMs);
    this.refreshTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    await this.optimizer.close();
  }

  /**
   * Recomputes the default proposal when the model changed since the cached one (a no-op
   * otherwise), so users get it from the cache. Never throws: a model not ready or a hard goal
   * that cannot be met is logged once per new reason, and answered again on request.
   */
  async refreshDefaultProposal(): Promise<void> {
    if (this.monitor.state().ready !== true) return;
    try {
      await this.proposals(DEFAULT_REQUEST);
      this.lastRefreshProblem = null;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (problem !== this.lastRefreshProblem) {
        this.logger.warn({ msg: 'background proposal refresh failed', problem });
        this.lastRefreshProblem = problem;
      }
    }
  }

  /** Calls `listener` after every computed (not cached) proposal, and every computation that threw. */
  onComputation(listener: (computation: ProposalComputation) => void): void {
    this.computationListeners.push(listener);
  }

  /** The proposal last computed for any request (the cached one); null before the first. */
  latestProposal(): Proposal | null {
    return this.cache.latest();
  }

  private tell(computation: ProposalComputation): void {
    for (const listener of this.computationListeners) listener(computation);
  }

  /** The goals a request names, validated; throws UnknownGoalError naming the unknown ones. */
  goalsFor(request: Pick<ProposalRequest, 'goals' | 'rebalanceDisk' | 'fallbackGoals'>): Goal[] {
    return this.resolver.goals(request);
  }

  /**
   * A proposal for the current workload. Needs the model to be ready (the monitor's configured
   * windows and partition share); served from the cache when nothing it depends on changed.
   * @throws LoadMonitorNotReadyError, UnknownGoalError, UnknownBrokerError, UnknownLogDirError, HardGoalViolationError, CapacityEstimationNotAllowedError
   */
  async proposals(request: ProposalRequest): Promise<Proposal> {
    const goals = this.resolver.goals(request);
    this.resolver.refuseUnknownBrokers('brokers', request.brokersToRemove);
    this.resolver.refuseUnknownBrokers('destinationBrokers', request.destinationBrokerIds);
    const workload = this.readyWorkload(request.allowCapacityEstimation);
    this.resolver.checkBrokers(workload, 'brokers', request.brokersToRemove);
    this.resolver.checkBrokers(workload, 'destinationBrokers', request.destinationBrokerIds);
    const disksToRemove = this.resolver.disks(workload, request.disksToRemove ?? []);
    const key = JSON.stringify({
      goals: goals.map((g) => g.name),
      disksToRemove: [...disksToRemove],
      excludedTopics: request.excludedTopics?.source ?? null,
      destinationBrokerIds: request.destinationBrokerIds ?? null,
      brokersToRemove: request.brokersToRemove ?? null,
      skipHardGoalCheck: request.skipHardGoalCheck,
    });
    return this.cache.get(key, workload, request.ignoreProposalCache, () =>
      this.optimizeWorkload(request, goals, workload, disksToRemove),
    );
  }

  private async optimizeWorkload(
    request: ProposalRequest,
    goals: Goal[],
    workload: Workload,
    disksToRemove: ReadonlySet<number>,
  ): Promise<Proposal> {
    const started = performance.now();
    let run: OptimizerRun;
    try {
      run = await this.optimizer.run(workload.model, {
        goals,
        thresholds: this.goals.thresholds,
        excludedTopics: request.excludedTopics,
        destinationBrokerIds: request.destinationBrokerIds ? new Set(request.destinationBrokerIds) : undefined,
        brokersToRemove: request.brokersToRemove ? new Set(request.brokersToRemove) : undefined,
        disksToRemove,
        skipHardGoalCheck: request.skipHardGoalCheck,
        minInsyncReplicas: workload.topicMinInsyncReplicas,
      });
    } catch (error) {
      this.tell({ operation: 'optimize', durationMs: performance.now() - started });
      throw error;
    }
    const { model: optimized, result } = run;
    this.logger.log({
      msg: 'proposal computed',
      goals: goals.length,
      durationMs: Math.round(result.durationMs),
      replicaMoves: result.replicaMoves,
      leaderMoves: result.leaderMoves,
    });
    const proposal: Proposal = {
      before: workload,
      after: { ...workload, model: optimized },
      result,
      optimality: proposalOptimality(workload.model, result, this.goals.thresholds, request.excludedTopics),
      goals: goals.map((g) => g.name),
      computedAtMs: Date.now(),
      fromCache: false,
    };
    this.tell({ operation: 'optimize', durationMs: result.durationMs, proposal });
    return proposal;
  }

  /**
   * Optimizes a copy of `model` on the optimizer thread (the anomaly detector's dry runs), one
   * computation at a time with the proposals. Nothing is cached.
   */
  optimizeCopy(model: ClusterModel, options: OptimizationOptions): Promise<OptimizerRun> {
    return this.optimizer.run(model, options);
  }

  /**
   * Brings the model's cluster view up to date before a proposal that will be executed: a
   * snapshot taken while the last execution's moves were in flight is replaced. Call it first.
   */
  async refreshClusterView(): Promise<void> {
    await this.monitor.refreshSnapshotIfReassigning();
  }

  /**
   * Moves leadership off `brokerIds` and puts them last in every replica list (`demote_broker`):
   * no goal runs and no data moves. Partitions that cannot be demoted are listed in `skipped`.
   * @throws LoadMonitorNotReadyError, UnknownBrokerError
   */
  demotion(request: DemotionRequest): Proposal & { demotion: DemotionResult } {
    this.resolver.refuseUnknownBrokers('brokers', request.brokerIds);
    const workload = this.readyWorkload(request.allowCapacityEstimation);
    return this.told('demote_broker', demotionProposal(workload, request, this.goals.thresholds));
  }

  /**
   * Adds or drops replicas so every partition of the matching topics has `replicationFactor`
   * (`topic_configuration`). No goal runs.
   * @throws LoadMonitorNotReadyError, UnknownBrokerError, InvalidReplicationFactorError, NoMatchingTopicError, BelowMinInsyncReplicasError
   */
  replicationFactor(request: ReplicationFactorRequest): Proposal & { topics: string[] } {
    this.resolver.refuseUnknownBrokers('excludedBrokers', request.excludedBrokers);
    const workload = this.readyWorkload(request.allowCapacityEstimation);
    this.resolver.checkBrokers(workload, 'excludedBrokers', request.excludedBrokers);
    return this.told('topic_configuration', replicationFactorProposal(workload, request, this.goals.thresholds));
  }

  /** Logs a directly built proposal and tells the listeners. */
  private told<P extends Proposal>(operation: DirectOperation, proposal: P): P {
    const { result } = proposal;
    this.logger.log({
      msg: 'proposal computed',
      operation,
      partitions: result.proposals.length,
      replicaMoves: result.replicaMoves,
    });
    this.tell({ operation, durationMs: result.durationMs, proposal });
    return proposal;
  }

  private readyWorkload(allowCapacityEstimation: boolean): Workload {
    return this.monitor.workload({
      mode: 'expected',
      minValidWindows: this.config.monitor.minValidWindows,
      minValidPartitionRatio: this.config.monitor.minValidPartitionRatio,
      allowCapacityEstimation,
    });
  }

  /** Cruise Control's AnalyzerState: a proposal is ready when the model is. */
  state(): { isProposalReady: boolean; readyGoals: string[] } {
    const ready = this.monitor.state().ready === true;
    return { isProposalReady: ready, readyGoals: ready ? this.goals.defaultGoals.map((g) => g.name) : [] };
  }
}
