// Runs once before the integration project: fetch the Kafka jars and make sure redis-server
// exists, so the first test file does not pay (or time out on) the downloads.
import { DEFAULT_KAFKA_4_VERSION, ensureKafkaArtifacts } from '../../scripts/sandbox/index.js';
import { ensureRedisServerInstalled } from '../../scripts/sandbox/redis-sandbox.js';

export default async function setup(): Promise<void> {
  ensureRedisServerInstalled();
  await ensureKafkaArtifacts();
  await ensureKafkaArtifacts(DEFAULT_KAFKA_4_VERSION);
}
