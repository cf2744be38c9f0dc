// Child-process plumbing shared by the Kafka and Redis sandboxes: free ports, waiting, and a
// watchdog that kills every process and removes the temp dir even if this Node process dies.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A free TCP port on 127.0.0.1 for a listener, below the kernel's ephemeral range when there is
 * room: a port from that range can be taken by any outgoing connection (a broker's connection to
 * the controller, say) between this check and the listener's own bind — seen in CI as a broker
 * failing with "Address already in use". Random, so concurrent sandboxes rarely try the same one.
 */
export async function freePort(): Promise<number> {
  const below = listenerPortRange();
  if (below !== null) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = below.min + Math.floor(Math.random() * (below.max - below.min + 1));
      if (await canListen(port)) return port;
    }
  }
  return kernelPort();
}

/** Ports below the ephemeral range, or null when it leaves too few (then the kernel picks). */
export function listenerPortRange(ephemeralRange = readEphemeralRange()): { min: number; max: number } | null {
  const min = 10_000;
  const max = (ephemeralRange?.[0] ?? 32_768) - 1;
  return max - min >= 1_000 ? { min, max } : null;
}

function readEphemeralRange(): [number, number] | null {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && Number.isInteger(high) ? [low!, high!] : null;
  } catch {
    return null;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not read the allocated port'));
      });
    });
  });
}

/** Distinct free ports (a fresh port is re-asked if the kernel hands one out twice). */
export async function freePorts(count: number, taken: Iterable<number> = []): Promise<number[]> {
  const seen = new Set(taken);
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!seen.has(port)) {
      seen.add(port);
      ports.push(port);
    }
  }
  return ports;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  {
    timeoutMs = 60_000,
    intervalMs = 250,
    failFast,
  }: { timeoutMs?: number; intervalMs?: number; failFast?: (error: unknown) => boolean } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (failFast?.(error)) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

/** True while `pid` exists (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A temp dir plus the pids started in it. A detached shell watches this Node process; when
 * it disappears (crash, SIGKILL, a test runner killing its worker) the shell kills every pid
 * listed in the dir's pid file and deletes the dir. Normal shutdown does the same in-process.
 */
export class ProcessGroup {
  readonly dir: string;
  private readonly pidFile: string;
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = (): void => this.killAllSync();

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    this.pidFile = join(this.dir, 'pids');
    writeFileSync(this.pidFile, '');
    process.once('exit', this.onExit);
    const watchdog = spawn(
      'bash',
      [
        '-c',
        // Wait for the owner, then kill what it left and remove the folder.
        'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done; ' +
          '[ -f "$2/pids" ] && for p in $(cat "$2/pids"); do kill -9 "$p" 2>/dev/null; done; ' +
          '[ -n "$3" ] || rm -rf "$2"',
        'ballast-sandbox-watchdog',
        String(process.pid),
        this.dir,
        process.env.BALLAST_SANDBOX_KEEP ? '1' : '',
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
  }

  /**
   * Spawns a process in its own process group (Ctrl-C at a terminal does not reach it), its
   * output appended straight to `logFile` so it never depends on this Node process to drain it.
   */
  spawn(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
    appendFileSync(logFile, `\n---- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
    const fd = openSync(logFile, 'a');
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    child.unref();
    if (child.pid !== undefined) {
      this.children.add(child);
      this.writePidFile();
      child.once('exit', () => {
        this.children.delete(child);
        // Forget dead pids at once: the kernel may hand them to unrelated processes.
        this.writePidFile();
      });
    }
    return child;
  }

  /** Children still running. */
  running(): ChildProcess[] {
    return [...this.children];
  }

  /** Sends `signal`, then SIGKILL if the process outlives `timeoutMs`. */
  async stop(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = sleep(timeoutMs).then(() => 'timeout' as const);
    if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }

  /** Kills every live child and removes the dir (unless BALLAST_SANDBOX_KEEP is set). */
  async close(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child, 'SIGKILL', 5_000)));
    this.removeDir();
    process.removeListener('exit', this.onExit);
  }

  private writePidFile(): void {
    const pids = [...this.children].map((child) => child.pid).filter((pid) => pid !== undefined);
    try {
      writeFileSync(this.pidFile, pids.map((pid) => `${pid}\n`).join(''));
    } catch {
      // the dir is being removed: nothing left to track
    }
  }

  private killAllSync(): void {
    for (const child of this.children) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.removeDir();
  }

  private removeDir(): void {
    if (!process.env.BALLAST_SANDBOX_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(logFile: string, lines = 20): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Value of one Prometheus series (exact name and labels as exported) from a metrics endpoint. */
export async function readGauge(metricsUrl: string, series: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`${metricsUrl} exports no ${series}`);
  return Number(line.slice(series.length + 1));
}
