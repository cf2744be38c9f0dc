// Prometheus metrics (prom-client): the registry and, later, Ballast's own ballast_* series.
export { MetricsModule } from './metrics.module.js';
export { MetricsService } from './metrics.service.js';
