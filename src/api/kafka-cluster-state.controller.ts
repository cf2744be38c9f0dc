// Cruise Control's GET /kafkacruisecontrol/kafka_cluster_state.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidParameterError } from './api.errors.js';
import type { KafkaClusterState } from './kafka-cluster-state.js';
import { KafkaClusterStateService } from './kafka-cluster-state.service.js';
import { parseQuery } from './query-params.js';

export const KAFKA_CLUSTER_STATE_PARAMS = {
  topic: { kind: 'string' },
  verbose: { kind: 'boolean', default: false },
  json: { kind: 'boolean', default: false },
  // Accepted for compatibility; Ballast does not send a schema header.
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

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

// Cruise Control matches the whole topic name (Java's Matcher.matches), so the regex is anchored.
// An empty value means no filter rather than "match only the empty name".
export function topicPattern(topic: string | undefined, parameter = 'topic'): RegExp | undefined {
  if (topic === undefined || topic === '') return undefined;
  // JavaScript regexes backtrack: a bound on the length keeps a hostile pattern from stalling the server.
  if (topic.length > MAX_TOPIC_PATTERN_LENGTH) {
    throw new InvalidParameterError(
      parameter,
      `Parameter '${parameter}' is longer than ${MAX_TOPIC_PATTERN_LENGTH} characters`,
    );
  }
  try {
    return new RegExp(`^(?:${topic})$`);
  } catch (error) {
    throw new InvalidParameterError(
      parameter,
      `Parameter '${parameter}' must be a regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const MAX_TOPIC_PATTERN_LENGTH = 1000;
