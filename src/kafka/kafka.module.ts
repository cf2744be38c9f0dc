// The Kafka gateway: the only module that talks to Kafka. Other modules inject `KafkaGateway`.
import { Module } from '@nestjs/common';
import { KafkaGateway } from './kafka.gateway.js';
import { KafkajsGateway } from './kafkajs.gateway.js';

@Module({
  providers: [KafkajsGateway, { provide: KafkaGateway, useExisting: KafkajsGateway }],
  exports: [KafkaGateway],
})
export class KafkaModule {}
