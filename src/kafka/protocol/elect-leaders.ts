// ElectLeaders (key 43) v2: preferred (type 0) or unclean (type 1) leader election.
import {
  type ApiSpec,
  flexibleRequest,
  writeTags,
  readTopicPartitions,
  readPartitionError,
  writeTopicPartitions,
} from './codec.js';

export const ELECT_LEADERS: ApiSpec = { apiKey: 43, apiName: 'ElectLeaders', apiVersion: 2, sinceKafka: '2.4' };

export const PREFERRED_ELECTION = 0;

export interface ElectionResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
}

export function electLeadersRequest(partitions: { topic: string; partitions: number[] }[], timeoutMs: number) {
  return flexibleRequest<{ errorCode: number; results: ElectionResult[] }>(
    ELECT_LEADERS,
    (e) => {
      e.writeInt8(PREFERRED_ELECTION);
      writeTopicPartitions(
        e,
        partitions.map((t) => ({ name: t.topic, partitions: t.partitions })),
      );
      e.writeInt32(timeoutMs);
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const errorCode = d.readInt16();
      const results = readTopicPartitions(d, readPartitionError);
      d.readTaggedFields();
      return { errorCode, results };
    },
  );
}
