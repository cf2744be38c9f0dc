// Redis for the demo and the tests: REDIS_URL when set, otherwise a private redis-server
// on a free port (installed from Debian's packages when missing and we are root), which a test
// can shut down and start again on the same port and data.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureDebianPackage } from './debian-packages.js';
import { freePort, ProcessGroup, sleep, tailOf, waitFor } from './processes.js';

/** The private server's process and how to start it again. */
interface PrivateServer {
  group: ProcessGroup;
  args: string[];
  logFile: string;
  child: ChildProcess | undefined;
}

export class RedisSandbox {
  private constructor(
    /** The URL clients should use. */
    readonly url: string,
    private readonly server: PrivateServer | undefined,
  ) {}

  private get group(): ProcessGroup | undefined {
    return this.server?.group;
  }

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
    // No periodic snapshot and no AOF: the tests' data is throwaway. A restart() writes one
    // snapshot (SHUTDOWN SAVE) into --dir, which the next server loads.
    const args = [
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
    ];
    const sandbox = new RedisSandbox(`redis://127.0.0.1:${port}`, {
      group,
      args,
      logFile: join(group.dir, 'redis.log'),
      child: undefined,
    });
    try {
      await sandbox.startServer();
    } catch (error) {
      await group.close();
      throw error;
    }
    return sandbox;
  }

  /** True while the private redis-server runs (false between stop() and startAgain()). */
  get running(): boolean {
    const child = this.server?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Stops the private server the way an orderly Redis restart does: SHUTDOWN SAVE writes every key
   * to dump.rdb in the sandbox dir (periodic saves are off), then the process exits. The port stays
   * free for startAgain(). Throws when the snapshot could not be written (the data would be lost).
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    const server = this.privateServer('stop');
    const child = server.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // the connection drops as the server exits
    try {
      await client.connect();
      // The reply never comes: the server closes the connection once the snapshot is on disk.
      await client.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    } finally {
      client.disconnect();
    }
    const outcome = await Promise.race([exited.then(() => 'exited' as const), sleep(timeoutMs)]);
    if (outcome !== 'exited') {
      await server.group.stop(child, 'SIGKILL', 5_000);
      throw new Error(`redis-server did not shut down within ${timeoutMs} ms: ${tailOf(server.logFile, 10)}`);
    }
    server.child = undefined;
    if (!/DB saved on disk|Saving the final RDB snapshot/.test(tailOf(server.logFile, 30)))
      throw new Error(`redis-server exited without saving its data: ${tailOf(server.logFile, 10)}`);
  }

  /** Starts the private server again on the same port and dir; it loads what stop() saved. */
  async startAgain(): Promise<void> {
    this.privateServer('startAgain');
    if (this.running) throw new Error('redis-server is still running: stop() it first');
    await this.startServer();
  }

  /** stop(), `downMs` with no server at all, then startAgain(). */
  async restart({ downMs = 0 }: { downMs?: number } = {}): Promise<void> {
    await this.stop();
    if (downMs > 0) await sleep(downMs);
    await this.startAgain();
  }

  private privateServer(what: string): PrivateServer {
    if (this.server === undefined) throw new Error(`${what}() needs a private redis-server, not REDIS_URL`);
    return this.server;
  }

  private async startServer(): Promise<void> {
    const server = this.privateServer('start');
    const child = server.group.spawn('redis-server', server.args, server.logFile);
    server.child = child;
    await waitFor('the private redis-server to answer PING', async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${tailOf(server.logFile, 5)}`);
      await ping(this.url, 1_000);
      return true;
    });
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
