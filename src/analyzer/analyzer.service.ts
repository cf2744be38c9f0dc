// The analyzer service: takes the workload model from the load monitor, runs the goals on a copy,
// and keeps the last result until the monitor's snapshot or the request changes.
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Goal } from '../../goals/index.js';
import { BallastConfig } from '../config/index.js';
import { LoadMonitorService, type Workload } from '../monitor/index.js';
import { UnknownBrokerError, UnknownGoalError, UnknownLogDirError } from './analyzer.errors.js';
import { GoalRegistry } from './goal-registry.js';
import { Resource, type ClusterModel } from '../model/index.js';
import { optimalityBound, type OptimalityBound } from './optimality-bound.js';
import type { OptimizationOptions, OptimizationResult } from './optimizer.js';
import { OptimizerThread, type OptimizerRun } from './optimizer-thread.js';
import { balancednessScore } from './balancedness.js';
import { failureBudgetReport } from './failure-budget.js';
import { demotionProposals, replicationFactorProposals, type DemotionResult } from './operations/index.js';
import type { PartitionProposal } from '../model/index.js';

/** What `demote_broker` asks for (Cruise Control's parameters). */
export interface DemotionRequest {
  brokerIds: number[];
  skipUrpDemotion: boolean;
  excludeFollowerDemotion: boolean;
  allowCapacityEstimation: boolean;
  excludedTopics?: RegExp;
}

/** What `topic_configuration` asks for: a new replication factor for the matching topics. */
export interface ReplicationFactorRequest {
  /** Whole-name pattern, as Cruise Control matches `topic`. */
  topicPattern: RegExp;
  replicationFactor: number;
  allowCapacityEstimation: boolean;
  /** Kafka ids of brokers that must not receive a new replica. */
  excludedBrokers?: number[];
  /** Accept more replicas than racks (Cruise Control's `skip_rack_awareness_check`). */
  skipRackAwarenessCheck: boolean;
}

export interface ProposalRequest {
  /** Goal names in priority order; the defaults (or, with `rebalanceDisk`, the intra-broker goals) when absent. */
  goals?: string[];
  /**
   * Which goals run when `goals` is absent: every default goal (`all`), only the hard ones (`hard`,
   * for repairs that should move as little as possible), or none (`none`: the drain steps only).
   * @defaultValue 'all'
   */
  defaultGoals?: 'all' | 'hard' | 'none';
  /** Log dirs to empty into the other dirs of their broker (`remove_disks`). */
  disksToRemove?: { brokerId: number; logDir: string }[];
  rebalanceDisk: boolean;
  excludedTopics?: RegExp;
  destinationBrokerIds?: number[];
  /** Kafka ids of brokers to drain (`remove_broker`): every replica leaves them, none arrives. */
  brokersToRemove?: number[];
  allowCapacityEstimation: boolean;
  ignoreProposalCache: boolean;
  skipHardGoalCheck: boolean;
}

export interface Proposal {
  /** The model as the monitor saw it. */
  before: Workload;
  /** The same workload with the optimized placement. */
  after: Workload;
  result: OptimizationResult;
  /**
   * How far the bytes moved are from the least any plan must move to meet the DISK and NW_IN
   * bands the proposal met (an LP bound; skipped for large models or when no such band was met).
   */
  optimality: OptimalityBound & { movedMb: number; resources: string[] };
  goals: string[];
  computedAtMs: number;
  /** True when served from the cache. */
  fromCache: boolean;
}

/** One proposal computation, as told to {@link AnalyzerService.onComputation} listeners (metrics). */
export interface ProposalComputation {
  /** `optimize` (the goals ran), `demote_broker` or `topic_configuration`. */
  operation: 'optimize' | 'demote_broker' | 'topic_configuration';
  durationMs: number;
  /** The proposal when it was computed; absent when the computation threw. */
  proposal?: Proposal;
}

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
  private cache: { key: string; snapshotTakenAtMs: number; windows: string; proposal: Proposal } | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private lastRefreshProblem: string | null = null;
  private readonly computationListeners: ((computation: ProposalComputation) => void)[] = [];
  private readonly optimizer: OptimizerThread;
  /** Computations in flight by request, snapshot and windows. */
  private readonly inFlight = new Map<string, Promise<Proposal>>();

  constructor(
    private readonly monitor: LoadMonitorService,
    private readonly config: BallastConfig,
    private readonly goals: GoalRegistry,
  ) {
    this.optimizer = new OptimizerThread(config.analyzer);
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
    return this.cache?.proposal ?? null;
  }

  private tell(computation: ProposalComputation): void {
    for (const listener of this.computationListeners) listener(computation);
  }

  /** The goals a request names, validated; throws {@link UnknownGoalError} naming the unknown ones. */
  goalsFor(request: Pick<ProposalRequest, 'goals' | 'rebalanceDisk' | 'defaultGoals'>): Goal[] {
    if (request.goals === undefined || request.goals.length === 0) {
      if (request.defaultGoals === 'none') return [];
      const goals = request.rebalanceDisk ? this.goals.intraBrokerGoals : this.goals.defaultGoals;
      return request.defaultGoals === 'hard' ? goals.filter((g) => g.hard) : [...goals];
    }
    const { byName } = this.goals;
    const unknown = request.goals.filter((name) => !byName.has(name));
    if (unknown.length > 0) throw new UnknownGoalError(unknown, [...byName.keys()]);
    return request.goals.map((name) => byName.get(name)!);
  }

  /**
   * A proposal for the current workload. Needs the model to be ready (the monitor's configured
   * windows and partition share); served from the cache when nothing it depends on changed.
   * @throws LoadMonitorNotReadyError, UnknownGoalError, HardGoalViolationError, CapacityEstimationNotAllowedError
   */
  async proposals(request: ProposalRequest): Promise<Proposal> {
    const goals = this.goalsFor(request);
    this.refuseUnknownBrokers('brokerid', request.brokersToRemove);
    this.refuseUnknownBrokers('destination_broker_ids', request.destinationBrokerIds);
    const workload = this.monitor.workload({
      mode: 'expected',
      minValidWindows: this.config.monitor.minValidWindows,
      minValidPartitionRatio: this.config.monitor.minValidPartitionRatio,
      allowCapacityEstimation: request.allowCapacityEstimation,
    });
    const unknownRemoved = (request.brokersToRemove ?? []).filter((id) => !workload.brokers.has(id));
    if (unknownRemoved.length > 0) throw new UnknownBrokerError('brokerid', unknownRemoved);
    const unknownDestinations = (request.destinationBrokerIds ?? []).filter((id) => !workload.brokers.has(id));
    if (unknownDestinations.length > 0) throw new UnknownBrokerError('destination_broker_ids', unknownDestinations);
    const disksToRemove = this.resolveDisks(workload, request.disksToRemove ?? []);
    const key = JSON.stringify({
      goals: goals.map((g) => g.name),
      disksToRemove: [...disksToRemove],
      excludedTopics: request.excludedTopics?.source ?? null,
      destinationBrokerIds: request.destinationBrokerIds ?? null,
      brokersToRemove: request.brokersToRemove ?? null,
      skipHardGoalCheck: request.skipHardGoalCheck,
    });
    const windows = workload.windowStartsMs.join(',');
    const cached = this.cache;
    if (
      !request.ignoreProposalCache &&
      cached?.key === key &&
      cached.snapshotTakenAtMs === workload.snapshotTakenAtMs &&
      cached.windows === windows
    ) {
      return { ...cached.proposal, fromCache: true };
    }
    // The same computation already running (the background refresh, another user's GET) is joined,
    // not queued behind itself on the optimizer thread.
    const computationKey = `${key}|${workload.snapshotTakenAtMs}|${windows}`;
    const running = request.ignoreProposalCache ? undefined : this.inFlight.get(computationKey);
    if (running) return { ...(await running), fromCache: true };
    const computation = this.compute(request, goals, workload, disksToRemove, key, windows);
    this.inFlight.set(computationKey, computation);
    try {
      return await computation;
    } finally {
      if (this.inFlight.get(computationKey) === computation) this.inFlight.delete(computationKey);
    }
  }

  private async compute(
    request: ProposalRequest,
    goals: Goal[],
    workload: Workload,
    disksToRemove: ReadonlySet<number>,
    key: string,
    windows: string,
  ): Promise<Proposal> {
    const started = performance.now();
    let optimized: ClusterModel;
    let result: OptimizationResult;
    try {
      ({ model: optimized, result } = await this.optimizer.run(workload.model, {
        goals,
        thresholds: this.goals.thresholds,
        excludedTopics: request.excludedTopics,
        destinationBrokerIds: request.destinationBrokerIds ? new Set(request.destinationBrokerIds) : undefined,
        brokersToRemove: request.brokersToRemove ? new Set(request.brokersToRemove) : undefined,
        disksToRemove,
        skipHardGoalCheck: request.skipHardGoalCheck,
        minInsyncReplicas: workload.topicMinInsyncReplicas,
      }));
    } catch (error) {
      this.tell({ operation: 'optimize', durationMs: performance.now() - started });
      throw error;
    }
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
      optimality: this.optimalityOf(workload, result, request),
      goals: goals.map((g) => g.name),
      computedAtMs: Date.now(),
      fromCache: false,
    };
    // A computation that ends after one on a newer snapshot does not replace it.
    if (this.cache === null || this.cache.snapshotTakenAtMs <= workload.snapshotTakenAtMs)
      this.cache = { key, snapshotTakenAtMs: workload.snapshotTakenAtMs, windows, proposal };
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
    const started = performance.now();
    this.refuseUnknownBrokers('brokerid', request.brokerIds);
    const workload = this.readyWorkload(request.allowCapacityEstimation);
    const demotion = demotionProposals(workload.model, request.brokerIds, {
      skipUrpDemotion: request.skipUrpDemotion,
      excludeFollowerDemotion: request.excludeFollowerDemotion,
      excludedTopics: request.excludedTopics,
    });
    // The model cannot hold a replica order, but it holds leadership: the "after" shows the new leaders.
    const after = workload.model.clone();
    for (const p of demotion.proposals) {
      for (let r = after.partitionReplicaStart[p.partition]!; r < after.partitionReplicaStart[p.partition + 1]!; r++) {
        if (after.brokerKafkaId(after.replicaBroker[r]!) === p.newLeader && after.partitionLeader[p.partition] !== r)
          after.moveLeadership(p.partition, r);
      }
    }
    return { ...this.directProposal(workload, after, demotion.proposals, started, 'demote_broker'), demotion };
  }

  /**
   * Adds or drops replicas so every partition of the matching topics has `replicationFactor`
   * (`topic_configuration`). New replicas go rack-aware onto the least-used brokers; dropped ones
   * are never the leader. No goal runs.
   * @throws LoadMonitorNotReadyError, InvalidReplicationFactorError, NoMatchingTopicError, BelowMinInsyncReplicasError
   */
  replicationFactor(request: ReplicationFactorRequest): Proposal & { topics: string[] } {
    const started = performance.now();
    this.refuseUnknownBrokers('excluded_broker_ids', request.excludedBrokers);
    const workload = this.readyWorkload(request.allowCapacityEstimation);
    const unknown = (request.excludedBrokers ?? []).filter((id) => !workload.brokers.has(id));
    if (unknown.length > 0) throw new UnknownBrokerError('excluded_broker_ids', unknown);
    const model = workload.model;
    const { proposals, topics } = replicationFactorProposals(model, {
      topicPattern: request.topicPattern,
      replicationFactor: request.replicationFactor,
      minInsyncReplicas: (topic) => {
        const t = model.tables.topicNames.indexOf(topic);
        return t < 0 ? undefined : workload.topicMinInsyncReplicas[t];
      },
      excludedBrokers: request.excludedBrokers ? new Set(request.excludedBrokers) : undefined,
      skipRackAwarenessCheck: request.skipRackAwarenessCheck,
    });
    // The model's replica slots are fixed, so the "after" load is the "before" one: the proposal
    // and its data to move are exact, the per-broker load after is not shown changed.
    return {
      ...this.directProposal(workload, model.clone(), proposals, started, 'topic_configuration'),
      topics,
    };
  }

  /**
   * Bad input first: broker ids the last snapshot does not have are refused (400 naming
   * `parameter`) even while the model is not ready, which would otherwise answer 503 first.
   */
  private refuseUnknownBrokers(parameter: string, ids: readonly number[] | undefined): void {
    const known = this.monitor.knownBrokerIds();
    if (known === null || ids === undefined) return;
    const unknown = [...new Set(ids.filter((id) => !known.has(id)))];
    if (unknown.length > 0) throw new UnknownBrokerError(parameter, unknown);
  }

  private readyWorkload(allowCapacityEstimation: boolean): Workload {
    return this.monitor.workload({
      mode: 'expected',
      minValidWindows: this.config.monitor.minValidWindows,
      minValidPartitionRatio: this.config.monitor.minValidPartitionRatio,
      allowCapacityEstimation,
    });
  }

  /** A proposal built directly (no goal ran), in the shape the optimizer's proposals have. */
  private directProposal(
    workload: Workload,
    after: Workload['model'],
    proposals: PartitionProposal[],
    startedMs: number,
    operation: 'demote_broker' | 'topic_configuration',
  ): Proposal {
    const model = workload.model;
    let replicaMoves = 0;
    let dataToMoveMb = 0;
    const receivedMb = new Map<number, number>();
    for (const p of proposals) {
      const sizeMb = model.followerLoad[p.partition * 4 + Resource.DISK]!;
      for (const b of p.newReplicas) {
        if (p.oldReplicas.includes(b)) continue;
        replicaMoves++;
        dataToMoveMb += sizeMb;
        receivedMb.set(b, (receivedMb.get(b) ?? 0) + sizeMb);
      }
    }
    const busiest = [...receivedMb].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const thresholds = this.goals.thresholds;
    const result: OptimizationResult = {
      proposals,
      goals: [],
      replicaMoves,
      leaderMoves: proposals.filter((p) => p.oldLeader !== p.newLeader).length,
      dataToMoveMb,
      balancednessBefore: balancednessScore([]),
      balancednessAfter: balancednessScore([]),
      transfer: { busiestBroker: busiest?.[0] ?? -1, busiestBrokerMb: busiest?.[1] ?? 0 },
      failureBudgetBefore: failureBudgetReport(model, thresholds, workload.topicMinInsyncReplicas),
      failureBudgetAfter: failureBudgetReport(after, thresholds, workload.topicMinInsyncReplicas),
      durationMs: performance.now() - startedMs,
    };
    this.logger.log({ msg: 'proposal computed', operation, partitions: proposals.length, replicaMoves });
    const proposal: Proposal = {
      before: workload,
      after: { ...workload, model: after },
      result,
      optimality: {
        status: 'skipped',
        simpleBoundMb: 0,
        reason: `${operation} is not an optimization`,
        movedMb: dataToMoveMb,
        resources: [],
      },
      goals: [],
      computedAtMs: Date.now(),
      fromCache: false,
    };
    this.tell({ operation, durationMs: result.durationMs, proposal });
    return proposal;
  }

  /**
   * Model disk indexes of the named log dirs.
   * @throws UnknownBrokerError, UnknownLogDirError (a dir the broker does not have, or every live dir of a broker)
   */
  private resolveDisks(workload: Workload, dirs: readonly { brokerId: number; logDir: string }[]): Set<number> {
    const parameter = 'brokerid_and_logdirs';
    const model = workload.model;
    const unknownBrokers = [...new Set(dirs.map((d) => d.brokerId))].filter((id) => !workload.brokers.has(id));
    if (unknownBrokers.length > 0) throw new UnknownBrokerError(parameter, unknownBrokers);
    const disks = new Set<number>();
    const unknown: string[] = [];
    for (const { brokerId, logDir } of dirs) {
      const b = model.brokerIndex(brokerId);
      let found = -1;
      for (let d = 0; d < model.diskCount && found < 0; d++) {
        if (model.diskBroker[d] === b && model.tables.diskPaths[d] === logDir) found = d;
      }
      if (found < 0) unknown.push(`${brokerId}-${logDir}`);
      else disks.add(found);
    }
    if (unknown.length > 0) throw new UnknownLogDirError(parameter, unknown);
    for (const brokerId of new Set(dirs.map((d) => d.brokerId))) {
      const b = model.brokerIndex(brokerId);
      let left = 0;
      for (let d = 0; d < model.diskCount; d++) {
        if (model.diskBroker[d] === b && model.diskAlive[d] === 1 && !disks.has(d)) left++;
      }
      if (left === 0) {
        throw new UnknownLogDirError(
          parameter,
          dirs.filter((d) => d.brokerId === brokerId).map((d) => `${brokerId}-${d.logDir}`),
          `broker ${brokerId} would have no live log dir left; use remove_broker to empty a whole broker`,
        );
      }
    }
    return disks;
  }

  /** The LP bound for the bands the proposal met (a bound is only a bound for bands a plan meets). */
  private optimalityOf(
    workload: Workload,
    result: OptimizationResult,
    request: ProposalRequest,
  ): Proposal['optimality'] {
    const met = (name: string) => result.goals.some((g) => g.name === name && g.after.satisfied);
    const resources = [
      ...(met('DiskUsageDistributionGoal') ? [Resource.DISK] : []),
      ...(met('NetworkInboundUsageDistributionGoal') ? [Resource.NW_IN] : []),
    ];
    const names = resources.map((r) => (r === Resource.DISK ? 'DISK' : 'NW_IN'));
    const movedMb = result.dataToMoveMb;
    if (resources.length === 0) {
      return {
        status: 'skipped',
        simpleBoundMb: 0,
        reason: 'the proposal meets no DISK or NW_IN distribution band',
        movedMb,
        resources: names,
      };
    }
    const model = workload.model;
    const excluded = request.excludedTopics;
    const bound = optimalityBound(model, {
      thresholds: this.goals.thresholds,
      resources,
      canMovePartition: excluded
        ? (p) => !excluded.test(model.tables.topicNames[model.partitionTopic[p]!]!)
        : undefined,
    });
    return { ...bound, movedMb, resources: names };
  }

  /** Cruise Control's AnalyzerState: a proposal is ready when the model is. */
  state(): { isProposalReady: boolean; readyGoals: string[] } {
    const ready = this.monitor.state().ready === true;
    return { isProposalReady: ready, readyGoals: ready ? this.goals.defaultGoals.map((g) => g.name) : [] };
  }
}
