// Cruise Control's PartitionLoadState (GET /partition_load, responses/partitionLoadState.yaml) from
// a workload: one record per partition, filtered and sorted by one resource.
import { Resource } from '../model/index.js';
import { partitionKey, type Workload } from '../monitor/index.js';
import { table } from './broker-stats.js';

export const PARTITION_LOAD_RESOURCES = ['cpu', 'networkInbound', 'networkOutbound', 'disk'] as const;
export type PartitionLoadResource = (typeof PARTITION_LOAD_RESOURCES)[number];

const RESOURCE_INDEX: Record<PartitionLoadResource, number> = {
  cpu: Resource.CPU,
  networkInbound: Resource.NW_IN,
  networkOutbound: Resource.NW_OUT,
  disk: Resource.DISK,
};

export interface PartitionLoadRecord {
  topic: string;
  partition: number;
  /** Kafka id of the leader; -1 when offline. */
  leader: number;
  followers: number[];
  /** The leader replica's CPU, percent of its broker. */
  cpu: number;
  /** KB/s. */
  networkInbound: number;
  /** KB/s. */
  networkOutbound: number;
  /** MB. */
  disk: number;
  /** Messages in per second. */
  msg_in: number;
}

export interface PartitionLoadState {
  version: 1;
  records: PartitionLoadRecord[];
}

export interface PartitionLoadFilter {
  resource: PartitionLoadResource;
  entries: number;
  topic?: RegExp;
  /** Inclusive partition number range. */
  partitions?: { from: number; to: number };
  /** Keep partitions with a replica on any of these brokers. */
  brokerIds?: ReadonlySet<number>;
}

/** Records sorted by `resource`, highest first (ties by topic and partition), at most `entries`. */
export function partitionLoadState(workload: Workload, filter: PartitionLoadFilter): PartitionLoadState {
  const m = workload.model;
  const records: PartitionLoadRecord[] = [];
  for (let p = 0; p < m.partitionCount; p++) {
    const topic = m.topicNameOf(p);
    const partition = m.partitionNumber[p]!;
    if (filter.topic && !filter.topic.test(topic)) continue;
    if (filter.partitions && (partition < filter.partitions.from || partition > filter.partitions.to)) continue;
    const leaderReplica = m.partitionLeader[p]!;
    const brokers: number[] = [];
    for (let r = m.replicaStart(p); r < m.replicaEnd(p); r++) {
      if (r !== leaderReplica) brokers.push(m.brokerKafkaId(m.replicaBroker[r]!));
    }
    const leader = leaderReplica < 0 ? -1 : m.brokerKafkaId(m.replicaBroker[leaderReplica]!);
    if (filter.brokerIds && !(filter.brokerIds.has(leader) || brokers.some((b) => filter.brokerIds!.has(b)))) continue;
    records.push({
      topic,
      partition,
      leader,
      followers: brokers,
      cpu: m.leaderLoadOf(p, Resource.CPU),
      networkInbound: m.leaderLoadOf(p, Resource.NW_IN),
      networkOutbound: m.leaderLoadOf(p, Resource.NW_OUT),
      disk: m.leaderLoadOf(p, Resource.DISK),
      msg_in: workload.partitionLoads.get(partitionKey(topic, partition))?.messagesInPerSec ?? 0,
    });
  }
  const index = RESOURCE_INDEX[filter.resource];
  const value = (r: PartitionLoadRecord) => [r.cpu, r.networkInbound, r.networkOutbound, r.disk][index]!;
  records.sort(
    (a, b) => value(b) - value(a) || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition),
  );
  return { version: 1, records: records.slice(0, filter.entries) };
}

export function partitionLoadText(state: PartitionLoadState): string {
  return table(
    ['PARTITION', 'LEADER', 'FOLLOWERS', 'CPU(%)', 'NW_IN(KB/s)', 'NW_OUT(KB/s)', 'DISK(MB)', 'MSG_IN(/s)'],
    state.records.map((r) => [
      partitionKey(r.topic, r.partition),
      String(r.leader),
      `[${r.followers.join(',')}]`,
      r.cpu.toFixed(3),
      r.networkInbound.toFixed(3),
      r.networkOutbound.toFixed(3),
      r.disk.toFixed(3),
      r.msg_in.toFixed(3),
    ]),
  );
}
