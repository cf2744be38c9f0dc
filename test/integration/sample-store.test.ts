// The Redis sample store on a real Redis: only changed windows are rewritten, dropped windows are
// deleted, and what is loaded resumes the aggregator exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallastConfig, loadConfig } from '../../src/config/index.js';
import { PARTITION_METRICS, RedisSampleStore, WindowAggregator } from '../../src/monitor/index.js';
import { RedisConnection } from '../../src/redis/index.js';
import { RedisSandbox } from '../../scripts/sandbox/index.js';

const CONFIG = { windowMs: 1000, numWindows: 2, minSamplesPerWindow: 1, metrics: PARTITION_METRICS };

describe('RedisSampleStore', () => {
  let redis: RedisSandbox;
  let connection: RedisConnection;
  let store: RedisSampleStore;

  beforeAll(async () => {
    redis = await RedisSandbox.start({ useEnv: false });
    const config = new BallastConfig(
      loadConfig({}, { kafka: { bootstrapServers: ['127.0.0.1:9092'] }, redis: { url: redis.url, keyPrefix: 'test' } }),
    );
    connection = new RedisConnection(config);
    store = new RedisSampleStore(connection, config);
  });

  afterAll(async () => {
    await connection?.onApplicationShutdown();
    await redis?.close();
  });

  it('loads nothing from an empty Redis', async () => {
    expect(await store.load()).toBeNull();
  });

  it('rewrites only the changed windows, deletes windows no longer kept, and resumes exactly', async () => {
    const aggregator = new WindowAggregator(CONFIG);
    const sample = (timeMs: number, entity: string, disk: number) =>
      aggregator.add({ timeMs, entity, values: [1, 2, 3, 4, 5, disk] }, timeMs);
    sample(100, 'a-0', 10);
    sample(200, 'b-0', 20);
    await store.save(aggregator.toJSON(new Set([0])), [0], aggregator.windowIndices());
    sample(1100, 'a-0', 11);
    // Only window 1 changed: window 0 stays as saved before.
    await store.save(aggregator.toJSON(new Set([1])), [1], aggregator.windowIndices());
    sample(3100, 'a-0', 13); // windows 0 and 1 fall out of the two kept
    await store.save(aggregator.toJSON(new Set([3])), [3], aggregator.windowIndices());

    const client = await connection.connected();
    expect((await client.hkeys('test:monitor:windows')).sort()).toEqual(['meta', 'w:1', 'w:3']);
    const resumed = WindowAggregator.fromJSON(await store.load(), CONFIG);
    expect(resumed.toJSON()).toEqual(aggregator.toJSON());
    expect(resumed.aggregate(4100, ['a-0'])).toEqual(aggregator.aggregate(4100, ['a-0']));
  });
});
