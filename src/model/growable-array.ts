// Append-only typed-array buffers that double when full, so building 2.8M replicas allocates
// a few dozen buffers instead of millions of objects.

/** An append-only `Int32Array` that grows by doubling. */
export class GrowableInt32Array {
  private data: Int32Array;
  /** Number of values appended so far. */
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(1, initialCapacity));
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** The value at `index` (no bounds check beyond the typed array's own). */
  get(index: number): number {
    return this.data[index]!;
  }

  /** Drops values from the end so `length` becomes `newLength` (never grows). */
  truncate(newLength: number): void {
    this.length = Math.min(this.length, newLength);
  }

  /** A right-sized copy of the values appended so far. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }

  /** An independent copy, same contents. */
  clone(): GrowableInt32Array {
    const copy = new GrowableInt32Array(this.data.length);
    copy.data.set(this.data.subarray(0, this.length));
    copy.length = this.length;
    return copy;
  }

  private grow(minCapacity: number): void {
    const next = new Int32Array(Math.max(minCapacity, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** An append-only `Float64Array` that grows by doubling. */
export class GrowableFloat64Array {
  private data: Float64Array;
  /** Number of values appended so far. */
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** A right-sized copy of the values appended so far. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  private grow(minCapacity: number): void {
    const next = new Float64Array(Math.max(minCapacity, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}
