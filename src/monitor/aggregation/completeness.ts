// Completeness of aggregated windows: which windows are valid, what share of entities is usable, and exactly why not ready.
import type { AggregationResult } from './aggregation-result.js';

/** What "enough data" means (CC: `min.valid.partition.ratio`, default 0.995, and the number of valid windows asked for). */
export interface CompletenessRequirements {
  /** Valid complete windows needed, from 1 to `numWindows`. */
  minValidWindows: number;
  /** Share of entities that must be valid, in (0, 1]; a window is valid when at least this share is valid in it. */
  minValidEntityRatio: number;
}

export interface Completeness {
  ready: boolean;
  /** Start times of the valid complete windows, epoch milliseconds, oldest first. */
  validWindows: number[];
  /** Share of the entities valid in every valid window; 0 when there is no valid window or no entity. */
  validEntityRatio: number;
  /** Entities not valid in every valid window (all of them when there is no valid window). */
  invalidEntities: number;
  /** Why it is not ready, one sentence per cause; empty when ready. */
  reasons: string[];
}

/**
 * A window is valid when the share of entities valid in it (anything but `invalid`) reaches
 * `minValidEntityRatio`. Ready needs `minValidWindows` valid windows and the share of entities valid
 * in all of them to reach the ratio too: a different few missing in each window can add up.
 */
export function computeCompleteness(
  result: AggregationResult,
  requirements: CompletenessRequirements,
  noun: { one: string; many: string },
): Completeness {
  const { minValidWindows, minValidEntityRatio } = requirements;
  const entityCount = result.entities.size;
  const windowCount = result.windowStartsMs.length;
  const validPerWindow = new Array<number>(windowCount).fill(0);
  for (const values of result.entities.values()) {
    values.forEach((v, i) => {
      if (v.extrapolation !== 'invalid') validPerWindow[i] = (validPerWindow[i] ?? 0) + 1;
    });
  }
  const ratios = validPerWindow.map((n) => (entityCount === 0 ? 0 : n / entityCount));
  const validPositions = ratios.flatMap((ratio, i) => (ratio >= minValidEntityRatio ? [i] : []));
  const validWindows = validPositions.map((i) => result.windowStartsMs[i] ?? 0);

  let validEverywhere = 0;
  let noValidWindow = 0;
  for (const values of result.entities.values()) {
    if (validPositions.length > 0 && validPositions.every((i) => values[i]?.extrapolation !== 'invalid')) {
      validEverywhere++;
    }
    if (values.every((v) => v.extrapolation === 'invalid')) noValidWindow++;
  }
  const validEntityRatio = entityCount === 0 ? 0 : validEverywhere / entityCount;

  const reasons: string[] = [];
  if (entityCount === 0) reasons.push(`no ${noun.many} to check`);
  if (validWindows.length < minValidWindows) {
    const details = ratios.flatMap((ratio, i) =>
      ratio >= minValidEntityRatio
        ? []
        : [`window starting ${isoTime(result.windowStartsMs[i] ?? 0)} has ${percent(ratio)} valid ${noun.many}`],
    );
    if (windowCount === 0) details.push('no complete window yet');
    else if (windowCount < minValidWindows) {
      details.push(`only ${windowCount} complete window${windowCount === 1 ? '' : 's'} so far`);
    }
    reasons.push(`${validWindows.length} of ${minValidWindows} required windows are valid (${details.join('; ')})`);
  } else if (entityCount > 0 && validEntityRatio < minValidEntityRatio) {
    reasons.push(
      `${percent(validEntityRatio)} of ${noun.many} are valid in every valid window, ${percent(minValidEntityRatio)} required`,
    );
  }
  if (reasons.length > 0 && windowCount > 0 && noValidWindow > 0) {
    reasons.push(`${noValidWindow} ${noValidWindow === 1 ? `${noun.one} has` : `${noun.many} have`} no valid window`);
  }
  return {
    ready: reasons.length === 0,
    validWindows,
    validEntityRatio,
    invalidEntities: entityCount - validEverywhere,
    reasons,
  };
}

/** Rounded down to 0.1 so a share just under the requirement never prints as meeting it. */
function percent(ratio: number): string {
  return `${Math.floor(ratio * 1000 + 1e-9) / 10}%`;
}

function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}
