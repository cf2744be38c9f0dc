// The in-memory cluster the InMemoryGateway tests share, and helpers to read its snapshots.
import type { ClusterSnapshot } from '../../../src/kafka/cluster-snapshot.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';

/** Four brokers with two dirs each; orders-1 places its replicas on chosen dirs. */
export function cluster(): InMemoryGateway {
  const dirs = ['/d0', '/d1'];
  return new InMemoryGateway({
    brokers: [
      { id: 1, rack: 'a', logDirs: dirs },
      { id: 2, rack: 'b', logDirs: dirs },
      { id: 3, rack: 'c', logDirs: dirs },
      { id: 4, rack: 'a', logDirs: dirs, configs: { 'log.cleaner.threads': '2' } },
    ],
    topics: [
      {
        name: 'orders',
        configs: { minInsyncReplicas: 2, retentionMs: 86_400_000 },
        dynamicConfigs: { 'cleanup.policy': 'delete' },
        partitions: [
          { replicas: [1, 2, 3], sizeBytes: 1000 },
          { replicas: [2, 3, 1], sizeBytes: 2000, logDirs: ['/d1', '/d0', '/d1'] },
        ],
      },
      { name: 'payments', partitions: [{ replicas: [3, 1], sizeBytes: 500 }] },
      { name: '__consumer_offsets', partitions: [{ replicas: [1, 2, 3] }] },
    ],
  });
}

export function partition(s: ClusterSnapshot, topic: string, index: number) {
  const p = s.partitions.find((x) => x.topic === topic && x.partition === index);
  if (!p) throw new Error(`${topic}-${index} not in snapshot`);
  return p;
}

/** `topic-partition` names of the replicas on one log dir. */
export function onDir(s: ClusterSnapshot, brokerId: number, path: string): string[] {
  const dir = s.logDirs.find((d) => d.brokerId === brokerId && d.path === path);
  if (!dir) throw new Error(`no dir ${brokerId}:${path}`);
  return dir.replicas.map((r) => `${r.topic}-${r.partition}`);
}

export const ORDERS_0 = { topic: 'orders', partition: 0 };
export const PAYMENTS_0 = { topic: 'payments', partition: 0 };
