// Resolves every broker's capacity for the model: the capacity file (Cruise Control's or Ballast's),
// else an estimate that is flagged, with per-log-dir disk capacity for JBOD.
import type { ClusterSnapshot } from '../kafka/index.js';
import { RESOURCE_COUNT, Resource } from '../model/index.js';
import { BYTES_PER_MB } from './load-derivation.js';
import { resolveCapacity, type BrokerCapacity, type CapacitySet } from './capacity/index.js';

export interface CapacityEstimates {
  cpuCores: number;
  networkInKBps: number;
  networkOutKBps: number;
  /** Used for a log dir whose volume size Kafka does not report. */
  diskMbPerLogDir: number;
}

/** One broker's capacity as the model and /load use it. */
export interface ModelBrokerCapacity {
  /** Indexed by `Resource`: CPU in percent of the broker (100 for a core count), KB/s, KB/s, MB. */
  vector: number[];
  /** MB per log dir path of the broker (every dir Kafka reports). */
  diskMbByLogDir: Map<string, number>;
  /** Cores, when the file gave them (or the estimate); Cruise Control's default of 1 otherwise. */
  numCores: number;
  source: 'broker' | 'default' | 'estimated';
}

/**
 * The capacity of every broker of `snapshot`. With no file, or a broker the file does not cover
 * and `onMissing: estimate`, the estimate applies: disk from the volume sizes Kafka reports
 * (DescribeLogDirs v4), network and CPU from `estimates`. Throws `MissingCapacityError` when
 * `onMissing` is `error` and a broker is not covered, or a JBOD entry misses one of its log dirs.
 */
export function resolveBrokerCapacities(
  snapshot: ClusterSnapshot,
  capacities: CapacitySet | null,
  onMissing: 'estimate' | 'error',
  estimates: CapacityEstimates,
): Map<number, ModelBrokerCapacity> {
  const set: CapacitySet = capacities ?? { default: null, byBroker: new Map(), format: 'ballast-yaml' };
  const dirsOf = new Map<number, { path: string; totalBytes: number | null }[]>();
  for (const dir of snapshot.logDirs) {
    const list = dirsOf.get(dir.brokerId) ?? [];
    list.push({ path: dir.path, totalBytes: dir.totalBytes });
    dirsOf.set(dir.brokerId, list);
  }
  const result = new Map<number, ModelBrokerCapacity>();
  for (const broker of snapshot.brokers) {
    const dirs = dirsOf.get(broker.id) ?? [];
    const estimate = estimatedCapacity(broker.id, dirs, estimates);
    const resolved = resolveCapacity(set, broker.id, {
      logDirs: dirs.map((d) => d.path),
      // With no file at all, estimating is the only way to answer; the flag says so.
      onMissing: capacities === null ? 'estimate' : onMissing,
      estimate,
    });
    const capacity = resolved.capacity;
    const diskMbByLogDir = new Map<string, number>();
    if (capacity.diskMbByLogDir) {
      for (const d of dirs) diskMbByLogDir.set(d.path, capacity.diskMbByLogDir[d.path] ?? 0);
    } else {
      // One disk figure for a broker with several log dirs: Cruise Control splits it evenly.
      for (const d of dirs) diskMbByLogDir.set(d.path, capacity.diskMb / dirs.length);
    }
    const vector = new Array<number>(RESOURCE_COUNT).fill(0);
    vector[Resource.CPU] = 'percent' in capacity.cpu ? capacity.cpu.percent : 100;
    vector[Resource.NW_IN] = capacity.nwInKBps;
    vector[Resource.NW_OUT] = capacity.nwOutKBps;
    vector[Resource.DISK] = capacity.diskMb;
    result.set(broker.id, {
      vector,
      diskMbByLogDir,
      numCores: 'cores' in capacity.cpu ? capacity.cpu.cores : 1,
      source: resolved.source,
    });
  }
  return result;
}

function estimatedCapacity(
  brokerId: number,
  dirs: { path: string; totalBytes: number | null }[],
  estimates: CapacityEstimates,
): BrokerCapacity {
  const diskMbByLogDir: Record<string, number> = {};
  for (const d of dirs) {
    diskMbByLogDir[d.path] =
      d.totalBytes !== null && d.totalBytes > 0 ? d.totalBytes / BYTES_PER_MB : estimates.diskMbPerLogDir;
  }
  const diskMb = Object.values(diskMbByLogDir).reduce((sum, mb) => sum + mb, 0);
  return {
    brokerId,
    cpu: { cores: estimates.cpuCores },
    nwInKBps: estimates.networkInKBps,
    nwOutKBps: estimates.networkOutKBps,
    diskMb: dirs.length > 0 ? diskMb : estimates.diskMbPerLogDir,
    diskMbByLogDir: dirs.length > 0 ? diskMbByLogDir : null,
    doc: 'estimated by Ballast',
  };
}
