// `npm run sandbox -- --brokers 4 [--racks 2] [--kafka-version 3.9.2] [--redis]`: keeps a local
// cluster running and prints one JSON line describing it, so other programs can drive it.
import { parseArgs } from 'node:util';
import { KafkaSandbox, RedisSandbox } from './sandbox/index.js';

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer, got '${raw}'\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string' },
      racks: { type: 'string' },
      'kafka-version': { type: 'string' },
      redis: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run sandbox -- [--brokers N] [--racks N] [--kafka-version X.Y.Z] [--redis]\n');
    return;
  }
  const startedAt = Date.now();
  const kafka = await KafkaSandbox.start({
    brokers: positiveInt('brokers', values.brokers, 4),
    racks: positiveInt('racks', values.racks, 2),
    kafkaVersion: values['kafka-version'],
  });
  const redis = values.redis ? await RedisSandbox.start() : undefined;
  process.stdout.write(
    `${JSON.stringify({ ...kafka.describe(), redisUrl: redis?.url, startupMs: Date.now() - startedAt })}\n`,
  );
  process.stderr.write('sandbox running; Ctrl-C (or SIGTERM) stops it and removes its files\n');
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.all([kafka.shutdownGracefully(15_000), redis?.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
