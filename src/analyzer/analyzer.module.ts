// The analyzer stage: the goals this Ballast runs (checked at start-up) and the service that runs
// them over the load monitor's workload model.
import { Module } from '@nestjs/common';
import { BallastConfig } from '../config/index.js';
import { MonitorModule } from '../monitor/index.js';
import { AnalyzerService } from './analyzer.service.js';
import { GoalRegistry } from './goal-registry.js';

@Module({
  imports: [MonitorModule],
  providers: [
    AnalyzerService,
    {
      provide: GoalRegistry,
      useFactory: (config: BallastConfig) => GoalRegistry.load(config.analyzer),
      inject: [BallastConfig],
    },
  ],
  exports: [AnalyzerService, GoalRegistry],
})
export class AnalyzerModule {}
