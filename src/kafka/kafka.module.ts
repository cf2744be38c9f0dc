// The Kafka gateway: the only module that talks to Kafka.
import { Module } from '@nestjs/common';
import { KafkaConnection } from './kafka-connection.service.js';

@Module({ providers: [KafkaConnection], exports: [KafkaConnection] })
export class KafkaModule {}
