// The analyzer's proposal cache: the last computed proposal, served again while the request, the
// snapshot and the windows it came from are the same, and computations in flight, joined rather
// than run twice on the optimizer thread.
import type { Workload } from '../monitor/index.js';
import type { Proposal } from './proposal.js';

interface Entry {
  key: string;
  snapshotTakenAtMs: number;
  windows: string;
  proposal: Proposal;
}

export class ProposalCache {
  private entry: Entry | null = null;
  /** Computations in flight by request, snapshot and windows. */
  private readonly inFlight = new Map<string, Promise<Proposal>>();

  /** The proposal last computed for any request; null before the first. */
  latest(): Proposal | null {
    return this.entry?.proposal ?? null;
  }

  /**
   * The proposal for request `key` on `workload`: the cached one when nothing it depends on
   * changed, the same computation already running (the background refresh, another user's GET)
   * when there is one, else `compute()`'s, which is kept unless a newer snapshot's already is.
   * `fresh` skips both the cache and the join (an execution starts from a fresh proposal).
   */
  async get(key: string, workload: Workload, fresh: boolean, compute: () => Promise<Proposal>): Promise<Proposal> {
    const windows = workload.windowStartsMs.join(',');
    const cached = this.entry;
    if (
      !fresh &&
      cached?.key === key &&
      cached.snapshotTakenAtMs === workload.snapshotTakenAtMs &&
      cached.windows === windows
    ) {
      return { ...cached.proposal, fromCache: true };
    }
    const computationKey = `${key}|${workload.snapshotTakenAtMs}|${windows}`;
    const running = fresh ? undefined : this.inFlight.get(computationKey);
    if (running) return { ...(await running), fromCache: true };
    const computation = compute().then((proposal) => {
      // A computation that ends after one on a newer snapshot does not replace it.
      if (this.entry === null || this.entry.snapshotTakenAtMs <= workload.snapshotTakenAtMs)
        this.entry = { key, snapshotTakenAtMs: workload.snapshotTakenAtMs, windows, proposal };
      return proposal;
    });
    this.inFlight.set(computationKey, computation);
    try {
      return await computation;
    } finally {
      if (this.inFlight.get(computationKey) === computation) this.inFlight.delete(computationKey);
    }
  }
}
