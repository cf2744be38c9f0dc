// Load monitor: broker capacities (built); samplers for Prometheus, direct JMX-exporter scrape and the admin API (not built yet).
export * from './capacity/index.js';
export * from './aggregation/index.js';
export { MonitorModule } from './monitor.module.js';
