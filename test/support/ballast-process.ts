// The built service (`node dist/src/main.js`) as a child process on a sandbox, for the e2e tests
// that kill it or its Redis: its load monitor scrapes the brokers' JMX exporters into 3-second
// windows (ready a few seconds after start) and its executor steps every second.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { KafkaSandbox } from '../../scripts/sandbox/index.js';

export function spawnBallast(
  kafka: KafkaSandbox,
  redisUrl: string,
  port: number,
  { logLevel, stdio }: { logLevel: string; stdio: StdioOptions },
): ChildProcess {
  return spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
      BALLAST_REDIS_URL: redisUrl,
      BALLAST_SERVER_HOST: '127.0.0.1',
      BALLAST_SERVER_PORT: String(port),
      BALLAST_LOGGING_LEVEL: logLevel,
      BALLAST_MONITOR_SAMPLER: 'jmx-scrape',
      BALLAST_MONITOR_JMX_SCRAPE_URLS: kafka
        .brokers()
        .map((b) => `${b.id}=${b.metricsUrl}`)
        .join(','),
      BALLAST_MONITOR_SAMPLING_INTERVAL_MS: '1000',
      BALLAST_MONITOR_WINDOW_MS: '3000',
      BALLAST_MONITOR_NUM_WINDOWS: '3',
      BALLAST_MONITOR_MIN_SAMPLES_PER_WINDOW: '2',
      BALLAST_MONITOR_MIN_VALID_WINDOWS: '2',
      BALLAST_EXECUTOR_STEP_INTERVAL_MS: '1000',
    },
    stdio,
  });
}
