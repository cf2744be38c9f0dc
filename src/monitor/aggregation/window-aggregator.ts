// WindowAggregator: buckets metric samples into fixed-length time windows per entity and extrapolates short windows, after Cruise Control's MetricSampleAggregator.
import { AggregatorConfigError, AggregatorStateError } from './aggregation.errors.js';
import type { AggregationResult, EntityWindowValue } from './aggregation-result.js';
import { computeCompleteness, type Completeness, type CompletenessRequirements } from './completeness.js';
import { EntityIndex, newColumnWindow, withCapacity, type ColumnWindow } from './window-columns.js';
import type { AddResult, MetricDefinition, MetricDefinitions, MetricSample, RejectReason } from './metric-sample.js';

/** Configuration of a `WindowAggregator`. */
export interface WindowAggregatorConfig {
  /** Length of one window, milliseconds (CC: `partition.metrics.window.ms`). Windows start at multiples of it. */
  windowMs: number;
  /** Complete windows kept, not counting the current, still-filling one (CC: `num.partition.metrics.windows`). */
  numWindows: number;
  /** Samples an entity needs in a window for its value to need no extrapolation (CC: `min.samples.per.partition.metrics.window`, default 3). */
  minSamplesPerWindow: number;
  metrics: MetricDefinitions;
  /** Nouns for the entities in completeness reasons. @defaultValue `{ one: 'entity', many: 'entities' }` */
  entityNoun?: { one: string; many: string };
}

/** Serializable state for a warm restart; JSON-safe (all numbers finite). */
export interface WindowAggregatorState {
  version: 1;
  windowMs: number;
  metrics: MetricDefinition[];
  currentWindowIndex: number | null;
  firstWindowIndex: number | null;
  rejected: Record<RejectReason, number>;
  cells: { windowIndex: number; entity: string; count: number; latestTimeMs: number; acc: number[] }[];
}

const REJECT_REASONS: readonly RejectReason[] = ['too-old', 'future', 'malformed'];

export class WindowAggregator {
  readonly windowMs: number;
  readonly numWindows: number;
  readonly minSamplesPerWindow: number;
  readonly metrics: MetricDefinitions;
  readonly entityNoun: { one: string; many: string };
  /** CC's `_halfMinRequiredSamples`: integer half, at least 1, so min 3 accepts 1 sample as AVG_AVAILABLE. */
  private readonly halfMinSamples: number;
  private readonly metricCount: number;
  /** Entity names ↔ the dense indices every window's columns use. */
  private entities = new EntityIndex();
  /** Window index → columns. Only windows in the kept range are present. */
  private readonly windows = new Map<number, ColumnWindow>();
  /** Index (timeMs / windowMs) of the current, still-filling window; null until a clock reading arrives. */
  private currentWindowIndex: number | null = null;
  /** Oldest window that ever got a sample: windows before it are not "complete", just unobserved. */
  private firstWindowIndex: number | null = null;
  private readonly rejected: Record<RejectReason, number> = { 'too-old': 0, future: 0, malformed: 0 };

  constructor(config: WindowAggregatorConfig) {
    validateConfig(config);
    this.windowMs = config.windowMs;
    this.numWindows = config.numWindows;
    this.minSamplesPerWindow = config.minSamplesPerWindow;
    this.metrics = config.metrics.map((m) => ({ name: m.name, combine: m.combine }));
    this.metricCount = this.metrics.length;
    this.entityNoun = config.entityNoun ?? { one: 'entity', many: 'entities' };
    this.halfMinSamples = Math.max(1, Math.floor(config.minSamplesPerWindow / 2));
  }

  /**
   * Moves the current window to the one containing `nowMs`, dropping windows that fall out of the kept
   * range. A clock going backwards never moves windows back: kept data is not thrown away for a skew.
   */
  advance(nowMs: number): void {
    if (!Number.isFinite(nowMs)) throw new AggregatorConfigError(`nowMs must be a finite number, got ${nowMs}`);
    const index = Math.floor(nowMs / this.windowMs);
    if (this.currentWindowIndex !== null && index <= this.currentWindowIndex) return;
    this.currentWindowIndex = index;
    const oldestKept = index - this.numWindows;
    let dropped = false;
    for (const windowIndex of this.windows.keys()) {
      if (windowIndex < oldestKept) {
        this.windows.delete(windowIndex);
        dropped = true;
      }
    }
    if (dropped) this.compact();
  }

  /**
   * Adds one sample after advancing to `nowMs`. Rejected (and counted) when it falls before the oldest
   * kept window, after the current window, or has the wrong number of values or non-finite ones; a
   * rejected sample never becomes part of any window.
   */
  add(sample: MetricSample, nowMs: number): AddResult {
    this.advance(nowMs);
    const reason = this.check(sample);
    if (reason !== undefined) {
      this.rejected[reason]++;
      return reason;
    }
    const windowIndex = Math.floor(sample.timeMs / this.windowMs);
    const entity = this.entities.intern(sample.entity);
    const window = this.column(windowIndex, entity);
    this.accumulate(window, entity, sample);
    if (this.firstWindowIndex === null || windowIndex < this.firstWindowIndex) this.firstWindowIndex = windowIndex;
    return 'accepted';
  }

  /** Indices of the windows kept (complete ones and the current one), oldest first. */
  windowIndices(): number[] {
    return [...this.windows.keys()].sort((a, b) => a - b);
  }

  /** Time of the newest sample kept, epoch ms; null when the windows are empty. */
  newestSampleTimeMs(): number | null {
    let newest = -Infinity;
    for (const window of this.windows.values()) {
      for (let e = 0; e < window.count.length; e++) {
        if (window.count[e]! > 0 && window.latestTimeMs[e]! > newest) newest = window.latestTimeMs[e]!;
      }
    }
    return newest === -Infinity ? null : newest;
  }

  /** Index of the window `timeMs` falls into. */
  windowIndexOf(timeMs: number): number {
    return Math.floor(timeMs / this.windowMs);
  }

  /** Rejected samples so far, by reason. */
  rejections(): Readonly<Record<RejectReason, number>> {
    return { ...this.rejected };
  }

  /**
   * Values of `entities` in every complete window kept, after advancing to `nowMs`. The current
   * window is excluded: it is still filling, and CC never reports it either.
   */
  aggregate(nowMs: number, entities: readonly string[]): AggregationResult {
    this.advance(nowMs);
    const indices = this.completeWindowIndices();
    const result: AggregationResult = {
      windowStartsMs: indices.map((i) => i * this.windowMs),
      metricNames: this.metrics.map((m) => m.name),
      entities: new Map(),
    };
    for (const entity of entities) {
      const index = this.entities.indexOf(entity);
      result.entities.set(
        entity,
        indices.map((windowIndex, position) => this.valueAt(index, windowIndex, position, indices.length)),
      );
    }
    return result;
  }

  /** Whether there is enough data for a load model, and if not, exactly why (see `computeCompleteness`). */
  completeness(nowMs: number, entities: readonly string[], requirements: CompletenessRequirements): Completeness {
    validateRequirements(requirements, this.numWindows);
    return computeCompleteness(this.aggregate(nowMs, entities), requirements, this.entityNoun);
  }

  /**
   * The state for a warm restart. With `onlyWindows`, only the cells of those window indices are
   * included (the rest of the state is whole), so a store can rewrite just the windows that changed.
   */
  toJSON(onlyWindows?: ReadonlySet<number>): WindowAggregatorState {
    const cells: WindowAggregatorState['cells'] = [];
    const m = this.metricCount;
    for (const windowIndex of this.windowIndices()) {
      if (onlyWindows && !onlyWindows.has(windowIndex)) continue;
      const window = this.windows.get(windowIndex)!;
      for (let e = 0; e < window.count.length; e++) {
        const count = window.count[e]!;
        if (count === 0) continue;
        // latestTimeMs is finite: the first sample of a cell always sets it.
        cells.push({
          windowIndex,
          entity: this.entities.nameOf(e),
          count,
          latestTimeMs: window.latestTimeMs[e]!,
          acc: Array.from(window.acc.subarray(e * m, e * m + m)),
        });
      }
    }
    return {
      version: 1,
      windowMs: this.windowMs,
      metrics: this.metrics.map((metric) => ({ name: metric.name, combine: metric.combine })),
      currentWindowIndex: this.currentWindowIndex,
      firstWindowIndex: this.firstWindowIndex,
      rejected: { ...this.rejected },
      cells,
    };
  }

  /**
   * Resumes from `toJSON()` output under `config`. The window length and metric list must match the
   * saved ones (values would mean something else otherwise); `numWindows` and `minSamplesPerWindow`
   * may change, and windows outside the new kept range are dropped.
   */
  static fromJSON(state: unknown, config: WindowAggregatorConfig): WindowAggregator {
    const aggregator = new WindowAggregator(config);
    const saved = parseState(state);
    if (saved.windowMs !== aggregator.windowMs) {
      throw new AggregatorStateError(`Saved state has windowMs ${saved.windowMs}, config has ${aggregator.windowMs}`);
    }
    const savedMetrics = saved.metrics.map((m) => `${m.name}:${m.combine}`).join(',');
    const configMetrics = aggregator.metrics.map((m) => `${m.name}:${m.combine}`).join(',');
    if (savedMetrics !== configMetrics) {
      throw new AggregatorStateError(`Saved state has metrics [${savedMetrics}], config has [${configMetrics}]`);
    }
    aggregator.currentWindowIndex = saved.currentWindowIndex;
    aggregator.firstWindowIndex = saved.firstWindowIndex;
    for (const reason of REJECT_REASONS) aggregator.rejected[reason] = saved.rejected[reason];
    const oldestKept = (saved.currentWindowIndex ?? 0) - aggregator.numWindows;
    const m = aggregator.metricCount;
    for (const c of saved.cells) {
      if (c.windowIndex < oldestKept) continue;
      const entity = aggregator.entities.intern(c.entity);
      const window = aggregator.column(c.windowIndex, entity);
      window.count[entity] = c.count;
      window.latestTimeMs[entity] = c.latestTimeMs;
      window.acc.set(c.acc, entity * m);
    }
    return aggregator;
  }

  private check(sample: MetricSample): RejectReason | undefined {
    if (!Number.isFinite(sample.timeMs) || sample.values.length !== this.metricCount) return 'malformed';
    for (const value of sample.values) if (!Number.isFinite(value)) return 'malformed';
    const windowIndex = Math.floor(sample.timeMs / this.windowMs);
    const current = this.currentWindowIndex ?? windowIndex;
    if (windowIndex > current) return 'future';
    if (windowIndex < current - this.numWindows) return 'too-old';
    return undefined;
  }

  /** The columns of `windowIndex`, created or grown so that `entity` fits. */
  private column(windowIndex: number, entity: number): ColumnWindow {
    const existing = this.windows.get(windowIndex);
    const window = existing
      ? withCapacity(existing, entity, this.metricCount)
      : newColumnWindow(Math.max(16, this.entities.size), this.metricCount);
    if (window !== existing) this.windows.set(windowIndex, window);
    return window;
  }

  private accumulate(window: ColumnWindow, entity: number, sample: MetricSample): void {
    const base = entity * this.metricCount;
    const count = window.count[entity]!;
    // Ties go to the later arrival, as CC (which only sees arrival order) would do.
    const newest = sample.timeMs >= window.latestTimeMs[entity]!;
    for (let i = 0; i < this.metricCount; i++) {
      const value = sample.values[i]!;
      const combine = this.metrics[i]!.combine;
      if (combine === 'avg') window.acc[base + i]! += value;
      else if (combine === 'max') window.acc[base + i] = count === 0 ? value : Math.max(window.acc[base + i]!, value);
      else if (newest) window.acc[base + i] = value;
    }
    if (newest) window.latestTimeMs[entity] = sample.timeMs;
    window.count[entity] = count + 1;
  }

  /**
   * Drops entities that no kept window holds anymore (deleted topics, moved-away partitions), once
   * they are the majority, so the columns do not grow with every partition ever seen.
   */
  private compact(): void {
    const live = new Uint8Array(this.entities.size);
    let liveCount = 0;
    for (const window of this.windows.values()) {
      for (let e = 0; e < window.count.length; e++) {
        if (window.count[e]! > 0 && live[e] === 0) {
          live[e] = 1;
          liveCount++;
        }
      }
    }
    if (liveCount * 2 > this.entities.size) return;
    const entities = new EntityIndex();
    const remap = new Int32Array(this.entities.size).fill(-1);
    for (let e = 0; e < live.length; e++) if (live[e] === 1) remap[e] = entities.intern(this.entities.nameOf(e));
    const m = this.metricCount;
    for (const [windowIndex, window] of this.windows) {
      const next = newColumnWindow(Math.max(16, entities.size), m);
      for (let e = 0; e < Math.min(window.count.length, remap.length); e++) {
        const to = remap[e]!;
        if (to < 0) continue;
        next.count[to] = window.count[e]!;
        next.latestTimeMs[to] = window.latestTimeMs[e]!;
        next.acc.set(window.acc.subarray(e * m, e * m + m), to * m);
      }
      this.windows.set(windowIndex, next);
    }
    this.entities = entities;
  }

  /** Complete windows kept and observed, oldest first: never the current window nor windows before the first sample. */
  private completeWindowIndices(): number[] {
    if (this.currentWindowIndex === null || this.firstWindowIndex === null) return [];
    const from = Math.max(this.firstWindowIndex, this.currentWindowIndex - this.numWindows);
    const indices: number[] = [];
    for (let i = from; i < this.currentWindowIndex; i++) indices.push(i);
    return indices;
  }

  /** Samples of `entity` in a window; 0 when the window or the entity's cell does not exist. */
  private countIn(window: ColumnWindow | undefined, entity: number): number {
    return window !== undefined && entity >= 0 && entity < window.count.length ? window.count[entity]! : 0;
  }

  /** CC's RawMetricValues.aggregate for one entity and window; `position` is the window's place among `count` complete ones. */
  private valueAt(entity: number, windowIndex: number, position: number, count: number): EntityWindowValue {
    const windowStartMs = windowIndex * this.windowMs;
    const window = this.windows.get(windowIndex);
    const sampleCount = this.countIn(window, entity);
    if (sampleCount > 0 && sampleCount >= this.halfMinSamples) {
      const extrapolation = sampleCount >= this.minSamplesPerWindow ? 'none' : 'avg-available';
      return { windowStartMs, values: this.ownValues(window!, entity), extrapolation, sampleCount };
    }
    // Neighbours only exist away from the edges; the current window is not a neighbour (CC: lastArrayIndex).
    const prev = position > 0 ? this.windows.get(windowIndex - 1) : undefined;
    const next = position < count - 1 ? this.windows.get(windowIndex + 1) : undefined;
    if (
      this.countIn(prev, entity) >= this.minSamplesPerWindow &&
      this.countIn(next, entity) >= this.minSamplesPerWindow
    ) {
      return {
        windowStartMs,
        values: this.adjacentValues(prev!, sampleCount > 0 ? window : undefined, next!, entity),
        extrapolation: 'avg-adjacent',
        sampleCount,
      };
    }
    // CC's FORCED_INSUFFICIENT keeps the few samples' value but the entity is still not valid here.
    const values = sampleCount === 0 ? new Float64Array(this.metricCount) : this.ownValues(window!, entity);
    return { windowStartMs, values, extrapolation: 'invalid', sampleCount };
  }

  private ownValues(window: ColumnWindow, entity: number): Float64Array {
    const values = new Float64Array(this.metricCount);
    const base = entity * this.metricCount;
    const count = window.count[entity]!;
    for (let i = 0; i < values.length; i++) {
      const acc = window.acc[base + i]!;
      values[i] = this.metrics[i]!.combine === 'avg' ? acc / count : acc;
    }
    return values;
  }

  /**
   * As CC: `avg` metrics pool the samples of the three windows (the middle one may have a few);
   * `max`/`latest` average the per-window values of the windows that have any.
   */
  private adjacentValues(
    prev: ColumnWindow,
    middle: ColumnWindow | undefined,
    next: ColumnWindow,
    entity: number,
  ): Float64Array {
    const base = entity * this.metricCount;
    const middleCount = middle?.count[entity] ?? 0;
    const samples = prev.count[entity]! + middleCount + next.count[entity]!;
    const values = new Float64Array(this.metricCount);
    for (let i = 0; i < values.length; i++) {
      const total = prev.acc[base + i]! + (middle?.acc[base + i] ?? 0) + next.acc[base + i]!;
      values[i] = this.metrics[i]!.combine === 'avg' ? total / samples : total / (middleCount > 0 ? 3 : 2);
    }
    return values;
  }
}

function validateConfig(config: WindowAggregatorConfig): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(config.windowMs) || config.windowMs <= 0) {
    problems.push(`windowMs must be a positive integer, got ${config.windowMs}`);
  }
  if (!Number.isSafeInteger(config.numWindows) || config.numWindows < 1) {
    problems.push(`numWindows must be an integer >= 1, got ${config.numWindows}`);
  }
  if (!Number.isSafeInteger(config.minSamplesPerWindow) || config.minSamplesPerWindow < 1) {
    problems.push(`minSamplesPerWindow must be an integer >= 1, got ${config.minSamplesPerWindow}`);
  }
  if (config.metrics.length === 0) problems.push('metrics must list at least one metric');
  const seen = new Set<string>();
  for (const metric of config.metrics) {
    if (metric.name === '') problems.push('metric names must not be empty');
    if (seen.has(metric.name)) problems.push(`metric ${metric.name} is listed twice`);
    seen.add(metric.name);
    if (!['avg', 'max', 'latest'].includes(metric.combine)) {
      problems.push(`metric ${metric.name} has combine '${String(metric.combine)}', expected avg, max or latest`);
    }
  }
  if (problems.length > 0) throw new AggregatorConfigError(`Invalid window aggregator config: ${problems.join('; ')}`);
}

function validateRequirements(requirements: CompletenessRequirements, numWindows: number): void {
  const { minValidWindows, minValidEntityRatio } = requirements;
  if (!Number.isSafeInteger(minValidWindows) || minValidWindows < 1 || minValidWindows > numWindows) {
    throw new AggregatorConfigError(
      `minValidWindows must be an integer from 1 to numWindows (${numWindows}), got ${minValidWindows}`,
    );
  }
  if (!(minValidEntityRatio > 0 && minValidEntityRatio <= 1)) {
    throw new AggregatorConfigError(`minValidEntityRatio must be in (0, 1], got ${minValidEntityRatio}`);
  }
}

function parseState(state: unknown): WindowAggregatorState {
  const fail = (what: string): never => {
    throw new AggregatorStateError(`Saved window aggregator state is malformed: ${what}`);
  };
  const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
  const isIntOrNull = (v: unknown): boolean => v === null || isInt(v);
  if (typeof state !== 'object' || state === null) return fail('not an object');
  const s = state as Partial<WindowAggregatorState>;
  if (s.version !== 1) fail(`unknown version ${String(s.version)}`);
  if (!isInt(s.windowMs)) fail('windowMs');
  if (!Array.isArray(s.metrics)) return fail('metrics');
  const metricCount = s.metrics.length;
  if (!isIntOrNull(s.currentWindowIndex) || !isIntOrNull(s.firstWindowIndex)) fail('window indices');
  if (typeof s.rejected !== 'object' || s.rejected === null) fail('rejected');
  for (const reason of REJECT_REASONS) if (!isInt(s.rejected?.[reason])) fail(`rejected.${reason}`);
  if (!Array.isArray(s.cells)) fail('cells');
  for (const c of s.cells ?? []) {
    const ok =
      isInt(c.windowIndex) &&
      typeof c.entity === 'string' &&
      isInt(c.count) &&
      c.count > 0 &&
      Number.isFinite(c.latestTimeMs) &&
      Array.isArray(c.acc) &&
      c.acc.length === metricCount &&
      c.acc.every((v) => Number.isFinite(v));
    if (!ok) fail(`cell ${JSON.stringify(c)}`);
  }
  return s as WindowAggregatorState;
}
