// AlterReplicaLogDirs (key 34) v2: move replicas between the log dirs of the broker it is sent to.
import {
  type ApiSpec,
  flexibleRequest,
  writeCompactArray,
  writeTags,
  readTopicPartitions,
  writeTopicPartitions,
} from './codec.js';

export const ALTER_REPLICA_LOG_DIRS: ApiSpec = {
  apiKey: 34,
  apiName: 'AlterReplicaLogDirs',
  apiVersion: 2,
  sinceKafka: '2.4',
};

export interface PartitionErrorCode {
  topic: string;
  partition: number;
  errorCode: number;
}

/** `moves` maps a destination dir to the topic partitions that should live there. */
export function alterReplicaLogDirsRequest(
  moves: { path: string; topics: { name: string; partitions: number[] }[] }[],
) {
  return flexibleRequest<PartitionErrorCode[]>(
    ALTER_REPLICA_LOG_DIRS,
    (e) => {
      writeCompactArray(e, moves, (de, dir) => {
        de.writeUVarIntString(dir.path);
        writeTopicPartitions(de, dir.topics);
        writeTags(de);
      });
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const results = readTopicPartitions(d, (pd, topic) => {
        const partition = pd.readInt32();
        const errorCode = pd.readInt16();
        pd.readTaggedFields();
        return { topic, partition, errorCode };
      });
      d.readTaggedFields();
      return results;
    },
  );
}
