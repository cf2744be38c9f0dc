// Runs once before the integration project: build the service (e2e tests run dist/src/main.js),
// fetch the Kafka jars and make sure redis-server and prometheus exist, so no test file pays for downloads.
import { execFileSync } from 'node:child_process';
import {
  DEFAULT_KAFKA_4_VERSION,
  ensureKafkaArtifacts,
  ensurePrometheusInstalled,
  ensureRedisServerInstalled,
} from '../../scripts/sandbox/index.js';

export default async function setup(): Promise<void> {
  // Emit only: `npm test` type-checks everything (a superset of the build) before vitest starts,
  // and checking again here cost about a fifth of the build's CPU time.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noCheck'], {
    stdio: 'inherit',
  });
  ensureRedisServerInstalled();
  ensurePrometheusInstalled();
  await ensureKafkaArtifacts();
  await ensureKafkaArtifacts(DEFAULT_KAFKA_4_VERSION);
}
