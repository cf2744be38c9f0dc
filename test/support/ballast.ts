// Starts the real Ballast application in-process against a sandbox, on a free port.
import { waitFor, type KafkaSandbox } from '../../scripts/sandbox/index.js';
import type { CruiseControlState } from '../../src/api/state.service.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { JsonLogger } from '../../src/common/index.js';
import { loadConfig, type BallastConfigInput } from '../../src/config/index.js';

export async function startBallast(
  bootstrapServers: string,
  redisUrl: string,
  overrides: Omit<BallastConfigInput, 'server' | 'kafka' | 'redis'> = {},
): Promise<RunningApp> {
  const config = loadConfig(
    {},
    {
      server: { host: '127.0.0.1', port: 0 },
      kafka: { bootstrapServers: bootstrapServers.split(',') },
      redis: { url: redisUrl },
      ...overrides,
    },
  );
  // Quiet in tests unless asked: failures print the assertions, not the service's chatter.
  return startApp(
    config,
    new JsonLogger(process.env.BALLAST_TEST_LOG_LEVEL ? (process.env.BALLAST_TEST_LOG_LEVEL as 'info') : 'silent'),
  );
}

/**
 * Ballast on a sandbox the way the executor tests run it: the fast JMX monitor below and an
 * executor step every second, with `overrides` on top (their `executor` settings merged in).
 */
export function startSandboxBallast(
  kafka: KafkaSandbox,
  redisUrl: string,
  overrides: Omit<BallastConfigInput, 'server' | 'kafka' | 'redis'> = {},
): Promise<RunningApp> {
  return startBallast(kafka.bootstrapServers, redisUrl, {
    monitor: fastJmxMonitor(kafka),
    ...overrides,
    executor: { stepIntervalMs: 1_000, ...overrides.executor },
  });
}

/**
 * The load monitor tests want: each broker's JMX exporter scraped every second into 3-second
 * windows, so the model is ready a few seconds after start.
 */
export function fastJmxMonitor(kafka: KafkaSandbox): NonNullable<BallastConfigInput['monitor']> {
  return {
    sampler: 'jmx-scrape',
    jmxScrape: { urls: kafka.brokers().map((b) => `${b.id}=${b.metricsUrl}`) },
    samplingIntervalMs: 1_000,
    windowMs: 3_000,
    numWindows: 3,
    minSamplesPerWindow: 2,
    minValidWindows: 2,
    requestTimeoutMs: 3_000,
  };
}

/**
 * Waits until Ballast at `url` reports its load model ready; on a timeout the error carries the
 * monitor's own not-ready reasons.
 */
export async function waitForMonitorReady(url: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    'the load monitor to be ready',
    async () => {
      const state = (await (
        await fetch(`${url}/kafkacruisecontrol/state?json=true&substates=monitor`)
      ).json()) as CruiseControlState;
      if (state.MonitorState?.ready) return true;
      throw new Error(`not ready: ${JSON.stringify(state.MonitorState?.notReadyReasons)}`);
    },
    { timeoutMs, intervalMs: 500 },
  );
}
