// The optimizer on a worker thread. A proposal for a large cluster is seconds to a minute of pure
// CPU (58 s at 2.8M replicas, docs/performance.md); on the main thread that stalls everything else
// Ballast does: the API cannot answer 202 after api.userTaskBlockMs, /health and /metrics time out
// (a liveness probe restarts the pod), the executor's progress checks wait, and the Redis leader
// lock is not renewed, so a standby takes over mid-computation. Here the model's arrays are copied
// to one long-lived thread, the goals run there, and the optimized arrays come back moved, not
// copied. The thread answers one request at a time, in order.
import { Worker } from 'node:worker_threads';
import type { Goal } from '../../goals/index.js';
import type { BallastConfigValues } from '../config/index.js';
import { ClusterModel } from '../model/index.js';
import { optimize, type OptimizationOptions, type OptimizationResult } from './optimizer.js';
import { receivedError, type OptimizeReply, type OptimizeRequest, type OptimizerInit } from './optimizer-protocol.js';

export interface OptimizerRun {
  /** The optimized model: the input's tables, new arrays. */
  model: ClusterModel;
  result: OptimizationResult;
}

interface Pending {
  resolve: (run: OptimizerRun) => void;
  reject: (error: Error) => void;
  tables: ClusterModel['tables'];
}

export class OptimizerThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `useThread: false` runs the goals on the calling thread (`analyzer.optimizerThread`). */
  constructor(
    private readonly analyzer: BallastConfigValues['analyzer'],
    private readonly useThread: boolean = analyzer.optimizerThread,
  ) {}

  /**
   * Optimizes a copy of `model` (the argument is never changed) with `options`.
   * @throws what `optimize` throws (HardGoalViolationError, DrainError, DiskRemovalError), as the same classes.
   */
  run(model: ClusterModel, options: OptimizationOptions): Promise<OptimizerRun> {
    if (!this.useThread) {
      try {
        const optimized = model.clone();
        return Promise.resolve({ model: optimized, result: optimize(optimized, options) });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const { goals, ...rest } = options;
    const request: OptimizeRequest = {
      kind: 'optimize',
      id: this.nextId++,
      tables: model.tables,
      arrays: model.toArrays(),
      goals: goals.map((g: Goal) => ({ name: g.name, hard: g.hard })),
      options: rest,
    };
    return new Promise<OptimizerRun>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, tables: model.tables });
      try {
        // Copied by structured cloning: the caller's model stays as it was.
        this.thread().postMessage(request);
      } catch (error) {
        this.pending.delete(request.id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Stops the thread; computations in flight fail. The next `run` starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll('the optimizer thread was stopped');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.unref();
    worker.on('message', (reply: OptimizeReply) => this.settle(reply));
    worker.on('error', (error) => this.lost(worker, `the optimizer thread failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `the optimizer thread exited with code ${code}`));
    const init: OptimizerInit = { kind: 'init', analyzer: this.analyzer };
    worker.postMessage(init);
    this.worker = worker;
    return worker;
  }

  private settle(reply: OptimizeReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'error') pending.reject(receivedError(reply.error));
    else pending.resolve({ model: new ClusterModel(pending.tables, reply.arrays), result: reply.result });
  }

  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new Error(reason));
    }
  }
}

/**
 * The built service runs `optimizer.worker.js` as it is. From TypeScript sources (tests, `tsx`)
 * the thread registers tsx's loader first: a worker does not inherit the parent's.
 */
function startWorker(): Worker {
  const self = new URL(import.meta.url);
  if (self.pathname.endsWith('.js')) return new Worker(new URL('./optimizer.worker.js', self));
  const entry = new URL('./optimizer.worker.ts', self).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true });
}
