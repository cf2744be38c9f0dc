// DescribeLogDirs (key 35) v4: every log dir of one broker, its replicas with sizes and lags,
// future replicas of intra-broker moves, failed dirs, and the volume's total and usable bytes.
import {
  type ApiSpec,
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readCompactString,
  readInt64AsNumber,
  writeTags,
  writeTopicPartitions,
} from './codec.js';

export const DESCRIBE_LOG_DIRS: ApiSpec = { apiKey: 35, apiName: 'DescribeLogDirs', apiVersion: 4, sinceKafka: '3.3' };

export interface DescribedLogDir {
  errorCode: number;
  path: string;
  topics: {
    name: string;
    partitions: { partition: number; sizeBytes: number; offsetLag: number; isFuture: boolean }[];
  }[];
  /** -1 when the broker does not know (e.g. a failed dir). */
  totalBytes: number;
  usableBytes: number;
}

export interface DescribeLogDirsResult {
  errorCode: number;
  logDirs: DescribedLogDir[];
}

function readPartition(d: Decoder) {
  const partition = d.readInt32();
  const sizeBytes = readInt64AsNumber(d);
  const offsetLag = readInt64AsNumber(d);
  const isFuture = d.readBoolean();
  d.readTaggedFields();
  return { partition, sizeBytes, offsetLag, isFuture };
}

function readTopic(d: Decoder) {
  const name = readCompactString(d);
  const partitions = readCompactArray(d, readPartition);
  d.readTaggedFields();
  return { name, partitions };
}

function readLogDir(d: Decoder): DescribedLogDir {
  const errorCode = d.readInt16();
  const path = readCompactString(d);
  const topics = readCompactArray(d, readTopic);
  const totalBytes = readInt64AsNumber(d);
  const usableBytes = readInt64AsNumber(d);
  d.readTaggedFields();
  return { errorCode, path, topics, totalBytes, usableBytes };
}

/** `topics: null` asks for every replica the broker holds. */
export function describeLogDirsRequest(topics: { name: string; partitions: number[] }[] | null = null) {
  return flexibleRequest<DescribeLogDirsResult>(
    DESCRIBE_LOG_DIRS,
    (e) => {
      writeTopicPartitions(e, topics);
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const errorCode = d.readInt16();
      const logDirs = readCompactArray(d, readLogDir);
      d.readTaggedFields();
      return { errorCode, logDirs };
    },
  );
}
