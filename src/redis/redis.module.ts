// Redis: the store behind the executor's queues, persisted samples and anomaly state.
import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection.service.js';

@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
