// Encoding helpers for Kafka's flexible (KIP-482) message versions on top of kafkajs's Encoder and
// Decoder: compact arrays and strings, empty tagged-field sections, and the protocol-request
// object kafkajs's connections send.
import Decoder from 'kafkajs/src/protocol/decoder.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { errorCodes } from 'kafkajs/src/protocol/error.js';

export { Decoder, Encoder };

/** What a kafkajs Connection sends: the request encoder and the response decoder. */
export interface ProtocolRequest<T> {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<Encoder> };
  response: { decode: (raw: Buffer) => Promise<T>; parse: (decoded: T) => Promise<T> };
}

/** An API Ballast implements at one flexible version that Kafka 3.9 and 4.x both serve. */
export interface ApiSpec {
  apiKey: number;
  apiName: string;
  apiVersion: number;
  /** First Kafka release serving this version, for the error when a broker does not. */
  sinceKafka: string;
}

/**
 * Builds a flexible request. kafkajs writes request header v1; a flexible request needs header
 * v2, which is v1 followed by an empty tagged-field section, so the body starts with that byte.
 * Likewise a flexible response header carries tagged fields after the correlation id, which the
 * decoder skips before reading the body.
 */
export function flexibleRequest<T>(
  spec: ApiSpec,
  writeBody: (e: Encoder) => void,
  readBody: (d: Decoder) => T,
): ProtocolRequest<T> {
  return {
    request: {
      apiKey: spec.apiKey,
      apiVersion: spec.apiVersion,
      apiName: spec.apiName,
      encode: () => {
        const encoder = new Encoder();
        writeTags(encoder); // request header v2 tagged fields
        writeBody(encoder);
        return Promise.resolve(encoder);
      },
    },
    response: {
      decode: (raw) => {
        const decoder = new Decoder(raw);
        decoder.readTaggedFields(); // response header v1 tagged fields
        return Promise.resolve(readBody(decoder));
      },
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}

/** An empty tagged-field section (Ballast sends no tagged fields). */
export function writeTags(encoder: Encoder): Encoder {
  return encoder.writeUVarInt(0);
}

/** A compact array: length + 1 as an unsigned varint (0 means null), then the items. */
export function writeCompactArray<T>(
  encoder: Encoder,
  items: readonly T[] | null,
  writeItem: (e: Encoder, item: T) => void,
): Encoder {
  if (items === null) return encoder.writeUVarInt(0);
  encoder.writeUVarInt(items.length + 1);
  for (const item of items) writeItem(encoder, item);
  return encoder;
}

export function readCompactArray<T>(decoder: Decoder, readItem: (d: Decoder) => T): T[] {
  return decoder.readUVarIntArray(readItem) ?? [];
}

export function readCompactString(decoder: Decoder): string {
  return decoder.readUVarIntString() ?? '';
}

/** int64 values Ballast reads (byte sizes, lags) fit in a double well below 2^53. */
export function readInt64AsNumber(decoder: Decoder): number {
  return Number(decoder.readInt64());
}

/** Kafka's name for an error code (e.g. 56 → KAFKA_STORAGE_ERROR); null for 0. */
export function errorName(code: number): string | null {
  if (code === 0) return null;
  return errorCodes.find((e) => e.code === code)?.type ?? `KAFKA_ERROR_${code}`;
}

/** Whether Kafka marks an error code as retriable. */
export function isRetriable(code: number): boolean {
  return errorCodes.find((e) => e.code === code)?.retriable ?? false;
}

/**
 * Reads the common response shape `[topic name, [partition …] tags] tags` into a flat list,
 * each partition read by `readPartition` (which also reads that partition's tagged fields).
 */
export function readTopicPartitions<T>(decoder: Decoder, readPartition: (d: Decoder, topic: string) => T): T[] {
  return readCompactArray(decoder, (td: Decoder) => {
    const topic = readCompactString(td);
    const partitions = readCompactArray(td, (pd: Decoder) => readPartition(pd, topic));
    td.readTaggedFields();
    return partitions;
  }).flat();
}

/** A partition result `partition_index error_code error_message tags`. */
export function readPartitionError(decoder: Decoder, topic: string) {
  const partition = decoder.readInt32();
  const errorCode = decoder.readInt16();
  const errorMessage = decoder.readUVarIntString();
  decoder.readTaggedFields();
  return { topic, partition, errorCode, errorMessage };
}

/**
 * Writes the common request shape `[topic name, [partition int32] tags]` (null for "all"), the
 * mirror of {@link readTopicPartitions}.
 */
export function writeTopicPartitions(
  encoder: Encoder,
  topics: readonly { name: string; partitions: readonly number[] }[] | null,
): Encoder {
  return writeCompactArray(encoder, topics, (te, t) => {
    te.writeUVarIntString(t.name);
    writeCompactArray(te, t.partitions, (pe, p) => pe.writeInt32(p));
    writeTags(te);
  });
}
