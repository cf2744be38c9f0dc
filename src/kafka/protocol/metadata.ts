// Metadata (key 3) v6 through kafkajs's own encoder and decoder, but without kafkajs's parse step,
// which throws as soon as any partition reports an error (an offline partition, say): exactly the
// partitions a balancer must see.
import metadataV6Request from 'kafkajs/src/protocol/requests/metadata/v6/request.js';
import { decode as decodeMetadataV6 } from 'kafkajs/src/protocol/requests/metadata/v6/response.js';
import type { ProtocolRequest } from './codec.js';

export interface MetadataResponse {
  clusterId: string | null;
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  topicMetadata: {
    topicErrorCode: number;
    topic: string;
    isInternal: boolean;
    partitionMetadata: {
      partitionErrorCode: number;
      partitionId: number;
      leader: number;
      replicas: number[];
      isr: number[];
      offlineReplicas: number[];
    }[];
  }[];
}

/** Metadata for every topic (an empty list is sent as null, which Kafka reads as "all"). */
export function metadataRequest(): ProtocolRequest<MetadataResponse> {
  return {
    request: metadataV6Request({
      topics: [],
      allowAutoTopicCreation: false,
    }) as ProtocolRequest<MetadataResponse>['request'],
    response: {
      decode: async (raw) => (await decodeMetadataV6(raw)) as MetadataResponse,
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}
