// The load monitor's status in Cruise Control's LoadMonitorState shape, plus what Ballast adds to
// say exactly why the model is not ready. Pure: computed from one aggregation result.
import { computeCompleteness, type AggregationResult, type Completeness } from './aggregation/index.js';

/** What one sampling round did, for `/state` and logs. */
export interface SamplingReport {
  startedAtMs: number;
  durationMs: number;
  /** Measurement points the sampler returned. */
  points: number;
  /** Partition samples accepted into windows. */
  samplesAccepted: number;
  /** Samples the windows refused (too old, in the future, malformed). */
  samplesRejected: number;
  /** Partitions left without a sample this round, by cause (`no-leader`, `missing-topic-measurement`, …). */
  partitionsWithoutSample: Record<string, number>;
  /** Sampler problems by kind (`fetch-failed`, `missing-series`, …). */
  samplerProblems: Record<string, number>;
  /** A few problem messages, for a human to start from. */
  examples: string[];
  /** True when CPU was estimated from bytes, not measured. */
  cpuEstimated: boolean;
  /** Resources the sampler cannot measure (their load is 0). */
  unmeasured: string[];
  /** Why the round failed as a whole (Kafka unreachable, …); absent when it ran. */
  error?: string;
  /** Why the windows could not be saved to the store; absent when saved. */
  persistError?: string;
}

/** Cruise Control's LoadMonitorState (responses/loadMonitorState.yaml) with Ballast's additions. */
export interface LoadMonitorState {
  state: 'NOT_STARTED' | 'RUNNING' | 'PAUSED' | 'SAMPLING' | 'BOOTSTRAPPING' | 'TRAINING' | 'LOADING';
  trained: boolean;
  trainingPct: number;
  numMonitoredWindows: number;
  /** Start of each complete window (epoch ms, as a string key) → percent of partitions valid in it. */
  monitoredWindows: Record<string, number>;
  numValidPartitions: number;
  numTotalPartitions: number;
  monitoringCoveragePct: number;
  /** Partitions valid only thanks to extrapolation in some window. */
  numFlawedPartitions: number;
  reasonOfLatestPauseOrResume?: string;
  error?: string;
  /** Ballast: whether the model meets `monitor.minValidWindows` and `monitor.minValidPartitionRatio`. */
  ready?: boolean;
  /** Ballast: why not, one sentence per cause. */
  notReadyReasons?: string[];
  /** Ballast: which sampler feeds the windows. */
  sampler?: string;
  /** Ballast: complete windows restored from the store at start-up. */
  restoredWindows?: number;
  /** Ballast: the last sampling round. */
  lastSampling?: SamplingReport;
}

export interface StatusInputs {
  phase: LoadMonitorState['state'];
  result: AggregationResult;
  requirements: { minValidWindows: number; minValidEntityRatio: number };
  sampler: string;
  restoredWindows: number;
  lastSampling: SamplingReport | null;
  reasonOfLatestPauseOrResume?: string;
  /** Why there is no partition list to judge yet (no snapshot). */
  notStartedReason?: string;
}

/** Builds the state from one aggregation over the snapshot's partitions. */
export function monitorStatus(inputs: StatusInputs): { state: LoadMonitorState; completeness: Completeness } {
  const { result } = inputs;
  const completeness = computeCompleteness(result, inputs.requirements, { one: 'partition', many: 'partitions' });
  if (inputs.notStartedReason) {
    completeness.ready = false;
    completeness.reasons = [inputs.notStartedReason];
  }
  const total = result.entities.size;
  const monitoredWindows: Record<string, number> = {};
  result.windowStartsMs.forEach((start, i) => {
    let valid = 0;
    for (const values of result.entities.values()) if (values[i]?.extrapolation !== 'invalid') valid++;
    monitoredWindows[String(start)] = total === 0 ? 0 : (valid * 100) / total;
  });
  const validPositions = new Set(completeness.validWindows.map((start) => result.windowStartsMs.indexOf(start)));
  let flawed = 0;
  for (const values of result.entities.values()) {
    if (
      values.some(
        (v, i) => validPositions.has(i) && (v.extrapolation === 'avg-available' || v.extrapolation === 'avg-adjacent'),
      )
    ) {
      flawed++;
    }
  }
  const state: LoadMonitorState = {
    state: inputs.phase,
    trained: false,
    trainingPct: 0,
    numMonitoredWindows: completeness.validWindows.length,
    monitoredWindows,
    numValidPartitions: total - completeness.invalidEntities,
    numTotalPartitions: total,
    monitoringCoveragePct: completeness.validEntityRatio * 100,
    numFlawedPartitions: flawed,
    ...(inputs.reasonOfLatestPauseOrResume === undefined
      ? {}
      : { reasonOfLatestPauseOrResume: inputs.reasonOfLatestPauseOrResume }),
    ...(inputs.lastSampling?.error ? { error: inputs.lastSampling.error } : {}),
    ready: completeness.ready,
    notReadyReasons: completeness.reasons,
    sampler: inputs.sampler,
    restoredWindows: inputs.restoredWindows,
    ...(inputs.lastSampling ? { lastSampling: inputs.lastSampling } : {}),
  };
  return { state, completeness };
}

/** Only the windows lying wholly within [fromMs, toMs]. */
export function windowsWithin(
  result: AggregationResult,
  windowMs: number,
  fromMs: number,
  toMs: number,
): AggregationResult {
  return windowsWhere(result, (start) => start >= fromMs && start + windowMs <= toMs);
}

/** Only the windows whose start satisfies `keepStart`. */
export function windowsWhere(result: AggregationResult, keepStart: (startMs: number) => boolean): AggregationResult {
  const keep = result.windowStartsMs.map(keepStart);
  const entities = new Map<string, AggregationResult['entities'] extends Map<string, infer V> ? V : never>();
  for (const [entity, values] of result.entities)
    entities.set(
      entity,
      values.filter((_, i) => keep[i]),
    );
  return {
    windowStartsMs: result.windowStartsMs.filter((_, i) => keep[i]),
    metricNames: result.metricNames,
    entities,
  };
}
