// Runs once before the integration project: fetch the Kafka jars and make sure redis-server
// exists, so the first test file does not pay (or time out on) the downloads.
import {
  DEFAULT_KAFKA_4_VERSION,
  ensureKafkaArtifacts,
  ensureRedisServerInstalled,
} from '../../scripts/sandbox/index.js';

export default async function setup(): Promise<void> {
  ensureRedisServerInstalled();
  await ensureKafkaArtifacts();
  await ensureKafkaArtifacts(DEFAULT_KAFKA_4_VERSION);
}
