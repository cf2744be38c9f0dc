// The executor stage: the execution store in Redis, the engine (with the load monitor's traffic for
// adaptive throttles), the supervisor that runs its operations, the BullMQ step processor, and the
// service the API and self-healing call.
import { Module } from '@nestjs/common';
import { KafkaModule } from '../kafka/index.js';
import { MonitorModule } from '../monitor/index.js';
import { RedisModule } from '../redis/index.js';
import { executionEngineProvider } from './execution-engine.provider.js';
import { ExecutionSupervisor } from './execution-supervisor.js';
import { ExecutorService } from './executor.service.js';
import { RedisExecutionStore } from './redis-execution-store.js';
import { StepProcessor } from './step.processor.js';

@Module({
  imports: [KafkaModule, RedisModule, MonitorModule],
  providers: [RedisExecutionStore, executionEngineProvider, StepProcessor, ExecutionSupervisor, ExecutorService],
  exports: [ExecutorService],
})
export class ExecutorModule {}
