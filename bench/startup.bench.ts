// `npm run bench`: wall-clock figures of the foundation, reported in docs/performance.md.
//  - sandbox start-up: 1 controller + N brokers from `KafkaSandbox.start` to every broker registered;
//  - Ballast boot: from `startApp` to `/ready` answering 200 against that cluster.
//  - gateway snapshot: `KafkajsGateway.snapshot()` (metadata, reassignments, DescribeLogDirs per
//    broker, topic and broker configs) on that cluster with SNAPSHOT_TOPICS × 10 partitions, RF 2.
// Jars are fetched before timing, so the figures exclude downloads.
import { startApp } from '../src/app.js';
import { JsonLogger } from '../src/common/index.js';
import { BallastConfig, loadConfig } from '../src/config/index.js';
import { KafkajsGateway } from '../src/kafka/kafkajs.gateway.js';
import { ensureKafkaArtifacts, KafkaSandbox, RedisSandbox } from '../scripts/sandbox/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SNAPSHOT_TOPICS = Number(process.env.BENCH_SNAPSHOT_TOPICS ?? 100);
const BROKERS = Number(process.env.BENCH_BROKERS ?? 4);

function summary(name: string, samplesMs: number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // Seconds for start-ups, milliseconds for requests.
  const show = (ms: number): string => (median >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  return `${name}: median ${show(median)}, min ${show(sorted[0]!)}, max ${show(sorted.at(-1)!)} over ${sorted.length} runs`;
}

async function main(): Promise<void> {
  const artifacts = await ensureKafkaArtifacts();
  const redis = await RedisSandbox.start({ useEnv: false });
  const sandboxMs: number[] = [];
  const bootMs: number[] = [];
  const snapshotMs: number[] = [];
  let replicas = 0;
  try {
    for (let run = 0; run < RUNS; run += 1) {
      let started = performance.now();
      const kafka = await KafkaSandbox.start({ brokers: BROKERS });
      sandboxMs.push(performance.now() - started);
      try {
        started = performance.now();
        const config = loadConfig(
          {},
          {
            server: { host: '127.0.0.1', port: 0 },
            kafka: { bootstrapServers: kafka.bootstrapServers.split(',') },
            redis: { url: redis.url },
          },
        );
        const { app, url } = await startApp(config, new JsonLogger('silent'));
        for (;;) {
          if ((await fetch(`${url}/ready`)).status === 200) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        bootMs.push(performance.now() - started);
        await app.close();
        if (run === 0) {
          const admin = await kafka.admin();
          await admin.createTopics({
            topics: Array.from({ length: SNAPSHOT_TOPICS }, (_, i) => ({
              topic: `bench-${i}`,
              numPartitions: 10,
              replicationFactor: 2,
            })),
            waitForLeaders: true,
          });
          const gateway = new KafkajsGateway(new BallastConfig(config));
          await gateway.snapshot(); // connect and warm up
          for (let i = 0; i < 5; i += 1) {
            started = performance.now();
            const snapshot = await gateway.snapshot();
            snapshotMs.push(performance.now() - started);
            replicas = snapshot.partitions.reduce((n, p) => n + p.replicas.length, 0);
          }
          await gateway.onApplicationShutdown();
        }
      } finally {
        await kafka.close();
      }
    }
  } finally {
    await redis.close();
  }
  process.stdout.write(
    `Kafka ${artifacts.kafkaVersion}, ${BROKERS} brokers, ${process.arch}, ${(await import('node:os')).cpus().length} cores\n`,
  );
  process.stdout.write(`${summary(`sandbox start-up (${BROKERS} brokers)`, sandboxMs)}\n`);
  process.stdout.write(`${summary('Ballast boot to /ready', bootMs)}\n`);
  process.stdout.write(`${summary(`gateway snapshot (${replicas} replicas)`, snapshotMs)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
