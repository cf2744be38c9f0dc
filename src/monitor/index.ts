// Load monitor (not built yet): samplers for Prometheus, direct JMX-exporter scrape and the admin API.
export { MonitorModule } from './monitor.module.js';
