// Stub: the analyzer will live here (runs the goals in goals/ over the workload model into proposals). Nothing is analyzed yet.
import { Module } from '@nestjs/common';

@Module({})
export class AnalyzerModule {}
