// A minimal Metadata (v5) request over a raw socket: the brokers the cluster considers alive and
// the exact state of chosen partitions, offline ones included. Independent of kafkajs on purpose: kafkajs sends an empty topic
// list as "all topics" and throws when any partition anywhere is offline, which is exactly the
// state failure tests create. v5 is served by Kafka 3.x and 4.x (4.0 dropped v0–v3).
import { Socket } from 'node:net';

const METADATA_API_KEY = 3;
const METADATA_VERSION = 5; // v5 adds offline_replicas; v4+ is all Kafka 4 accepts

export interface MetadataBroker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionMetadata {
  partition: number;
  /** Kafka error code for this partition (0 = none; 5 = leader not available). */
  errorCode: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMetadata {
  name: string;
  /** Kafka error code for the topic (0 = none; 3 = unknown topic). */
  errorCode: number;
  partitions: PartitionMetadata[];
}

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: MetadataBroker[];
  topics: TopicMetadata[];
}

function encodeRequest(correlationId: number, clientId: string, topics: string[]): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const names = topics.map((t) => Buffer.from(t, 'utf8'));
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length + 4 + names.reduce((n, b) => n + 2 + b.length, 0) + 1);
  let o = 0;
  o = body.writeInt16BE(METADATA_API_KEY, o);
  o = body.writeInt16BE(METADATA_VERSION, o);
  o = body.writeInt32BE(correlationId, o);
  o = body.writeInt16BE(client.length, o);
  o += client.copy(body, o);
  o = body.writeInt32BE(names.length, o); // an empty array (not null) asks for no topics
  for (const name of names) {
    o = body.writeInt16BE(name.length, o);
    o += name.copy(body, o);
  }
  body.writeInt8(0, o); // allow_auto_topic_creation = false
  const frame = Buffer.alloc(4 + body.length);
  frame.writeInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

function decodeResponse(buf: Buffer): ClusterMetadata {
  let o = 4; // correlation id
  o += 4; // throttle_time_ms
  const readString = (): string | null => {
    const len = buf.readInt16BE(o);
    o += 2;
    if (len < 0) return null;
    const s = buf.toString('utf8', o, o + len);
    o += len;
    return s;
  };
  const brokerCount = buf.readInt32BE(o);
  o += 4;
  const brokers: MetadataBroker[] = [];
  for (let i = 0; i < brokerCount; i += 1) {
    const id = buf.readInt32BE(o);
    o += 4;
    const host = readString() ?? '';
    const port = buf.readInt32BE(o);
    o += 4;
    brokers.push({ id, host, port, rack: readString() });
  }
  const clusterId = readString();
  const controllerId = buf.readInt32BE(o);
  o += 4;
  const readInt16 = (): number => {
    o += 2;
    return buf.readInt16BE(o - 2);
  };
  const readInt32 = (): number => {
    o += 4;
    return buf.readInt32BE(o - 4);
  };
  const readInt32s = (): number[] => Array.from({ length: readInt32() }, readInt32);
  const topics: TopicMetadata[] = Array.from({ length: readInt32() }, () => {
    const errorCode = readInt16();
    const name = readString() ?? '';
    o += 1; // is_internal
    const partitions = Array.from({ length: readInt32() }, () => ({
      errorCode: readInt16(),
      partition: readInt32(),
      leader: readInt32(),
      replicas: readInt32s(),
      isr: readInt32s(),
      offlineReplicas: readInt32s(),
    })).sort((a, b) => a.partition - b.partition);
    return { name, errorCode, partitions };
  });
  return { clusterId, controllerId, brokers: brokers.sort((a, b) => a.id - b.id), topics };
}

/**
 * Sends one Metadata request for `topics` (none by default) to `host:port`; rejects on a
 * connection error or after `timeoutMs`. Partition errors are returned, never thrown.
 */
export function probeMetadata(
  host: string,
  port: number,
  topics: string[] = [],
  timeoutMs = 3_000,
): Promise<ClusterMetadata> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`no Metadata answer from ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.end();
      try {
        resolve(decodeResponse(received.subarray(4, 4 + size)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.connect(port, host, () => socket.write(encodeRequest(1, 'ballast-sandbox-probe', topics)));
  });
}

/** True when every broker at `ports` serves `topic` with a leader and no error on every partition. */
export async function topicServedEverywhere(host: string, ports: number[], topic: string): Promise<boolean> {
  for (const port of ports) {
    const [state] = (await probeMetadata(host, port, [topic])).topics;
    if (!state || state.errorCode !== 0 || state.partitions.length === 0) return false;
    if (state.partitions.some((p) => p.errorCode !== 0 || p.leader < 0)) return false;
  }
  return true;
}
