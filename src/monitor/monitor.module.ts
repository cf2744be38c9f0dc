// The load monitor stage: the configured sampler, the sample store, and the service that runs rounds.
import { Module } from '@nestjs/common';
import { BallastConfig } from '../config/index.js';
import { KafkaModule } from '../kafka/index.js';
import { RedisConnection, RedisModule } from '../redis/index.js';
import { LoadMonitorService } from './load-monitor.service.js';
import { NoSampleStore, RedisSampleStore, SampleStore } from './sample-store.js';
import { createSampler, MetricSampler } from './samplers/index.js';

@Module({
  imports: [KafkaModule, RedisModule],
  providers: [
    {
      provide: MetricSampler,
      useFactory: (config: BallastConfig) => createSampler(config.monitor),
      inject: [BallastConfig],
    },
    {
      provide: SampleStore,
      useFactory: (redis: RedisConnection, config: BallastConfig) =>
        config.monitor.persistSamples ? new RedisSampleStore(redis, config) : new NoSampleStore(),
      inject: [RedisConnection, BallastConfig],
    },
    LoadMonitorService,
  ],
  exports: [LoadMonitorService],
})
export class MonitorModule {}
