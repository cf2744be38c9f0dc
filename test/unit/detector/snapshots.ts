// Plain cluster snapshots for the detector tests: brokers 1..n, each partition listed by its replicas.
import type { ClusterSnapshot, LogDirInfo, PartitionInfo } from '../../../src/kafka/index.js';

export function snapshot(input: {
  alive: number[];
  dead?: number[];
  partitions?: Partial<PartitionInfo>[];
  logDirs?: Partial<LogDirInfo>[];
}): ClusterSnapshot {
  return {
    takenAtMs: 0,
    clusterId: 'c',
    controllerId: input.alive[0] ?? null,
    brokers: [
      ...input.alive.map((id) => ({ id, host: `b${id}`, port: 9092, rack: null, alive: true })),
      ...(input.dead ?? []).map((id) => ({ id, host: '', port: 0, rack: null, alive: false })),
    ],
    topics: [],
    partitions: (input.partitions ?? []).map((p) => ({
      topic: 't',
      partition: 0,
      leader: p.replicas?.[0] ?? 1,
      replicas: [1, 2, 3],
      isr: p.replicas ?? [1, 2, 3],
      offlineReplicas: [],
      ...p,
    })),
    logDirs: (input.logDirs ?? []).map((d) => ({
      brokerId: 1,
      path: '/d1',
      failed: false,
      error: null,
      totalBytes: null,
      usableBytes: null,
      replicas: [],
      ...d,
    })),
    logDirErrors: [],
    brokerConfigErrors: [],
    reassignments: [],
    brokerThrottles: {},
  };
}
