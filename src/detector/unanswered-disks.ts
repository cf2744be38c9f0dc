// A broker that did not answer DescribeLogDirs has unknown disks, not repaired ones: the disk
// failures it had keep their first-seen times, so a fix clock is not restarted by a silence. Pure.
import type { ClusterSnapshot } from '../kafka/index.js';
import type { DiskFailureDetection } from './disk-failure.detector.js';

/**
 * `detection` with the first-seen times of `previous` kept for the dirs of brokers whose log dirs
 * `snapshot` lacks. No anomaly is raised on them: nothing new is known about those disks.
 */
export function keepUnansweredDisks(
  detection: DiskFailureDetection,
  snapshot: Pick<ClusterSnapshot, 'logDirErrors'>,
  previous: Readonly<Record<string, number>>,
): DiskFailureDetection {
  const unanswered = new Set(snapshot.logDirErrors.map((e) => e.brokerId));
  if (unanswered.size === 0) return detection;
  // Keys are `brokerId:logDir`; a path may hold colons, the id does not.
  const kept = Object.entries(previous).filter(([key]) => unanswered.has(Number(key.slice(0, key.indexOf(':')))));
  return { ...detection, firstSeen: { ...Object.fromEntries(kept), ...detection.firstSeen } };
}
