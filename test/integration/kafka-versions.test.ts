// The sandbox runs both Kafka generations: the suite's default (KAFKA_VERSION, else 3.9.x) is
// covered by kafka-sandbox.test.ts; this file starts the other one (a 4.x release by default).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_4_VERSION, DEFAULT_KAFKA_VERSION, KafkaSandbox } from '../../scripts/sandbox/index.js';

const primary = process.env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
const other = primary.startsWith('4.') ? DEFAULT_KAFKA_VERSION : DEFAULT_KAFKA_4_VERSION;

describe(`Kafka ${other} in the sandbox`, () => {
  let sandbox: KafkaSandbox;

  beforeAll(async () => {
    sandbox = await KafkaSandbox.start({ brokers: 3, kafkaVersion: other });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('starts KRaft brokers with racks and JBOD, and round-trips messages exactly', async () => {
    expect(sandbox.kafkaVersion).toBe(other);
    const metadata = await sandbox.clusterMetadata();
    expect(metadata.brokers.map((b) => [b.id, b.rack])).toEqual([
      [0, 'rack-a'],
      [1, 'rack-b'],
      [2, 'rack-a'],
    ]);
    await sandbox.createTopic('versions', {
      assignment: [
        [0, 1],
        [1, 2],
        [2, 0],
      ],
    });
    const produced = await sandbox.produce('versions', 1_500);
    const consumed = await sandbox.consumeCount('versions');
    expect(consumed.total).toBe(1_500);
    expect(consumed.perPartition).toEqual(produced.perPartition);
  });

  it('reports a failed log dir while the broker stays up', async () => {
    const dirIndex = sandbox.broker(1).logDirs.findIndex((dir) => existsSync(`${dir}/versions-0`));
    expect(dirIndex).toBeGreaterThanOrEqual(0);
    await sandbox.failLogDir(1, dirIndex);
    expect(await sandbox.offlineLogDirCount(1)).toBe(1);
    expect(await sandbox.liveBrokerIds()).toEqual([0, 1, 2]);
  });
});
