// Load monitor: broker capacities (built); samplers for Prometheus, direct JMX-exporter scrape and the admin API (not built yet).
export * from './capacity/index.js';
export * from './aggregation/index.js';
export * from './samplers/index.js';
export { MonitorModule } from './monitor.module.js';
export * from './load-derivation.js';
