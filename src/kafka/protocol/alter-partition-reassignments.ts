// AlterPartitionReassignments (key 45) v0: start reassignments, or cancel them with a null replica
// list (kafkajs's own encoder cannot express null, so cancellation needs this one).
import {
  type ApiSpec,
  flexibleRequest,
  writeCompactArray,
  writeTags,
  readTopicPartitions,
  readPartitionError,
} from './codec.js';

export const ALTER_PARTITION_REASSIGNMENTS: ApiSpec = {
  apiKey: 45,
  apiName: 'AlterPartitionReassignments',
  apiVersion: 0,
  sinceKafka: '2.4',
};

export interface PartitionReassignment {
  topic: string;
  partition: number;
  /** Target replicas, preferred leader first; null cancels the reassignment in progress. */
  replicas: number[] | null;
}

export interface ReassignmentResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
}

export function alterPartitionReassignmentsRequest(reassignments: PartitionReassignment[], timeoutMs: number) {
  const byTopic = new Map<string, PartitionReassignment[]>();
  for (const r of reassignments) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  return flexibleRequest<{ errorCode: number; errorMessage: string | null; results: ReassignmentResult[] }>(
    ALTER_PARTITION_REASSIGNMENTS,
    (e) => {
      e.writeInt32(timeoutMs);
      writeCompactArray(e, [...byTopic], (te, [topic, partitions]) => {
        te.writeUVarIntString(topic);
        writeCompactArray(te, partitions, (pe, p) => {
          pe.writeInt32(p.partition);
          writeCompactArray(pe, p.replicas, (re, id) => re.writeInt32(id));
          writeTags(pe);
        });
        writeTags(te);
      });
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const errorCode = d.readInt16();
      const errorMessage = d.readUVarIntString();
      const results = readTopicPartitions(d, readPartitionError);
      d.readTaggedFields();
      return { errorCode, errorMessage, results };
    },
  );
}
