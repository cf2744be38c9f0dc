// Picks the capacity that applies to one broker: its own entry, the default, or a flagged estimate.
import { MissingCapacityError } from './capacity.errors.js';
import type { BrokerCapacity, CapacitySet } from './capacity.types.js';

/** How {@link resolveCapacity} behaves when neither a broker entry nor a default exists. */
export interface ResolveCapacityOptions {
  /** The broker's log dirs as Kafka reports them; checked against a JBOD capacity when given. */
  logDirs?: string[];
  /** `estimate`: use {@link estimate} and say so; `error`: throw {@link MissingCapacityError}. */
  onMissing: 'estimate' | 'error';
  /** The capacity to fall back on with `onMissing: 'estimate'`. */
  estimate?: BrokerCapacity;
}

/** The capacity for a broker and where it came from. */
export interface ResolvedCapacity {
  capacity: BrokerCapacity;
  /** `estimated` means no file entry covered the broker; callers should surface that to operators. */
  source: 'broker' | 'default' | 'estimated';
}

/**
 * Resolves a broker's capacity: its own entry, else the default entry, else the estimate (flagged)
 * or a {@link MissingCapacityError}. A JBOD capacity must name every log dir in `logDirs`: a
 * balancer that guessed a missing disk's size could fill it.
 */
export function resolveCapacity(set: CapacitySet, brokerId: number, options: ResolveCapacityOptions): ResolvedCapacity {
  const own = set.byBroker.get(brokerId);
  const resolved: ResolvedCapacity | undefined = own
    ? { capacity: own, source: 'broker' }
    : set.default
      ? { capacity: set.default, source: 'default' }
      : options.onMissing === 'estimate' && options.estimate
        ? { capacity: options.estimate, source: 'estimated' }
        : undefined;

  if (!resolved) {
    const why =
      options.onMissing === 'estimate' ? 'and no estimate was supplied' : 'and estimation is off (onMissing: error)';
    throw new MissingCapacityError(
      brokerId,
      [],
      `No capacity for broker ${brokerId}: the capacity file has neither an entry for it nor a default (-1) entry, ${why}`,
    );
  }

  const byDir = resolved.capacity.diskMbByLogDir;
  if (byDir && options.logDirs) {
    const missing = options.logDirs.filter((dir) => !Object.hasOwn(byDir, dir));
    if (missing.length > 0) {
      throw new MissingCapacityError(
        brokerId,
        missing,
        `No disk capacity for broker ${brokerId} log dir${missing.length > 1 ? 's' : ''} ${missing.map((d) => `"${d}"`).join(', ')} ` +
          `(its ${resolved.source} JBOD capacity names ${Object.keys(byDir)
            .map((d) => `"${d}"`)
            .join(', ')})`,
      );
    }
  }
  return resolved;
}
