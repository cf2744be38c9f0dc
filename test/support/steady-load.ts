// A steady acks=all producer (and optionally a consumer) for tests that measure rates, counting
// every acknowledged message so the test can check none was lost.
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';

export interface SteadyLoad {
  /** Messages acknowledged (acks=all) per topic. */
  acked: Map<string, number>;
  /** Sends that failed (their messages are not counted as acknowledged). */
  failedSends: () => number;
  stop: () => Promise<void>;
}

/**
 * Sends `bytesPerSecond` in 1 KiB messages every 100 ms, split over `topics` by weight, and, when
 * `consumeTopics` is given, reads them back from the latest offset with one consumer group so the
 * brokers serve bytes out too.
 */
export async function startSteadyLoad(
  kafka: Kafka,
  topics: { name: string; weight: number }[],
  bytesPerSecond: number,
  consumeTopics: string[] = [],
): Promise<SteadyLoad> {
  const producer: Producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  let consumer: Consumer | undefined;
  if (consumeTopics.length > 0) {
    consumer = kafka.consumer({ groupId: `steady-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    for (const topic of consumeTopics) await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachBatch: async () => {} });
  }
  const value = Buffer.alloc(1024, 'v');
  const tickMs = 100;
  const totalWeight = topics.reduce((sum, t) => sum + t.weight, 0);
  const acked = new Map(topics.map((t) => [t.name, 0]));
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const timer = setInterval(() => {
    const topicMessages = topics.map((t) => ({
      topic: t.name,
      messages: Array.from(
        { length: Math.max(1, Math.round((bytesPerSecond * tickMs * t.weight) / totalWeight / 1000 / value.length)) },
        () => ({ key: `s-${(n += 1)}`, value }),
      ),
    }));
    const send = producer.sendBatch({ topicMessages, acks: -1 }).then(
      () => {
        for (const t of topicMessages) acked.set(t.topic, (acked.get(t.topic) ?? 0) + t.messages.length);
      },
      () => {
        failed += 1;
      },
    );
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send));
  }, tickMs);
  return {
    acked,
    failedSends: () => failed,
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      await producer.disconnect();
      await consumer?.disconnect();
    },
  };
}
