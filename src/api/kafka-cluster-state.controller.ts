// Cruise Control's GET /kafkacruisecontrol/kafka_cluster_state.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { KafkaClusterState } from './kafka-cluster-state.js';
import { KafkaClusterStateService } from './kafka-cluster-state.service.js';
import { parseQuery, topicPattern } from './query-params.js';
import { KAFKA_CLUSTER_STATE_PARAMS } from './endpoint-params.js';

@Controller('kafkacruisecontrol')
export class KafkaClusterStateController {
  constructor(private readonly service: KafkaClusterStateService) {}

  @Get('kafka_cluster_state')
  async kafkaClusterState(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<KafkaClusterState | string> {
    const params = parseQuery('GET /kafkacruisecontrol/kafka_cluster_state', KAFKA_CLUSTER_STATE_PARAMS, query);
    const state = await this.service.state(topicPattern(params.topic), params.verbose);
    if (params.json) return state;
    response.type('text/plain');
    return this.service.toText(state);
  }
}
