// WindowAggregator: window rolling, avg/max/latest, CC's extrapolations, counted rejections,
// completeness with exact reasons, JSON round trip and config validation.
import { describe, expect, it } from 'vitest';
import { BallastError } from '../../../src/common/ballast.error.js';
import {
  AggregatorConfigError,
  AggregatorStateError,
  WindowAggregator,
  type MetricDefinitions,
  type WindowAggregatorConfig,
} from '../../../src/monitor/index.js';

const AVG_MAX: MetricDefinitions = [
  { name: 'BYTES_IN', combine: 'avg' },
  { name: 'PEAK', combine: 'max' },
];

function aggregator(overrides: Partial<WindowAggregatorConfig> = {}): WindowAggregator {
  return new WindowAggregator({
    windowMs: 1000,
    numWindows: 3,
    minSamplesPerWindow: 1,
    metrics: AVG_MAX,
    ...overrides,
  });
}

/** Adds `count` samples of `entity` in window `windowIndex` (1 s windows), all with `values`. */
function fill(
  agg: WindowAggregator,
  entity: string,
  windowIndex: number,
  count: number,
  values: number[],
  nowMs: number,
) {
  for (let i = 0; i < count; i++) {
    expect(agg.add({ entity, timeMs: windowIndex * agg.windowMs + i, values }, nowMs)).toBe('accepted');
  }
}

describe('WindowAggregator windows', () => {
  it('reports only complete windows, keeps numWindows of them and rolls forward with time', () => {
    const agg = aggregator();
    for (const w of [0, 1, 2, 3, 4]) fill(agg, 'p:t-0', w, 1, [w, w], w * 1000 + 500);

    let result = agg.aggregate(4500, ['p:t-0']);
    // Window 4 is current (still filling); window 0 rolled out of the three kept.
    expect(result.windowStartsMs).toEqual([1000, 2000, 3000]);
    expect(result.metricNames).toEqual(['BYTES_IN', 'PEAK']);
    expect(result.entities.get('p:t-0')!.map((v) => v.values[0])).toEqual([1, 2, 3]);

    result = agg.aggregate(6200, ['p:t-0']);
    expect(result.windowStartsMs).toEqual([3000, 4000, 5000]);
    expect(result.entities.get('p:t-0')!.map((v) => v.extrapolation)).toEqual(['none', 'none', 'invalid']);

    // The clock going back never un-rolls windows.
    expect(agg.aggregate(1500, []).windowStartsMs).toEqual([3000, 4000, 5000]);
  });

  it('has no complete window before the first sample', () => {
    const agg = aggregator();
    expect(agg.aggregate(10_000, ['p:t-0']).windowStartsMs).toEqual([]);
    fill(agg, 'p:t-0', 10, 1, [1, 1], 10_500);
    expect(agg.aggregate(11_000, ['p:t-0']).windowStartsMs).toEqual([10_000]);
  });

  it('combines samples within a window by avg, max and latest (by sample time, not arrival)', () => {
    const agg = aggregator({
      metrics: [
        { name: 'A', combine: 'avg' },
        { name: 'M', combine: 'max' },
        { name: 'L', combine: 'latest' },
      ],
    });
    agg.add({ entity: 'b:1', timeMs: 100, values: [1, 5, 7] }, 100);
    agg.add({ entity: 'b:1', timeMs: 300, values: new Float64Array([3, 2, 9]) }, 300);
    agg.add({ entity: 'b:1', timeMs: 200, values: [5, -1, 100] }, 400);
    const [w0] = agg.aggregate(1000, ['b:1']).entities.get('b:1')!;
    expect(Array.from(w0!.values)).toEqual([3, 5, 9]);
    expect(w0!.sampleCount).toBe(3);
  });
});

describe('WindowAggregator entity storage', () => {
  it('forgets entities no kept window holds (deleted partitions) and keeps the others exact', () => {
    const agg = aggregator({ numWindows: 2 });
    // 40 partitions that stop being sampled after window 0 (a deleted topic), one that goes on.
    for (let p = 0; p < 40; p++) agg.add({ timeMs: 100, entity: `gone-${p}`, values: [p, p] }, 100);
    for (let w = 0; w < 4; w++)
      agg.add({ timeMs: w * 1000 + 100, entity: 'kept', values: [w, 10 * w] }, w * 1000 + 100);
    agg.add({ timeMs: 3200, entity: 'kept', values: [5, 1] }, 3200);
    const state = agg.toJSON();
    expect(new Set(state.cells.map((c) => c.entity))).toEqual(new Set(['kept']));
    const result = agg.aggregate(4000, ['kept', 'gone-3']);
    expect(result.windowStartsMs).toEqual([2000, 3000]);
    expect(result.entities.get('kept')!.map((v) => Array.from(v.values))).toEqual([
      [2, 20],
      [4, 30],
    ]);
    expect(result.entities.get('gone-3')!.map((v) => v.extrapolation)).toEqual(['invalid', 'invalid']);
    // A forgotten entity that comes back starts afresh.
    agg.add({ timeMs: 4100, entity: 'gone-3', values: [7, 7] }, 4100);
    expect(agg.aggregate(5000, ['gone-3']).entities.get('gone-3')!.at(-1)!.values[0]).toBe(7);
  });
});

describe('WindowAggregator newest sample', () => {
  it('is the latest sample time kept, or null when empty', () => {
    const agg = aggregator();
    expect(agg.newestSampleTimeMs()).toBeNull();
    agg.add({ timeMs: 1500, entity: 'a', values: [1, 1] }, 1500);
    agg.add({ timeMs: 1200, entity: 'b', values: [1, 1] }, 1500);
    expect(agg.newestSampleTimeMs()).toBe(1500);
  });
});

describe('WindowAggregator extrapolation (min 4 samples, half 2)', () => {
  // Windows 0..3 complete, window 4 current.
  const now = 4500;
  const agg = aggregator({ numWindows: 4, minSamplesPerWindow: 4 });
  fill(agg, 'A', 0, 4, [10, 10], now);
  fill(agg, 'A', 2, 4, [20, 20], now);
  fill(agg, 'A', 3, 2, [30, 30], now);
  fill(agg, 'B', 0, 4, [10, 10], now);
  fill(agg, 'B', 1, 1, [40, 40], now);
  fill(agg, 'B', 2, 4, [20, 20], now);
  fill(agg, 'B', 3, 1, [50, 50], now);
  fill(agg, 'D', 2, 4, [1, 1], now);
  fill(agg, 'D', 4, 4, [1, 1], now);
  const result = agg.aggregate(now, ['A', 'B', 'C', 'D']);
  const tags = (e: string) => result.entities.get(e)!.map((v) => v.extrapolation);
  const values = (e: string, w: number) => Array.from(result.entities.get(e)![w]!.values);

  it('uses enough samples as they are, and at least half of them as avg-available', () => {
    expect(tags('A')).toEqual(['none', 'avg-adjacent', 'none', 'avg-available']);
    expect(values('A', 0)).toEqual([10, 10]);
    expect(values('A', 3)).toEqual([30, 30]);
  });

  it('averages the two adjacent windows when a window has too few samples', () => {
    // No sample of its own: the mean of the neighbours for every combine.
    expect(values('A', 1)).toEqual([15, 15]);
    // One sample of its own, as CC: avg pools all samples (40 + 4*10 + 4*20) / 9; max averages three window values.
    expect(tags('B')[1]).toBe('avg-adjacent');
    const [avg, max] = values('B', 1);
    expect(avg).toBeCloseTo(160 / 9, 12);
    expect(max).toBeCloseTo(70 / 3, 12);
  });

  it('marks a window invalid when neither applies, keeping a lone sample value like CC FORCED_INSUFFICIENT', () => {
    // Newest complete window: its next neighbour would be the current window, which CC never uses.
    expect(tags('B')[3]).toBe('invalid');
    expect(values('B', 3)).toEqual([50, 50]);
    expect(tags('C')).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(values('C', 0)).toEqual([0, 0]);
    expect(tags('D')).toEqual(['invalid', 'invalid', 'none', 'invalid']);
  });
});

describe('WindowAggregator rejections', () => {
  it('rejects samples too old, in the future or malformed, counts them by reason and never keeps them', () => {
    const agg = aggregator({ numWindows: 2 });
    const now = 5500; // current window 5; kept windows 3, 4 and 5.
    expect(agg.add({ entity: 'p:t-0', timeMs: 2999, values: [1, 1] }, now)).toBe('too-old');
    expect(agg.add({ entity: 'p:t-0', timeMs: 6000, values: [1, 1] }, now)).toBe('future');
    expect(agg.add({ entity: 'p:t-0', timeMs: 4000, values: [1] }, now)).toBe('malformed');
    expect(agg.add({ entity: 'p:t-0', timeMs: 4000, values: [1, Number.NaN] }, now)).toBe('malformed');
    expect(agg.add({ entity: 'p:t-0', timeMs: Number.NaN, values: [1, 1] }, now)).toBe('malformed');
    expect(agg.add({ entity: 'p:t-0', timeMs: 3000, values: [7, 7] }, now)).toBe('accepted');
    expect(agg.rejections()).toEqual({ 'too-old': 1, future: 1, malformed: 3 });

    const windows = agg.aggregate(now, ['p:t-0']).entities.get('p:t-0')!;
    expect(windows.map((w) => [w.windowStartMs, w.sampleCount])).toEqual([
      [3000, 1],
      [4000, 0],
    ]);
  });
});

describe('WindowAggregator completeness', () => {
  const T0 = Date.UTC(2026, 0, 1);
  const MINUTE = 60_000;
  const entities = ['p:t-0', 'p:t-1', 'p:t-2', 'p:t-3', 'p:t-4'];
  const make = (numWindows = 3) =>
    aggregator({ windowMs: MINUTE, numWindows, entityNoun: { one: 'partition', many: 'partitions' } });
  const report = (agg: WindowAggregator, window: number, who: string[], now: number) => {
    for (const entity of who) agg.add({ entity, timeMs: T0 + window * MINUTE + 10, values: [1, 1] }, now);
  };
  const need = { minValidWindows: 3, minValidEntityRatio: 0.8 };

  it('is ready when enough windows have enough valid entities', () => {
    const agg = make();
    const now = T0 + 3 * MINUTE + 5;
    for (const w of [0, 1, 2]) report(agg, w, entities, now);
    expect(agg.completeness(now, entities, { minValidWindows: 3, minValidEntityRatio: 0.995 })).toEqual({
      ready: true,
      validWindows: [T0, T0 + MINUTE, T0 + 2 * MINUTE],
      validEntityRatio: 1,
      invalidEntities: 0,
      reasons: [],
    });
  });

  it('names each invalid window with its valid share, and the entities with no valid window', () => {
    const agg = make();
    const now = T0 + 3 * MINUTE + 5;
    report(agg, 0, entities.slice(0, 4), now);
    report(agg, 1, entities.slice(0, 4), now);
    report(agg, 2, entities.slice(0, 2), now);
    expect(agg.completeness(now, entities, need)).toEqual({
      ready: false,
      validWindows: [T0, T0 + MINUTE],
      validEntityRatio: 0.8,
      invalidEntities: 1,
      reasons: [
        '2 of 3 required windows are valid (window starting 2026-01-01T00:02:00.000Z has 40% valid partitions)',
        '1 partition has no valid window',
      ],
    });
    // Two valid windows suffice when only two are asked for.
    const two = agg.completeness(now, entities, { ...need, minValidWindows: 2 });
    expect(two.ready).toBe(true);
    expect(two.reasons).toEqual([]);
  });

  it('explains warm-up: no complete window yet, then too few complete windows', () => {
    const agg = make();
    report(agg, 0, entities, T0 + 10);
    expect(agg.completeness(T0 + 20, entities, need).reasons).toEqual([
      '0 of 3 required windows are valid (no complete window yet)',
    ]);
    const c = agg.completeness(T0 + MINUTE, entities, need);
    expect(c.ready).toBe(false);
    expect(c.reasons).toEqual(['1 of 3 required windows are valid (only 1 complete window so far)']);
  });

  it('fails when different entities are missing in different valid windows', () => {
    const agg = make(2);
    const now = T0 + 2 * MINUTE + 5;
    report(
      agg,
      0,
      entities.filter((e) => e !== 'p:t-0'),
      now,
    );
    report(
      agg,
      1,
      entities.filter((e) => e !== 'p:t-1'),
      now,
    );
    const c = agg.completeness(now, entities, { minValidWindows: 2, minValidEntityRatio: 0.8 });
    expect(c).toMatchObject({ ready: false, validWindows: [T0, T0 + MINUTE], invalidEntities: 2 });
    expect(c.validEntityRatio).toBeCloseTo(0.6, 12);
    expect(c.reasons).toEqual(['60% of partitions are valid in every valid window, 80% required']);
  });

  it('is not ready without entities, and rejects impossible requirements', () => {
    const agg = make();
    expect(agg.completeness(T0, [], need).reasons).toEqual([
      'no partitions to check',
      '0 of 3 required windows are valid (no complete window yet)',
    ]);
    expect(() => agg.completeness(T0, entities, { ...need, minValidWindows: 4 })).toThrow(AggregatorConfigError);
    expect(() => agg.completeness(T0, entities, { ...need, minValidWindows: 0 })).toThrow(AggregatorConfigError);
    expect(() => agg.completeness(T0, entities, { ...need, minValidEntityRatio: 0 })).toThrow(/minValidEntityRatio/);
    expect(() => agg.completeness(T0, entities, { ...need, minValidEntityRatio: 1.5 })).toThrow(/minValidEntityRatio/);
  });
});

describe('WindowAggregator JSON state', () => {
  const config: WindowAggregatorConfig = {
    windowMs: 1000,
    numWindows: 3,
    minSamplesPerWindow: 2,
    metrics: [...AVG_MAX, { name: 'L', combine: 'latest' }],
  };
  const build = () => {
    const agg = new WindowAggregator(config);
    const now = 4500;
    for (const [entity, w, t, v] of [
      ['A', 1, 10, 1],
      ['A', 1, 20, 3],
      ['A', 2, 5, 9],
      ['A', 3, 1, 4],
      ['A', 3, 2, 8],
      ['B', 1, 1, 2],
      ['B', 3, 1, 6],
      ['B', 3, 9, 1],
    ] as const) {
      agg.add({ entity, timeMs: w * 1000 + t, values: [v, v, v] }, now);
    }
    agg.add({ entity: 'A', timeMs: 0, values: [1, 1, 1] }, now);
    return agg;
  };

  it('round-trips through JSON with identical results and keeps accumulating', () => {
    const original = build();
    const restored = WindowAggregator.fromJSON(JSON.parse(JSON.stringify(original)), config);
    expect(restored.aggregate(4500, ['A', 'B'])).toEqual(original.aggregate(4500, ['A', 'B']));
    expect(restored.rejections()).toEqual({ 'too-old': 1, future: 0, malformed: 0 });
    expect(restored.toJSON()).toEqual(original.toJSON());

    for (const agg of [original, restored]) agg.add({ entity: 'B', timeMs: 4100, values: [5, 5, 5] }, 5000);
    expect(restored.aggregate(5000, ['A', 'B'])).toEqual(original.aggregate(5000, ['A', 'B']));
  });

  it('drops windows outside a smaller numWindows on resume', () => {
    const restored = WindowAggregator.fromJSON(build().toJSON(), { ...config, numWindows: 1 });
    expect(restored.aggregate(4500, ['A']).windowStartsMs).toEqual([3000]);
  });

  it('refuses state with another window length, metric list or shape', () => {
    const state = build().toJSON();
    expect(() => WindowAggregator.fromJSON(state, { ...config, windowMs: 2000 })).toThrow(AggregatorStateError);
    expect(() => WindowAggregator.fromJSON(state, { ...config, metrics: AVG_MAX })).toThrow(
      'Saved state has metrics [BYTES_IN:avg,PEAK:max,L:latest], config has [BYTES_IN:avg,PEAK:max]',
    );
    expect(() => WindowAggregator.fromJSON(null, config)).toThrow(AggregatorStateError);
    expect(() => WindowAggregator.fromJSON({ ...state, version: 2 }, config)).toThrow(/unknown version 2/);
    const badCell = { ...state, cells: [{ ...state.cells[0]!, acc: [1] }] };
    expect(() => WindowAggregator.fromJSON(badCell, config)).toThrow(/malformed: cell/);
  });
});

describe('WindowAggregator config validation', () => {
  it.each([
    [{ windowMs: 0 }, 'windowMs must be a positive integer, got 0'],
    [{ numWindows: 0 }, 'numWindows must be an integer >= 1, got 0'],
    [{ minSamplesPerWindow: 1.5 }, 'minSamplesPerWindow must be an integer >= 1, got 1.5'],
    [{ metrics: [] }, 'metrics must list at least one metric'],
    [{ metrics: [AVG_MAX[0]!, AVG_MAX[0]!] }, 'metric BYTES_IN is listed twice'],
    [{ metrics: [{ name: 'X', combine: 'sum' }] }, "metric X has combine 'sum', expected avg, max or latest"],
  ] as [Partial<WindowAggregatorConfig>, string][])('rejects %j', (overrides, message) => {
    let error: unknown;
    try {
      aggregator(overrides);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AggregatorConfigError);
    expect(error).toBeInstanceOf(BallastError);
    expect((error as AggregatorConfigError).code).toBe('MONITOR_AGGREGATOR_CONFIG_INVALID');
    expect((error as Error).message).toContain(message);
  });
});
