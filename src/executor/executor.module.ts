// The executor stage: the execution store in Redis and the service that runs executions as
// BullMQ steps (with the load monitor's traffic for adaptive throttles).
import { Module } from '@nestjs/common';
import { KafkaModule } from '../kafka/index.js';
import { MonitorModule } from '../monitor/index.js';
import { RedisModule } from '../redis/index.js';
import { ExecutorService } from './executor.service.js';
import { RedisExecutionStore } from './redis-execution-store.js';

@Module({
  imports: [KafkaModule, RedisModule, MonitorModule],
  providers: [RedisExecutionStore, ExecutorService],
  exports: [ExecutorService],
})
export class ExecutorModule {}
