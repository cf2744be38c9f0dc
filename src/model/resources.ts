// The resources the model accounts for, as dense integer indices, with Cruise Control's units.

/**
 * Resource indices used as the column of every `… * RESOURCE_COUNT + resource` load array.
 * A plain object rather than a `const enum` so it survives isolated-module transpilers (swc, tsx).
 * Units are Cruise Control's: CPU in percent of one broker, network in KB/s, disk in MB.
 */
export const Resource = { CPU: 0, NW_IN: 1, NW_OUT: 2, DISK: 3 } as const;

/** One of the values of {@link Resource}. */
export type Resource = (typeof Resource)[keyof typeof Resource];

/** How many resources each load vector holds; the stride of every per-resource array. */
export const RESOURCE_COUNT = 4;

/** Resource names indexed by {@link Resource}; Cruise Control's spelling, for reports and logs. */
export const RESOURCE_NAMES: readonly string[] = ['cpu', 'networkInbound', 'networkOutbound', 'disk'];

/** A load or capacity vector indexed by {@link Resource} (length {@link RESOURCE_COUNT}). */
export type ResourceVector = ArrayLike<number>;
