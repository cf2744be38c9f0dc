// Metrics: the Prometheus registry, Ballast's own ballast_* collectors over every stage, and the
// middleware that times API requests; /metrics (in src/api) exposes the registry.
import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AnalyzerModule } from '../analyzer/index.js';
import { DetectorModule } from '../detector/index.js';
import { ExecutorModule } from '../executor/index.js';
import { MonitorModule } from '../monitor/index.js';
import { MetricsService } from './metrics.service.js';
import { DetectorMetrics, ExecutorMetrics, ModelMetrics } from './stage-metrics.service.js';

@Global()
@Module({
  imports: [MonitorModule, AnalyzerModule, ExecutorModule, DetectorModule],
  providers: [MetricsService, ModelMetrics, ExecutorMetrics, DetectorMetrics],
  exports: [MetricsService],
})
export class MetricsModule implements NestModule {
  constructor(private readonly metrics: MetricsService) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.metrics.apiMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
