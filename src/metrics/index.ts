// Prometheus metrics (prom-client): the registry, Ballast's ballast_* collectors over every stage
// and the API request middleware.
export { MetricsModule } from './metrics.module.js';
export { MetricsService } from './metrics.service.js';
export { endpointLabel, registerApiMetrics, type ApiMetricsMiddleware } from './api.metrics.js';
