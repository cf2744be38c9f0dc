// Test traffic with exact counts: produce with acks=all, then read everything back and count it.
import type { Admin, Kafka } from 'kafkajs';

export interface ProduceResult {
  total: number;
  /** Messages per partition id. */
  perPartition: Record<number, number>;
  /** Distinct message keys read (consumeAndCount only), to tell a lost message from a duplicate. */
  keys?: Set<string>;
}

export interface ProduceOptions {
  /** Size of each message value. @defaultValue 100 */
  valueBytes?: number;
  /** Send everything to this partition instead of round-robin. */
  partition?: number;
  /** Messages per produce request. @defaultValue 500 */
  batchSize?: number;
}

/**
 * Produces `count` messages with acks=all (idempotent producer), spread round-robin over the
 * partitions (or all to `partition`), and returns how many each partition acknowledged.
 */
export async function produceMessages(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  count: number,
  { valueBytes = 100, partition, batchSize = 500 }: ProduceOptions = {},
): Promise<ProduceResult> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitionIds = metadata.topics[0]!.partitions.map((p) => p.partitionId).sort((a, b) => a - b);
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
  await producer.connect();
  const perPartition: Record<number, number> = {};
  const value = Buffer.alloc(valueBytes, 'x');
  try {
    for (let sent = 0; sent < count;) {
      const n = Math.min(batchSize, count - sent);
      const messages = Array.from({ length: n }, (_, i) => {
        const target = partition ?? partitionIds[(sent + i) % partitionIds.length]!;
        return { partition: target, key: `m-${sent + i}`, value };
      });
      await producer.send({ topic, acks: -1, messages });
      for (const m of messages) perPartition[m.partition] = (perPartition[m.partition] ?? 0) + 1;
      sent += n;
    }
  } finally {
    await producer.disconnect();
  }
  return { total: count, perPartition };
}

/** The slice of kafkajs's internal Cluster and Broker a group-less read needs. */
interface FetchCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<FetchBroker>;
}

interface FetchBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{
    responses: {
      partitions: {
        partition: number;
        messages: { offset: string; key: Buffer | null; isControlRecord?: boolean }[];
      }[];
    }[];
  }>;
}

const READ_COMMITTED = 1;
const PARTITION_FETCH_BYTES = 4 * 1024 * 1024;

/** A kafkajs cluster (connections, metadata) built the way kafkajs builds its own clients. */
function createCluster(kafka: Kafka): FetchCluster {
  const factory = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!factory) throw new Error('kafkajs internals changed: cannot create a cluster');
  const create = (kafka as unknown as Record<symbol, (o: object) => FetchCluster>)[factory]!;
  return create({ metadataMaxAge: 30_000, allowAutoTopicCreation: false });
}

/**
 * Reads the whole topic from the beginning and counts the messages actually received, per
 * partition, up to the end offsets seen at the start. Fetches go straight to each partition's
 * leader, with no consumer group: a group costs a coordinator lookup, a join and a leave (about
 * 5 s a call in the sandbox tests), and once waited 70 s for its coordinator after a log dir
 * failed. Each offset counts once; a moved leader or a lost broker only means fresh metadata and
 * another fetch.
 */
export async function consumeAndCount(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  timeoutMs: number,
): Promise<ProduceResult> {
  const ends = await admin.fetchTopicOffsets(topic);
  const next = new Map<number, bigint>();
  const end = new Map<number, bigint>();
  const perPartition: Record<number, number> = {};
  for (const { partition, offset, low } of ends) {
    perPartition[partition] = 0;
    if (BigInt(offset) > BigInt(low)) {
      next.set(partition, BigInt(low));
      end.set(partition, BigInt(offset));
    }
  }
  let total = 0;
  const keys = new Set<string>();
  if (next.size === 0) return { total, perPartition, keys };
  let lastError: unknown;
  let stopped = false;
  const cluster = createCluster(kafka);
  const fetchFromLeaders = async (): Promise<void> => {
    await cluster.addTargetTopic(topic);
    const leaders = cluster.findLeaderForPartitions(topic, [...next.keys()]);
    const led = new Set(Object.values(leaders).flat());
    const leaderless = [...next.keys()].filter((p) => !led.has(p));
    if (leaderless.length > 0) throw new Error(`no leader known for partitions ${leaderless.join(', ')}`);
    await Promise.all(
      Object.entries(leaders).map(async ([nodeId, partitions]) => {
        const broker = await cluster.findBroker({ nodeId });
        const response = await broker.fetch({
          isolationLevel: READ_COMMITTED,
          maxWaitTime: 200,
          maxBytes: PARTITION_FETCH_BYTES * partitions.length,
          topics: [
            {
              topic,
              partitions: partitions.map((partition) => ({
                partition,
                fetchOffset: String(next.get(partition)),
                maxBytes: PARTITION_FETCH_BYTES,
              })),
            },
          ],
        });
        for (const { partition, messages } of response.responses.flatMap((r) => r.partitions)) {
          let from = next.get(partition);
          const until = end.get(partition);
          if (stopped || from === undefined || until === undefined) continue;
          for (const message of messages) {
            const offset = BigInt(message.offset);
            // A batch may start before the offset asked for; control records are not messages.
            if (offset < from || offset >= until) continue;
            from = offset + 1n;
            if (message.isControlRecord) continue;
            perPartition[partition] = (perPartition[partition] ?? 0) + 1;
            total += 1;
            if (message.key !== null) keys.add(message.key.toString());
          }
          if (from >= until) next.delete(partition);
          else next.set(partition, from);
        }
      }),
    );
  };
  const readAll = async (): Promise<'done'> => {
    await cluster.connect();
    while (next.size > 0 && !stopped) {
      try {
        await fetchFromLeaders();
      } catch (error) {
        // A leader moved or a broker went away: ask again where the partitions live.
        lastError = error;
        await new Promise((r) => setTimeout(r, 200));
        await cluster.refreshMetadata().catch((e: unknown) => (lastError = e));
      }
    }
    return 'done';
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  const reading = readAll();
  reading.catch(() => undefined); // still pending when the timeout wins
  try {
    if ((await Promise.race([reading, timeout])) === 'timeout') {
      stopped = true;
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`reading ${topic} timed out after ${timeoutMs} ms with ${total} messages read${reason}`);
    }
  } finally {
    clearTimeout(timer);
    await cluster.disconnect().catch(() => undefined);
  }
  return { total, perPartition, keys };
}
