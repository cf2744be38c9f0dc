// A minimal Metadata (v4) request over a raw socket, asking for no topics, to list the brokers
// the cluster considers alive. Independent of kafkajs on purpose: kafkajs sends an empty topic
// list as "all topics" and throws when any partition anywhere is offline, which is exactly the
// state failure tests create. v4 is served by Kafka 3.x and 4.x (4.0 dropped v0–v3).
import { Socket } from 'node:net';

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;

export interface MetadataBroker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: MetadataBroker[];
}

function encodeRequest(correlationId: number, clientId: string): Buffer {
  const client = Buffer.from(clientId, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(METADATA_API_KEY, o);
  o = body.writeInt16BE(METADATA_VERSION, o);
  o = body.writeInt32BE(correlationId, o);
  o = body.writeInt16BE(client.length, o);
  o += client.copy(body, o);
  o = body.writeInt32BE(0, o); // topics: an empty array (not null), i.e. no topics
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
  return { clusterId, controllerId, brokers: brokers.sort((a, b) => a.id - b.id) };
}

/** Sends one Metadata request to `host:port`; rejects on connection error or after `timeoutMs`. */
export function probeMetadata(host: string, port: number, timeoutMs = 3_000): Promise<ClusterMetadata> {
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
    socket.connect(port, host, () => socket.write(encodeRequest(1, 'ballast-sandbox-probe')));
  });
}
