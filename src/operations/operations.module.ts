// The operations stage: proposing and executing an operation, for the API and self-healing.
import { Module } from '@nestjs/common';
import { AnalyzerModule } from '../analyzer/index.js';
import { ExecutorModule } from '../executor/index.js';
import { OperationService } from './operation.service.js';

@Module({
  imports: [AnalyzerModule, ExecutorModule],
  providers: [OperationService],
  exports: [OperationService],
})
export class OperationsModule {}
