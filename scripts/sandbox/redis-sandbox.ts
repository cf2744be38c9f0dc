// Redis for the demo and the tests: REDIS_URL when set, otherwise a private redis-server
// on a free port (installed from Debian's packages when missing and we are root).
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureDebianPackage } from './debian-packages.js';
import { freePort, ProcessGroup, tailOf, waitFor } from './processes.js';

export class RedisSandbox {
  private constructor(
    /** The URL clients should use. */
    readonly url: string,
    private readonly group: ProcessGroup | undefined,
  ) {}

  /** Temp dir of the private server (undefined when REDIS_URL was used). */
  get dir(): string | undefined {
    return this.group?.dir;
  }

  /** True when this sandbox started its own redis-server (false when REDIS_URL was used). */
  get isPrivate(): boolean {
    return this.group !== undefined;
  }

  static async start({ useEnv = true }: { useEnv?: boolean } = {}): Promise<RedisSandbox> {
    const fromEnv = process.env.REDIS_URL?.trim();
    if (useEnv && fromEnv) {
      await ping(fromEnv, 10_000);
      return new RedisSandbox(fromEnv, undefined);
    }
    ensureRedisServerInstalled();
    const group = new ProcessGroup('ballast-redis');
    const port = await freePort();
    const logFile = join(group.dir, 'redis.log');
    const child = group.spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        group.dir,
        '--protected-mode',
        'yes',
      ],
      logFile,
    );
    const url = `redis://127.0.0.1:${port}`;
    try {
      await waitFor('the private redis-server to answer PING', async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited: ${tailOf(logFile, 5)}`);
        await ping(url, 1_000);
        return true;
      });
    } catch (error) {
      await group.close();
      throw error;
    }
    return new RedisSandbox(url, group);
  }

  async close(): Promise<void> {
    await this.group?.close();
  }
}

async function ping(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // the rejected connect() below carries the error
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/** Installs Debian's redis-server when it is missing and we may (root); otherwise explains. */
export function ensureRedisServerInstalled(): void {
  ensureDebianPackage({
    command: 'redis-server',
    packageName: 'redis-server',
    otherwise: 'install it (apt-get install redis-server) or set REDIS_URL',
  });
}
