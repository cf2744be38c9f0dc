// The load monitor: samples the cluster on a timer, feeds the windows, persists them, and builds
// the workload model on demand. Pause/resume as Cruise Control's pause_sampling/resume_sampling.
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaGateway, type ClusterSnapshot } from '../kafka/index.js';
import { WindowAggregator, type AggregationResult } from './aggregation/index.js';
import { resolveBrokerCapacities } from './broker-capacities.js';
import { BrokerLatencyHistory, type BrokerLatencySample } from './broker-latency-history.js';
import { loadCapacityFile, type CapacitySet } from './capacity/index.js';
import { brokersWithUnknownDisks, withLastKnownLogDirs } from './last-known-log-dirs.js';
import { CapacityEstimationNotAllowedError, LoadMonitorNotReadyError } from './monitor.errors.js';
import {
  monitorStatus,
  windowsWhere,
  windowsWithin,
  type LoadMonitorState,
  type SamplingReport,
} from './monitor-status.js';
import { PARTITION_METRICS, partitionSamples, snapshotReplicaSizes, type LeaderLogSize } from './partition-samples.js';
import { SampleStore } from './sample-store.js';
import { MetricSampler, partitionKey } from './samplers/index.js';
import {
  buildWorkloadModel,
  partitionLoadsFromWindows,
  type LoadMode,
  type PartitionWindowLoad,
  type WorkloadModel,
} from './workload-model.js';

/** What a caller of {@link LoadMonitorService.workload} asks for. */
export interface WorkloadRequest {
  mode: LoadMode;
  /** Only windows starting at or after this time, epoch ms. */
  fromMs?: number;
  /** Only windows ending at or before this time, epoch ms. */
  toMs?: number;
  /** Valid windows required; defaults to 1 (Cruise Control's /load). */
  minValidWindows?: number;
  /** Share of partitions that must be valid; defaults to any (Cruise Control's /load asks for 0). */
  minValidPartitionRatio?: number;
  /** False: refuse when any broker's capacity is estimated. */
  allowCapacityEstimation: boolean;
  /** Only placement and capacities are wanted: no window is required and every load is 0. */
  capacityOnly?: boolean;
}

/** The model with what it was built from. */
export interface Workload extends WorkloadModel {
  /** Start of each window the loads come from, epoch ms. */
  windowStartsMs: number[];
  /** Per `topic-partition`, the combined load (null: no valid window). */
  partitionLoads: Map<string, PartitionWindowLoad | null>;
}

const EXAMPLES_KEPT = 5;
const SHUTDOWN_WAIT_MS = 5_000;

@Injectable()
export class LoadMonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LoadMonitor');
  private aggregator: WindowAggregator;
  private readonly capacitySet: CapacitySet | null;
  private phase: 'NOT_STARTED' | 'LOADING' | 'RUNNING' | 'SAMPLING' = 'NOT_STARTED';
  private pausedReason: string | null = null;
  private reasonOfLatestPauseOrResume: string | undefined;
  private lastSnapshot: ClusterSnapshot | null = null;
  private leaderSizes = new Map<string, LeaderLogSize>();
  private lastSampling: SamplingReport | null = null;
  private readonly latencyHistory: BrokerLatencyHistory;
  private restoredWindows = 0;
  /** Windows changed since the last successful save (a failed save is retried with the next). */
  private readonly unsavedWindows = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlightRound: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly config: BallastConfig,
    private readonly kafka: KafkaGateway,
    private readonly sampler: MetricSampler,
    private readonly store: SampleStore,
  ) {
    const m = config.monitor;
    this.aggregator = new WindowAggregator({
      windowMs: m.windowMs,
      numWindows: m.numWindows,
      minSamplesPerWindow: m.minSamplesPerWindow,
      metrics: PARTITION_METRICS,
      entityNoun: { one: 'partition', many: 'partitions' },
    });
    // As long as slow-broker detection looks back; at most one sample per broker every 100 ms of it.
    const historyMs = config.detector.metricAnomaly.historyMs;
    this.latencyHistory = new BrokerLatencyHistory(historyMs, Math.ceil(historyMs / 100));
    // Read at construction so a bad file stops start-up (main.ts checks it before Nest, too).
    this.capacitySet = m.capacity.file === undefined ? null : loadCapacityFile(m.capacity.file);
  }

  onApplicationBootstrap(): void {
    // Sampling must not hold up the HTTP server: /state reports LOADING until the store is read.
    this.running = this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A round stuck on an unreachable Kafka must not hold up shutdown; its samples are not saved anyway.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timeout = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timeout);
  }

  get paused(): boolean {
    return this.pausedReason !== null;
  }

  /** Stops sampling until {@link resume}; windows keep what they have. Idempotent. */
  pause(reason: string): void {
    this.pausedReason = reason;
    this.reasonOfLatestPauseOrResume = reason;
    this.logger.log({ msg: 'sampling paused', reason });
  }

  /** Restarts sampling at the next tick. Idempotent. */
  resume(reason: string): void {
    this.pausedReason = null;
    this.reasonOfLatestPauseOrResume = reason;
    this.logger.log({ msg: 'sampling resumed', reason });
  }

  /** Cruise Control's LoadMonitorState, with the readiness verdict and its reasons. */
  state(): LoadMonitorState {
    const phase = this.paused ? 'PAUSED' : this.phase;
    return monitorStatus({
      phase,
      result: this.aggregation(),
      requirements: {
        minValidWindows: this.config.monitor.minValidWindows,
        minValidEntityRatio: this.config.monitor.minValidPartitionRatio,
      },
      sampler: this.sampler.name,
      restoredWindows: this.restoredWindows,
      lastSampling: this.lastSampling,
      ...(this.reasonOfLatestPauseOrResume === undefined
        ? {}
        : { reasonOfLatestPauseOrResume: this.reasonOfLatestPauseOrResume }),
      ...(this.lastSnapshot ? {} : { notStartedReason: this.notStartedReason() }),
    }).state;
  }

  /**
   * The workload model over the requested windows, placed on the latest snapshot.
   * @throws LoadMonitorNotReadyError when there is no snapshot or too few valid windows/partitions.
   * @throws CapacityEstimationNotAllowedError when estimation is refused and a capacity is estimated.
   * @throws MissingCapacityError when `monitor.capacity.onMissing` is `error` and a broker is not covered.
   */
  workload(request: WorkloadRequest): Workload {
    const snapshot = this.lastSnapshot;
    if (!snapshot) throw new LoadMonitorNotReadyError([this.notStartedReason()]);
    // A model would give such a broker no disks (an estimated capacity of 0) and plan on it.
    const unknownDisks = brokersWithUnknownDisks(snapshot);
    if (unknownDisks.length > 0) {
      throw new LoadMonitorNotReadyError([
        `broker(s) ${unknownDisks.join(', ')} did not answer DescribeLogDirs and no earlier log dirs are known: their disks are unknown`,
      ]);
    }
    let result = this.aggregation();
    if (request.fromMs !== undefined || request.toMs !== undefined) {
      result = windowsWithin(
        result,
        this.config.monitor.windowMs,
        request.fromMs ?? -Infinity,
        request.toMs ?? Infinity,
      );
    }
    const { completeness } = monitorStatus({
      phase: 'RUNNING',
      result,
      requirements: {
        minValidWindows: request.minValidWindows ?? 1,
        // Cruise Control's /load asks for no share at all; any valid partition makes a window count.
        minValidEntityRatio: request.minValidPartitionRatio || Number.MIN_VALUE,
      },
      sampler: this.sampler.name,
      restoredWindows: this.restoredWindows,
      lastSampling: null,
    });
    if (!completeness.ready && !request.capacityOnly) throw new LoadMonitorNotReadyError(completeness.reasons);
    // Loads come only from the windows that passed the valid-partition share, the ones reported.
    const valid = new Set(completeness.validWindows);
    const validResult = windowsWhere(result, (start) => valid.has(start));
    const capacities = resolveBrokerCapacities(snapshot, this.capacitySet, this.config.monitor.capacity.onMissing, {
      cpuCores: this.config.monitor.capacity.estimatedCpuCores,
      networkInKBps: this.config.monitor.capacity.estimatedNetworkInKBps,
      networkOutKBps: this.config.monitor.capacity.estimatedNetworkOutKBps,
      diskMbPerLogDir: this.config.monitor.capacity.estimatedDiskMbPerLogDir,
    });
    if (!request.allowCapacityEstimation) {
      const estimated = [...capacities].filter(([, c]) => c.source === 'estimated').map(([id]) => id);
      if (estimated.length > 0) throw new CapacityEstimationNotAllowedError(estimated);
    }
    const loads = request.capacityOnly ? new Map<string, null>() : partitionLoadsFromWindows(validResult, request.mode);
    return {
      ...buildWorkloadModel(snapshot, loads, capacities),
      windowStartsMs: request.capacityOnly ? [] : completeness.validWindows,
      partitionLoads: loads,
    };
  }

  /**
   * Replaces the last cluster snapshot with a fresh one when it shows reassignments in flight. A
   * proposal made right after an execution ended must not model its moved partitions with old and
   * new replicas together (seen in CI: a partition of replication factor 2 taken for 3 replicas
   * failed rack awareness). Waits for a sampling round in flight, which would overwrite it.
   * @returns whether the snapshot now in use still shows reassignments in flight.
   */
  async refreshSnapshotIfReassigning(): Promise<boolean> {
    await this.inFlightRound;
    if (this.lastSnapshot === null || this.lastSnapshot.reassignments.length === 0) return false;
    this.lastSnapshot = this.keepLastKnownLogDirs(await this.kafka.snapshot(), null);
    return this.lastSnapshot.reassignments.length > 0;
  }

  /**
   * Kafka ids of the brokers in the last snapshot (alive or not); null before the first. Lets a
   * request naming a broker the cluster does not have be refused before the model is ready.
   */
  knownBrokerIds(): ReadonlySet<number> | null {
    return this.lastSnapshot === null ? null : new Set(this.lastSnapshot.brokers.map((b) => b.id));
  }

  /** Each broker's recent latency percentiles and bytes-in rate, oldest first (slow-broker detection). */
  brokerLatencyHistory(): ReadonlyMap<number, readonly BrokerLatencySample[]> {
    return this.latencyHistory.snapshot();
  }

  /** Runs one sampling round now (the timer uses it); a call while a round runs joins that round. */
  sampleOnce(): Promise<void> {
    this.inFlightRound ??= this.runRound().finally(() => {
      this.inFlightRound = null;
    });
    return this.inFlightRound;
  }

  private async runRound(): Promise<void> {
    const startedAtMs = Date.now();
    const report: SamplingReport = {
      startedAtMs,
      durationMs: 0,
      points: 0,
      samplesAccepted: 0,
      samplesRejected: 0,
      partitionsWithoutSample: {},
      samplerProblems: {},
      examples: [],
      cpuEstimated: false,
      unmeasured: [],
    };
    const example = (message: string) => {
      if (report.examples.length < EXAMPLES_KEPT) report.examples.push(message);
    };
    this.phase = 'SAMPLING';
    try {
      const snapshot = await this.kafka.snapshot();
      const round = await this.sampler.sample(snapshot, Date.now());
      report.points = round.points.length;
      report.cpuEstimated = round.cpuEstimated;
      report.unmeasured = round.unmeasured;
      for (const p of round.problems) {
        report.samplerProblems[p.kind] = (report.samplerProblems[p.kind] ?? 0) + 1;
        example(p.message);
      }
      const fallbackSizes = snapshotReplicaSizes(snapshot);
      const changed = new Set<number>();
      for (const point of round.points) {
        this.latencyHistory.record(point);
        const derived = partitionSamples(point, snapshot, this.leaderSizes, this.derivationWeights(), fallbackSizes);
        for (const [key, size] of derived.leaderSizes) this.leaderSizes.set(key, size);
        for (const problem of derived.problems) {
          report.partitionsWithoutSample[problem.kind] = (report.partitionsWithoutSample[problem.kind] ?? 0) + 1;
          example(problem.message);
        }
        for (const sample of derived.samples) {
          if (this.aggregator.add(sample, Date.now()) === 'accepted') {
            report.samplesAccepted++;
            changed.add(this.aggregator.windowIndexOf(sample.timeMs));
          } else report.samplesRejected++;
        }
      }
      this.aggregator.advance(Date.now());
      this.lastSnapshot = this.keepLastKnownLogDirs(snapshot, report);
      this.forgetGonePartitions(snapshot);
      await this.persist(changed, report);
    } catch (error) {
      report.error = `sampling round failed: ${describeError(error)}`;
      this.logger.warn({ msg: 'sampling round failed', error: describeError(error) });
    } finally {
      this.phase = 'RUNNING';
      report.durationMs = Date.now() - startedAtMs;
      this.lastSampling = report;
    }
  }

  private async start(): Promise<void> {
    this.phase = 'LOADING';
    await this.restore();
    this.phase = 'RUNNING';
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!this.paused) await this.sampleOnce();
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, this.config.monitor.samplingIntervalMs);
  }

  private async restore(): Promise<void> {
    try {
      const saved = await this.store.load();
      if (saved === null) return;
      const m = this.config.monitor;
      this.aggregator = WindowAggregator.fromJSON(saved, {
        windowMs: m.windowMs,
        numWindows: m.numWindows,
        minSamplesPerWindow: m.minSamplesPerWindow,
        metrics: PARTITION_METRICS,
        entityNoun: { one: 'partition', many: 'partitions' },
      });
      this.aggregator.advance(Date.now());
      this.restoredWindows = this.aggregator.aggregate(Date.now(), []).windowStartsMs.length;
      const newest = this.aggregator.newestSampleTimeMs();
      if (newest !== null) this.sampler.resumeAfter(newest);
      this.logger.log({ msg: 'restored sample windows', completeWindows: this.restoredWindows });
    } catch (error) {
      // A store that cannot be read (or holds another layout) costs a cold start, not the service.
      this.logger.warn({ msg: 'could not restore sample windows; starting cold', error: describeError(error) });
    }
  }

  private async persist(changed: Set<number>, report: SamplingReport): Promise<void> {
    for (const window of changed) this.unsavedWindows.add(window);
    const kept = this.aggregator.windowIndices();
    for (const window of this.unsavedWindows) if (!kept.includes(window)) this.unsavedWindows.delete(window);
    try {
      await this.store.save(this.aggregator.toJSON(this.unsavedWindows), [...this.unsavedWindows], kept);
      this.unsavedWindows.clear();
    } catch (error) {
      report.persistError = describeError(error);
      this.logger.warn({ msg: 'could not save sample windows', error: report.persistError });
    }
  }

  private aggregation(): AggregationResult {
    const entities = (this.lastSnapshot?.partitions ?? []).map((p) => partitionKey(p.topic, p.partition));
    return this.aggregator.aggregate(Date.now(), entities);
  }

  private notStartedReason(): string {
    if (this.phase === 'LOADING') return 'restoring sample windows from the store';
    const error = this.lastSampling?.error;
    return error
      ? `no cluster snapshot yet (${error})`
      : 'no cluster snapshot yet: the first sampling round has not finished';
  }

  /**
   * The snapshot to keep: brokers that did not answer keep their last known log dirs (the raw
   * snapshot, without them, is what sampling measured: nothing is invented there). Says which in the
   * round's report and the log, where an operator looks.
   */
  private keepLastKnownLogDirs(snapshot: ClusterSnapshot, report: SamplingReport | null): ClusterSnapshot {
    const kept = withLastKnownLogDirs(snapshot, this.lastSnapshot);
    const silent = [...kept.stale, ...kept.unknown].sort((a, b) => a - b);
    if (silent.length > 0) {
      const message =
        `broker(s) ${silent.join(', ')} did not answer (${snapshot.logDirErrors.map((e) => `${e.brokerId}: ${e.error}`).join('; ')}); ` +
        (kept.unknown.length > 0 ? `log dirs unknown for ${kept.unknown.join(', ')}; ` : '') +
        (kept.stale.length > 0 ? `last known log dirs kept for ${kept.stale.join(', ')}` : '');
      this.logger.warn({
        msg: 'brokers did not answer: their log dirs are not current',
        brokers: silent,
        detail: message,
      });
      if (report) {
        report.samplerProblems['broker-not-answering'] = silent.length;
        report.examples.unshift(message);
        report.examples.splice(EXAMPLES_KEPT);
      }
    }
    return kept.snapshot;
  }

  private forgetGonePartitions(snapshot: ClusterSnapshot): void {
    const present = new Set(snapshot.partitions.map((p) => partitionKey(p.topic, p.partition)));
    for (const key of this.leaderSizes.keys()) if (!present.has(key)) this.leaderSizes.delete(key);
  }

  private derivationWeights() {
    const w = this.config.monitor.cpuWeights;
    return {
      leaderBytesInWeight: w.leaderBytesIn,
      leaderBytesOutWeight: w.leaderBytesOut,
      followerBytesInWeight: w.followerBytesIn,
    };
  }
}
