// Load monitor samplers: the seam (MetricSampler), the three sources, and the JMX-exporter text parser.
export {
  brokerSnapshotFromScrape,
  parsePrometheusText,
  ratesBetween,
  type BrokerRates,
  type BrokerScrapeSnapshot,
  type PrometheusParseResult,
  type PrometheusSample,
  type ScrapeError,
} from './jmx-exporter.parser.js';
export {
  MetricSampler,
  partitionKey,
  type BrokerLatency,
  type BrokerPoint,
  type MeasurementPoint,
  type SamplingProblem,
  type SamplingRound,
  type TopicRates,
} from './metric-sampler.js';
export { AdminSampler, leaderSizes } from './admin.sampler.js';
export { JmxScrapeSampler, parseBrokerUrls, topicsLedBy, type JmxScrapeOptions } from './jmx-scrape.sampler.js';
export {
  PrometheusSampler,
  parseInstances,
  type PrometheusQueries,
  type PrometheusSamplerOptions,
} from './prometheus.sampler.js';
export { createSampler } from './sampler.factory.js';
