// Wires the pull collectors to the stages' services: each reads their current state at scrape
// time, so no stage calls a metric itself. One small provider per source keeps each to a few
// dependencies; the analyzer's computation hook feeds the proposal-time histogram.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AnalyzerService } from '../analyzer/index.js';
import { AnomalyDetectorService } from '../detector/index.js';
import { ExecutorService } from '../executor/index.js';
import { LoadMonitorService } from '../monitor/index.js';
import { registerDetectorMetrics } from './detector.metrics.js';
import { registerExecutorMetrics } from './executor.metrics.js';
import { MetricsService } from './metrics.service.js';
import { registerModelMetrics } from './model.metrics.js';
import { registerProposalMetrics } from './proposal.metrics.js';

@Injectable()
export class ModelMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly monitor: LoadMonitorService,
    private readonly analyzer: AnalyzerService,
  ) {}

  onModuleInit(): void {
    const { registry, scrapeCache } = this.metrics;
    registerModelMetrics(
      registry,
      { monitorState: () => this.monitor.state(), latestProposal: () => this.analyzer.latestProposal() },
      scrapeCache,
    );
    this.analyzer.onComputation(registerProposalMetrics(registry));
  }
}

@Injectable()
export class ExecutorMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly executor: ExecutorService,
  ) {}

  onModuleInit(): void {
    registerExecutorMetrics(
      this.metrics.registry,
      { lastExecution: () => this.executor.lastKnown() },
      this.metrics.scrapeCache,
    );
  }
}

@Injectable()
export class DetectorMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly detector: AnomalyDetectorService,
  ) {}

  onModuleInit(): void {
    registerDetectorMetrics(
      this.metrics.registry,
      { detectorState: () => this.detector.state() },
      this.metrics.scrapeCache,
    );
  }
}
