// Test traffic with exact counts: produce with acks=all, then read everything back and count it.
import { randomBytes } from 'node:crypto';
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

/**
 * Reads the whole topic from the beginning with a fresh consumer group and counts the messages
 * actually received, per partition, up to the end offsets seen at the start.
 */
export async function consumeAndCount(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  timeoutMs: number,
): Promise<ProduceResult> {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map<number, bigint>();
  const perPartition: Record<number, number> = {};
  for (const { partition, offset, low } of ends) {
    perPartition[partition] = 0;
    if (BigInt(offset) > BigInt(low)) remaining.set(partition, BigInt(offset));
  }
  let total = 0;
  const keys = new Set<string>();
  if (remaining.size === 0) return { total, perPartition, keys };
  const consumer = kafka.consumer({ groupId: `sandbox-count-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    await consumer.run({
      eachBatch: ({ batch }) => {
        const end = remaining.get(batch.partition);
        for (const message of batch.messages) {
          if (end === undefined || BigInt(message.offset) >= end) continue;
          perPartition[batch.partition] = (perPartition[batch.partition] ?? 0) + 1;
          total += 1;
          if (message.key !== null) keys.add(message.key.toString());
          if (BigInt(message.offset) + 1n >= end) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) finish();
        return Promise.resolve();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      throw new Error(`reading ${topic} timed out after ${timeoutMs} ms with ${total} messages read`);
    }
  } finally {
    await consumer.disconnect();
  }
  return { total, perPartition, keys };
}
