// Sums a goal derives from the placement (per broker, per topic and broker) and keeps in step with
// the moves it accepts, so `accepts` stays O(1) on million-replica models instead of rescanning.
import type { ClusterModel } from '../../src/model/index.js';
import type { Move } from './goal.js';

/** `[index, delta]` pairs a move adds to the tracked array, computed on the model before it applies. */
export type Shift = [number, number][];

type Sums = Int32Array | Float64Array;

interface Pending {
  move: Move;
  shift: Shift;
  /** For a swap, the brokers of `a` and `b` before it, to see that it applied; -1 otherwise. */
  brokerA: number;
  brokerB: number;
}

interface Entry<T extends Sums> {
  values: T;
  /** The model's `mark()` the values match. */
  mark: number;
  pending: Pending | null;
}

/** Derived sums of one model, rebuilt only when the model changed by something other than the last accepted move. */
export interface TrackedSums<T extends Sums> {
  /**
   * The sums for `model` as it is now: O(shift) when at most the move last passed to `expect` applied
   * since the previous call, a full rebuild otherwise (a new model, a goal's own optimize, an undo).
   */
  current(model: ClusterModel): T;
  /** Records that `move` is about to be applied; call right after `current`, before `tryMove`. */
  expect(model: ClusterModel, move: Move, shift: Shift): void;
  /**
   * For `accepts`: whether `move` keeps the goal, judged by `fits` on the current sums; a move that
   * fits is recorded, so the sums follow it once it applies. Every accepted move must pass here,
   * those with an empty shift too, or the next call finds the journal moved and rebuilds.
   */
  accept(model: ClusterModel, move: Move, shift: Shift, fits: (sums: T) => boolean): boolean;
}

/** Journal entries the model records for a move (a swap is two relocations). */
const journalEntries = (move: Move) => (move.kind === 'swap' ? 2 : 1);

function applied(model: ClusterModel, { move, brokerA, brokerB }: Pending): boolean {
  switch (move.kind) {
    case 'replica':
      return model.replicaBroker[move.replica] === move.toBroker;
    case 'swap':
      return model.replicaBroker[move.a] === brokerB && model.replicaBroker[move.b] === brokerA;
    case 'leadership':
      return model.partitionLeader[move.partition] === move.toReplica;
    case 'disk':
      return model.replicaDisk[move.replica] === move.toDisk;
  }
}

/**
 * Sums kept per model in a WeakMap. The model has no change listeners, but every operation grows
 * its undo journal, and while a goal sits in the optimizer's accepted list every applied move is
 * one it was asked about just before: so when the journal grew by exactly that move, the recorded
 * shift is all that changed. Anything else triggers a rebuild, so the sums are never stale; they
 * hold no state between runs beyond what the model itself determines.
 */
export function trackedSums<T extends Sums>(build: (model: ClusterModel) => T): TrackedSums<T> {
  const entries = new WeakMap<ClusterModel, Entry<T>>();
  return {
    current(model) {
      const now = model.mark();
      let entry = entries.get(model);
      if (entry !== undefined && entry.mark !== now) {
        const pending = entry.pending;
        if (pending !== null && now === entry.mark + journalEntries(pending.move) && applied(model, pending)) {
          for (const [index, delta] of pending.shift) entry.values[index]! += delta;
          entry.mark = now;
        } else {
          entry = undefined;
        }
      }
      if (entry === undefined) {
        entry = { values: build(model), mark: now, pending: null };
        entries.set(model, entry);
      }
      // A move accepted but not applied (a later goal vetoed it) is forgotten.
      entry.pending = null;
      return entry.values;
    },

    expect(model, move, shift) {
      const entry = entries.get(model);
      if (entry === undefined || entry.mark !== model.mark()) return;
      const swap = move.kind === 'swap';
      entry.pending = {
        move,
        shift,
        brokerA: swap ? model.replicaBroker[move.a]! : -1,
        brokerB: swap ? model.replicaBroker[move.b]! : -1,
      };
    },

    accept(model, move, shift, fits) {
      if (!fits(this.current(model))) return false;
      this.expect(model, move, shift);
      return true;
    },
  };
}
