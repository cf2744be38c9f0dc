// What the window aggregator hands out: each entity's value per complete window. Its own file so
// completeness.ts can read a result without importing the aggregator that imports it back.
import type { Extrapolation } from './metric-sample.js';

/** One entity's value in one complete window. */
export interface EntityWindowValue {
  /** Start of the window, epoch milliseconds. */
  windowStartMs: number;
  /** One value per metric; zeros when `invalid` and the window holds no sample. */
  values: Float64Array;
  extrapolation: Extrapolation;
  /** Samples of this entity in this window (before extrapolation). */
  sampleCount: number;
}

/** Values of the requested entities in every complete window kept, oldest window first. */
export interface AggregationResult {
  /** Start of each complete window, epoch milliseconds, oldest first. */
  windowStartsMs: number[];
  metricNames: string[];
  /** Per requested entity, one entry per window of `windowStartsMs`, same order. */
  entities: Map<string, EntityWindowValue[]>;
}
