// Column storage of the windows: entities get dense indices once, and each window keeps flat typed
// arrays indexed by them, so a million partitions cost tens of bytes per window, not an object each.

/** One window's accumulators for every entity index below `capacity`. */
export interface ColumnWindow {
  /** Samples per entity; 0 means the entity has no cell in this window. */
  count: Int32Array;
  /** Time of the sample `latest` metrics came from, per entity, epoch ms. */
  latestTimeMs: Float64Array;
  /** `metricCount` accumulators per entity: sums (`avg`), maxima (`max`) or newest values (`latest`). */
  acc: Float64Array;
}

/** Entity names ↔ dense indices, shared by every window. */
export class EntityIndex {
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  /** The index of `name`, assigned on first use. */
  intern(name: string): number {
    let index = this.byName.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.byName.set(name, index);
    }
    return index;
  }

  /** The index of `name`, or -1 when it never had a sample. */
  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  nameOf(index: number): string {
    return this.names[index]!;
  }
}

export function newColumnWindow(capacity: number, metricCount: number): ColumnWindow {
  return {
    count: new Int32Array(capacity),
    latestTimeMs: new Float64Array(capacity).fill(-Infinity),
    acc: new Float64Array(capacity * metricCount),
  };
}

/** `window` grown (by doubling) to hold entity index `index`; the same object when it already does. */
export function withCapacity(window: ColumnWindow, index: number, metricCount: number): ColumnWindow {
  const capacity = window.count.length;
  if (index < capacity) return window;
  let next = Math.max(16, capacity);
  while (next <= index) next *= 2;
  const grown = newColumnWindow(next, metricCount);
  grown.count.set(window.count);
  grown.latestTimeMs.set(window.latestTimeMs);
  grown.acc.set(window.acc);
  return grown;
}
