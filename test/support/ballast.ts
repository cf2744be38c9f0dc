// Starts the real Ballast application in-process against a sandbox, on a free port.
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
