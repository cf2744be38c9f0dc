// Where the aggregated windows persist between restarts. Redis keeps one hash: a `meta` field and
// one field per window, so a round rewrites only the windows that received samples.
import { Injectable } from '@nestjs/common';
import { BallastConfig } from '../config/index.js';
import { RedisConnection } from '../redis/index.js';
import type { WindowAggregatorState } from './aggregation/index.js';

/** The persistence seam of the load monitor. */
export abstract class SampleStore {
  /** The saved state, or null when there is none. Throws when the store cannot be read. */
  abstract load(): Promise<unknown>;

  /**
   * Saves `state`, whose `cells` hold only the windows in `changedWindows`; windows not in
   * `keptWindows` are deleted.
   */
  abstract save(
    state: WindowAggregatorState,
    changedWindows: readonly number[],
    keptWindows: readonly number[],
  ): Promise<void>;
}

/** A store that keeps nothing (monitor.persistSamples: false). */
export class NoSampleStore extends SampleStore {
  load(): Promise<unknown> {
    return Promise.resolve(null);
  }

  save(): Promise<void> {
    return Promise.resolve();
  }
}

@Injectable()
export class RedisSampleStore extends SampleStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    config: BallastConfig,
  ) {
    super();
    this.key = `${config.redis.keyPrefix}:monitor:windows`;
  }

  async load(): Promise<unknown> {
    const client = await this.redis.connected();
    const fields = await client.hgetall(this.key);
    const meta = fields.meta;
    if (meta === undefined) return null;
    const state = JSON.parse(meta) as WindowAggregatorState;
    state.cells = [];
    for (const [field, value] of Object.entries(fields)) {
      if (!field.startsWith('w:')) continue;
      state.cells.push(...(JSON.parse(value) as WindowAggregatorState['cells']));
    }
    return state;
  }

  async save(
    state: WindowAggregatorState,
    changedWindows: readonly number[],
    keptWindows: readonly number[],
  ): Promise<void> {
    const client = await this.redis.connected();
    const byWindow = new Map<number, WindowAggregatorState['cells']>(changedWindows.map((w) => [w, []]));
    for (const cell of state.cells) byWindow.get(cell.windowIndex)?.push(cell);
    const existing = (await client.hkeys(this.key)).filter((f) => f.startsWith('w:'));
    const kept = new Set(keptWindows.map((w) => `w:${w}`));
    const stale = existing.filter((f) => !kept.has(f));
    // One MULTI: a crash between the meta and the windows never leaves them disagreeing.
    const tx = client.multi();
    tx.hset(this.key, 'meta', JSON.stringify({ ...state, cells: [] }));
    for (const [window, cells] of byWindow) tx.hset(this.key, `w:${window}`, JSON.stringify(cells));
    if (stale.length > 0) tx.hdel(this.key, ...stale);
    // exec() resolves with one [error, result] per command rather than throwing: check them.
    const replies = await tx.exec();
    if (replies === null) throw new Error('the MULTI transaction was discarded');
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw failed[0] as Error;
  }
}
