// Metric samples and metric definitions: what the window aggregator takes in and how it tags its output.

/** How the samples of one metric that fall into the same window combine into the window's value. */
export type MetricCombine = 'avg' | 'max' | 'latest';

/** One metric in the fixed metric list; a sample's `values[i]` is the metric at index `i`. */
export interface MetricDefinition {
  /** Stable name, e.g. `LEADER_BYTES_IN`; persisted state is only reloaded when the names match. */
  readonly name: string;
  readonly combine: MetricCombine;
}

/** The fixed, ordered metric list an aggregator is configured with. */
export type MetricDefinitions = readonly MetricDefinition[];

/** One observation of one entity (a partition or a broker) at one instant. */
export interface MetricSample {
  /** When the sample was taken, epoch milliseconds; decides the window it falls into. */
  timeMs: number;
  /** The entity, e.g. `p:orders-3` for a partition or `b:2` for a broker. */
  entity: string;
  /** One finite value per metric, in the order of the metric list. */
  values: Float64Array | readonly number[];
}

/**
 * How a window's value for an entity was obtained, after Cruise Control's `Extrapolation`:
 * - `none`: at least `minSamplesPerWindow` samples;
 * - `avg-available`: fewer, but at least half of them (CC's AVG_AVAILABLE);
 * - `avg-adjacent`: fewer than half, taken from the two neighbouring windows (CC's AVG_ADJACENT);
 * - `invalid`: nothing usable (CC's NO_VALID_EXTRAPOLATION and FORCED_INSUFFICIENT).
 */
export type Extrapolation = 'none' | 'avg-available' | 'avg-adjacent' | 'invalid';

/** Why `add` refused a sample; each is counted. */
export type RejectReason = 'too-old' | 'future' | 'malformed';

/** The outcome of `add`: accepted, or the reason it was rejected. */
export type AddResult = 'accepted' | RejectReason;
