// bcrypt off the main thread. A comparison costs tens to hundreds of milliseconds of pure CPU by
// design; bcryptjs's async API still runs it on the event loop, in chunks queued so tightly that a
// burst of wrong passwords held /health for seconds (docs/performance.md, "Failed logins"), long
// enough to fail a liveness probe. Here a small pool of worker threads does the comparisons, and
// the main thread only posts the password and hash and waits.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What the main thread sends a password thread. */
export interface VerifyRequest {
  id: number;
  password: string;
  hash: string;
}

/** A password thread's answer: whether the password matches, or why it could not tell. */
export type VerifyReply = { id: number; matches: boolean } | { id: number; error: string };

interface Pending {
  resolve: (matches: boolean) => void;
  reject: (error: Error) => void;
}

interface PasswordThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** One thread for bcrypt on a 2-core machine leaves the other core to the event loop; two at most. */
export const DEFAULT_PASSWORD_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

export class PasswordVerifier {
  private readonly threads: (PasswordThread | null)[];
  private nextId = 1;

  constructor(threadCount = DEFAULT_PASSWORD_THREADS) {
    this.threads = Array<PasswordThread | null>(Math.max(1, threadCount)).fill(null);
  }

  /** Starts the threads now rather than on the first comparison (a thread takes a moment to load). */
  warmUp(): void {
    for (let i = 0; i < this.threads.length; i++) this.thread(i);
  }

  /**
   * Whether `password` matches the bcrypt `hash`, computed on a password thread.
   * @throws Error when the thread fails or is stopped before it answers (not a verdict: never treat it as a match).
   */
  verify(password: string, hash: string): Promise<boolean> {
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise<boolean>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      const request: VerifyRequest = { id, password, hash };
      thread.worker.postMessage(request);
    });
  }

  /** Stops the threads; comparisons in flight fail. A later `verify` starts new ones. */
  async close(): Promise<void> {
    const running = this.threads.filter((t): t is PasswordThread => t !== null);
    this.threads.fill(null);
    await Promise.all(running.map((t) => t.worker.terminate()));
    for (const t of running) this.failAll(t, 'the password thread was stopped');
  }

  private leastBusy(): PasswordThread {
    let best = 0;
    for (let i = 1; i < this.threads.length; i++) {
      if ((this.threads[i]?.pending.size ?? 0) < (this.threads[best]?.pending.size ?? 0)) best = i;
    }
    return this.thread(best);
  }

  private thread(index: number): PasswordThread {
    const existing = this.threads[index];
    if (existing) return existing;
    const worker = startWorker();
    // Idle threads must not keep a finished process (a CLI, a test) alive.
    worker.unref();
    const thread: PasswordThread = { worker, pending: new Map() };
    worker.on('message', (reply: VerifyReply) => {
      const pending = thread.pending.get(reply.id);
      if (!pending) return;
      thread.pending.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`bcrypt failed: ${reply.error}`));
      else pending.resolve(reply.matches);
    });
    const lost = (reason: string): void => {
      if (this.threads[index] === thread) this.threads[index] = null;
      this.failAll(thread, reason);
    };
    worker.on('error', (error) => lost(`the password thread failed: ${error.message}`));
    worker.on('exit', (code) => lost(`the password thread exited with code ${code}`));
    this.threads[index] = thread;
    return thread;
  }

  private failAll(thread: PasswordThread, reason: string): void {
    for (const [id, pending] of thread.pending) {
      thread.pending.delete(id);
      pending.reject(new Error(reason));
    }
  }
}

/**
 * The built service runs `password.worker.js` as it is. From TypeScript sources (tests, `tsx`)
 * the thread registers tsx's loader first: a worker does not inherit the parent's.
 */
function startWorker(): Worker {
  const self = new URL(import.meta.url);
  if (self.pathname.endsWith('.js')) return new Worker(new URL('./password.worker.js', self));
  const entry = new URL('./password.worker.ts', self).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true });
}
