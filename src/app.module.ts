// The whole service, one module per pipeline stage, in the order data flows through them.
import { type DynamicModule, Module } from '@nestjs/common';
import { AnalyzerModule } from './analyzer/index.js';
import { ApiModule } from './api/index.js';
import { type BallastConfig, ConfigModule } from './config/index.js';
import { DetectorModule } from './detector/index.js';
import { ExecutorModule } from './executor/index.js';
import { KafkaModule } from './kafka/index.js';
import { MetricsModule } from './metrics/index.js';
import { MonitorModule } from './monitor/index.js';
import { RedisModule } from './redis/index.js';

@Module({})
export class AppModule {
  static forRoot(config: BallastConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        KafkaModule,
        RedisModule,
        MonitorModule,
        AnalyzerModule,
        ExecutorModule,
        DetectorModule,
        ApiModule,
      ],
    };
  }
}
