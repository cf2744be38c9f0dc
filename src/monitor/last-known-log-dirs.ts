// A broker that did not answer DescribeLogDirs has unknown disks, not none: the monitor's snapshot
// keeps that broker's last known log dirs (sizes a round or more old) so the model does not see it
// empty, and says which brokers are stale and which were never seen. Pure.
import { logDirsUnknown, type ClusterSnapshot } from '../kafka/index.js';

export interface LastKnownLogDirs {
  /** `snapshot` with the last known dirs of its unanswered brokers; `logDirErrors` still lists them. */
  snapshot: ClusterSnapshot;
  /** Unanswered brokers whose dirs come from an earlier snapshot. */
  stale: number[];
  /** Unanswered brokers with no earlier dirs: their disks are unknown. */
  unknown: number[];
}

/** Fills the log dirs of `snapshot`'s unanswered brokers from `previous` (the monitor's last snapshot). */
export function withLastKnownLogDirs(snapshot: ClusterSnapshot, previous: ClusterSnapshot | null): LastKnownLogDirs {
  const stale: number[] = [];
  const unknown: number[] = [];
  const kept = [];
  for (const brokerId of [...new Set(snapshot.logDirErrors.map((e) => e.brokerId))].sort((a, b) => a - b)) {
    const dirs = previous?.logDirs.filter((d) => d.brokerId === brokerId) ?? [];
    if (dirs.length === 0) unknown.push(brokerId);
    else {
      stale.push(brokerId);
      kept.push(...dirs);
    }
  }
  if (kept.length === 0) return { snapshot, stale, unknown };
  // Stable: each broker's dirs stay in path order, brokers in id order as the reader lists them.
  const logDirs = [...snapshot.logDirs, ...kept].sort((a, b) => a.brokerId - b.brokerId);
  return { snapshot: { ...snapshot, logDirs }, stale, unknown };
}

/** Alive brokers of `snapshot` whose log dirs it lacks, with none kept from before: their disks are unknown. */
export function brokersWithUnknownDisks(snapshot: ClusterSnapshot): number[] {
  const withDirs = new Set(snapshot.logDirs.map((d) => d.brokerId));
  return snapshot.brokers
    .filter((b) => b.alive && logDirsUnknown(snapshot, b.id) && !withDirs.has(b.id))
    .map((b) => b.id);
}
