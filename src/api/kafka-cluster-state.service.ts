// GET /kafkacruisecontrol/kafka_cluster_state: reads a snapshot through the KafkaGateway and hands it
// to the pure kafkaClusterState; no logic of its own.
import { Injectable } from '@nestjs/common';
import { KafkaGateway } from '../kafka/index.js';
import { kafkaClusterState, kafkaClusterStateText, type KafkaClusterState } from './kafka-cluster-state.js';

// Kafka's default min.insync.replicas. Ballast does not read the brokers' own default yet, so a
// topic without a topic-level override is judged against this.
const BROKER_DEFAULT_MIN_INSYNC_REPLICAS = 1;

@Injectable()
export class KafkaClusterStateService {
  constructor(private readonly kafka: KafkaGateway) {}

  // The whole cluster is read: broker state covers every topic, the pattern only narrows the
  // partition lists, as in Cruise Control.
  async state(topicPattern: RegExp | undefined, verbose: boolean): Promise<KafkaClusterState> {
    const snapshot = await this.kafka.snapshot();
    return kafkaClusterState(snapshot, { verbose, topicPattern }, BROKER_DEFAULT_MIN_INSYNC_REPLICAS);
  }

  toText(state: KafkaClusterState): string {
    return kafkaClusterStateText(state);
  }
}
