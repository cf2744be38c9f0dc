// Load monitor samplers: the pure parsing half of the direct JMX-exporter scrape (no fetch, no timers).
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
