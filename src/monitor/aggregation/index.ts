// Load monitor aggregation core: metric samples bucketed into time windows, extrapolated and checked for completeness (pure, no I/O).
export type {
  AddResult,
  Extrapolation,
  MetricCombine,
  MetricDefinition,
  MetricDefinitions,
  MetricSample,
  RejectReason,
} from './metric-sample.js';
export { AggregatorConfigError, AggregatorStateError } from './aggregation.errors.js';
export { computeCompleteness, type Completeness, type CompletenessRequirements } from './completeness.js';
export type { AggregationResult, EntityWindowValue } from './aggregation-result.js';
export { WindowAggregator, type WindowAggregatorConfig, type WindowAggregatorState } from './window-aggregator.js';
