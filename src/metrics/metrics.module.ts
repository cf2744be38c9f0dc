// Metrics: the Prometheus registry and Ballast's own ballast_* collectors over every stage; /metrics
// (in src/api) exposes the registry, and src/api mounts the request middleware (registerApiMetrics).
import { Global, Module } from '@nestjs/common';
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
export class MetricsModule {}
