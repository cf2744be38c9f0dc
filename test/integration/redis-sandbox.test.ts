// The Redis sandbox: a private redis-server on a free port, REDIS_URL respected, nothing left behind.
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisSandbox } from '../../scripts/sandbox/index.js';

describe('Redis sandbox', () => {
  const started: RedisSandbox[] = [];
  const savedUrl = process.env.REDIS_URL;

  afterEach(async () => {
    if (savedUrl === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = savedUrl;
    for (const redis of started.splice(0)) await redis.close();
  });

  it('starts a private redis-server on a free port and stops it on close', async () => {
    const redis = await RedisSandbox.start({ useEnv: false });
    started.push(redis);
    expect(redis.isPrivate).toBe(true);
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(redis.url).not.toBe('redis://127.0.0.1:6379');

    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    await client.set('ballast:probe', '42');
    expect(await client.get('ballast:probe')).toBe('42');
    client.disconnect();

    await redis.close();
    const port = Number(new URL(redis.url).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('uses REDIS_URL when it is set instead of starting a server', async () => {
    const own = await RedisSandbox.start({ useEnv: false });
    started.push(own);
    process.env.REDIS_URL = own.url;
    const reused = await RedisSandbox.start();
    started.push(reused);
    expect(reused.isPrivate).toBe(false);
    expect(reused.url).toBe(own.url);
  });
});
