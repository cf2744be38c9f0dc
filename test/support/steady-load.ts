// A steady acks=all producer (and optionally a consumer) for tests that measure rates, counting
// every acknowledged message so the test can check none was lost.
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';

export interface SteadyLoad {
  /** Messages acknowledged (acks=all) per topic. */
  acked: Map<string, number>;
  /** Keys of every acknowledged message (all distinct). */
  ackedKeys: Set<string>;
  /** Sends that failed (their messages are not counted as acknowledged). */
  failedSends: () => number;
  /** Messages in the sends that failed: written or not, the producer cannot tell. */
  failedMessages: () => number;
  /** The distinct errors of failed sends, for the test's report. */
  errors: () => string[];
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
  options: { idempotent?: boolean; singleMessageSends?: boolean } = {},
): Promise<SteadyLoad> {
  // One request in flight, sends one after another (see below for tests that move leaders).
  const producer: Producer = kafka.producer({
    idempotent: options.idempotent ?? true,
    allowAutoTopicCreation: false,
    maxInFlightRequests: 1,
    retry: { retries: 10 },
  });
  await producer.connect();
  let consumer: Consumer | undefined;
  if (consumeTopics.length > 0) {
    // Under load a fetch returns as soon as data arrives; a short wait only makes stop() quick
    // (kafkajs waits for the fetch in flight, up to the default 5 s).
    consumer = kafka.consumer({ groupId: `steady-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 500 });
    await consumer.connect();
    for (const topic of consumeTopics) await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachBatch: async () => {} });
  }
  const value = Buffer.alloc(1024, 'v');
  const tickMs = 100;
  const totalWeight = topics.reduce((sum, t) => sum + t.weight, 0);
  const acked = new Map(topics.map((t) => [t.name, 0]));
  const ackedKeys = new Set<string>();
  let failed = 0;
  let failedMessageCount = 0;
  const errors = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  let previous: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const topicMessages = topics.map((t) => ({
      topic: t.name,
      messages: Array.from(
        { length: Math.max(1, Math.round((bytesPerSecond * tickMs * t.weight) / totalWeight / 1000 / value.length)) },
        () => ({ key: `s-${(n += 1)}`, value }),
      ),
    }));
    // kafkajs 2.2.4's sendBatch tracks answers per broker: when a leadership move makes a broker that
    // already answered the new leader of a partition that failed elsewhere, the retry skips that
    // partition and the send still resolves — acknowledged messages that were never written (seen in
    // the executor e2e). One message per send (one partition, one broker) avoids it; tests that move
    // leaders ask for it. Sends go one after another so retries cannot reorder them either.
    const units = options.singleMessageSends
      ? topicMessages.flatMap((t) => t.messages.map((m) => [{ topic: t.topic, messages: [m] }]))
      : [topicMessages];
    for (const unit of units) {
      const send = previous
        .then(() => producer.sendBatch({ topicMessages: unit, acks: -1 }))
        .then(
          () => {
            for (const t of unit) {
              acked.set(t.topic, (acked.get(t.topic) ?? 0) + t.messages.length);
              for (const m of t.messages) ackedKeys.add(m.key);
            }
          },
          (error: unknown) => {
            failed += 1;
            failedMessageCount += unit.reduce((sum, t) => sum + t.messages.length, 0);
            errors.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          },
        );
      previous = send;
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send));
    }
  }, tickMs);
  return {
    acked,
    ackedKeys,
    failedSends: () => failed,
    failedMessages: () => failedMessageCount,
    errors: () => [...errors],
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
      await producer.disconnect();
      await consumer?.disconnect();
    },
  };
}
