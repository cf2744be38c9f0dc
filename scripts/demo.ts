// `npm run demo`: a local KRaft cluster with deliberately skewed topics and a steady producer
// load, a Redis, and Ballast pointed at them. Ctrl-C stops everything and removes its files.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Producer } from 'kafkajs';
import { KafkaSandbox, ProcessGroup, RedisSandbox, waitFor } from './sandbox/index.js';

// Broker 0 leads almost everything and holds most of the data; broker 3 is nearly empty.
const SKEWED_TOPICS: { name: string; assignment: number[][]; share: number }[] = [
  { name: 'orders', assignment: Array.from({ length: 12 }, (_, p) => [0, 1 + (p % 2)]), share: 0.6 },
  { name: 'clicks', assignment: Array.from({ length: 8 }, (_, p) => (p < 6 ? [0, 1] : [1, 0])), share: 0.3 },
  {
    name: 'payments',
    assignment: [
      [0, 2],
      [0, 3],
      [0, 1],
      [2, 0],
    ],
    share: 0.1,
  },
  {
    name: 'audit-log',
    assignment: [
      [2, 3],
      [3, 2],
    ],
    share: 0,
  },
];

function log(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

function options(): { brokers: number; port: number; bytesPerSecond: number } {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string', default: '4' },
      port: { type: 'string', default: '9090' },
      'bytes-per-second': { type: 'string', default: String(512 * 1024) },
    },
  });
  const brokers = Number(values.brokers);
  const port = Number(values.port);
  const bytesPerSecond = Number(values['bytes-per-second']);
  if (!Number.isInteger(brokers) || brokers < 4)
    throw new Error(`--brokers must be an integer ≥ 4, got '${values.brokers}'`);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be a TCP port, got '${values.port}'`);
  if (!(bytesPerSecond > 0))
    throw new Error(`--bytes-per-second must be positive, got '${values['bytes-per-second']}'`);
  return { brokers, port, bytesPerSecond };
}

/** Sends `bytesPerSecond` of 1 KiB messages, split across the topics by share, with acks=all. */
function startLoad(producer: Producer, bytesPerSecond: number): { stop: () => Promise<void>; stats: () => string } {
  const value = Buffer.alloc(1024, 'b');
  const tickMs = 200;
  const perTick = Math.max(1, Math.round((bytesPerSecond * tickMs) / 1000 / value.length));
  let sent = 0;
  let failed = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let next = 0;
  const timer = setInterval(() => {
    const batches = SKEWED_TOPICS.filter((t) => t.share > 0).map((topic) => ({
      topic: topic.name,
      messages: Array.from({ length: Math.max(1, Math.round(perTick * topic.share)) }, () => ({
        key: `k-${(next += 1)}`,
        value,
      })),
    }));
    const count = batches.reduce((n, b) => n + b.messages.length, 0);
    inFlight = producer.sendBatch({ topicMessages: batches, acks: -1 }).then(
      () => (sent += count),
      () => (failed += count),
    );
  }, tickMs);
  return {
    stats: () => `${sent} messages acknowledged, ${failed} failed`,
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}

async function main(): Promise<void> {
  const { brokers, port, bytesPerSecond } = options();
  const root = resolve(import.meta.dirname, '..');
  log('starting Redis and a KRaft Kafka cluster (the first run downloads Kafka from Maven Central)…');
  const [redis, kafka] = await Promise.all([RedisSandbox.start(), KafkaSandbox.start({ brokers })]);
  const ballastProcesses = new ProcessGroup('ballast-demo');
  let producer: Producer | undefined;
  let load: ReturnType<typeof startLoad> | undefined;
  let stopping = false;

  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('stopping: producer, Ballast, Kafka, Redis…');
    await load?.stop();
    await producer?.disconnect().catch(() => undefined);
    for (const child of ballastProcesses.running()) await ballastProcesses.stop(child, 'SIGTERM', 30_000);
    await ballastProcesses.close();
    await kafka.shutdownGracefully(20_000);
    await redis.close();
    log('stopped; nothing left behind');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    for (const topic of SKEWED_TOPICS) await kafka.createTopic(topic.name, { assignment: topic.assignment });
    producer = kafka.kafka.producer({ idempotent: true });
    await producer.connect();
    load = startLoad(producer, bytesPerSecond);

    const ballastLog = join(ballastProcesses.dir, 'ballast.log');
    ballastProcesses.spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], ballastLog, {
      ...process.env,
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
      BALLAST_REDIS_URL: redis.url,
      BALLAST_SERVER_PORT: String(port),
      BALLAST_SERVER_HOST: '127.0.0.1',
      // Scrape each broker's JMX exporter directly; windows of 20 s so /load answers within a minute.
      BALLAST_MONITOR_SAMPLER: 'jmx-scrape',
      BALLAST_MONITOR_JMX_SCRAPE_URLS: kafka
        .describe()
        .brokers.map((b) => `${b.id}=${b.metricsUrl}`)
        .join(','),
      BALLAST_MONITOR_SAMPLING_INTERVAL_MS: '5000',
      BALLAST_MONITOR_WINDOW_MS: '20000',
      BALLAST_MONITOR_NUM_WINDOWS: '6',
      BALLAST_MONITOR_MIN_VALID_WINDOWS: '2',
      // Self-healing in seconds rather than Cruise Control's 15/30 minutes: stop a broker
      // (kill its JVM) and watch /state's AnomalyDetectorState alert after 20 s and heal after 60 s.
      BALLAST_DETECTOR_INTERVAL_MS: '5000',
      BALLAST_DETECTOR_BROKER_FAILURE_ALERT_THRESHOLD_MS: '20000',
      BALLAST_DETECTOR_BROKER_FAILURE_FIX_THRESHOLD_MS: '60000',
      BALLAST_DETECTOR_BROKER_FAILURE_SELF_HEALING: 'true',
      BALLAST_DETECTOR_DISK_FAILURE_ALERT_THRESHOLD_MS: '10000',
      BALLAST_DETECTOR_DISK_FAILURE_FIX_THRESHOLD_MS: '30000',
      BALLAST_DETECTOR_DISK_FAILURE_SELF_HEALING: 'true',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      `Ballast to answer ${base}/ready (log: ${ballastLog})`,
      async () => {
        if (ballastProcesses.running().length === 0) throw new DemoError(`Ballast exited; see ${ballastLog}`);
        return (await fetch(`${base}/ready`)).status === 200 ? true : undefined;
      },
      { timeoutMs: 60_000, failFast: (e) => e instanceof DemoError },
    );

    const description = kafka.describe();
    process.stdout.write(
      [
        '',
        'Ballast demo is running.',
        `  Cruise Control state  ${base}/kafkacruisecontrol/state?json=true`,
        `  Broker load           ${base}/kafkacruisecontrol/load   (ready after ~1 minute of sampling)`,
        `  Partition load        ${base}/kafkacruisecontrol/partition_load?resource=networkInbound&entries=10`,
        `  Readiness             ${base}/ready`,
        `  Prometheus metrics    ${base}/metrics`,
        `  Ballast log           ${ballastLog}`,
        `  Kafka bootstrap       ${kafka.bootstrapServers}  (Kafka ${description.kafkaVersion})`,
        ...description.brokers.map(
          (b) => `  broker ${b.id} (${b.rack})     ${b.host}:${b.port}  metrics ${b.metricsUrl}`,
        ),
        `  Redis                 ${redis.url}`,
        `  Load                  ~${Math.round(bytesPerSecond / 1024)} KiB/s with acks=all, mostly onto broker 0`,
        'Press Ctrl-C to stop everything.',
        '',
      ].join('\n'),
    );
    setInterval(() => log(`load: ${load?.stats() ?? 'stopped'}`), 30_000).unref();
  } catch (error) {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

class DemoError extends Error {}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
