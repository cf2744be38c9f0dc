// The analyzer stage: the service that runs the goals over the load monitor's workload model.
import { Module } from '@nestjs/common';
import { MonitorModule } from '../monitor/index.js';
import { AnalyzerService } from './analyzer.service.js';

@Module({ imports: [MonitorModule], providers: [AnalyzerService], exports: [AnalyzerService] })
export class AnalyzerModule {}
