// What the goal and optimizer tests read back from a ClusterModel: a partition's brokers, racks and
// leader by Kafka id or rack index, and a broker's load.
import type { ClusterModel, Resource } from '../../src/model/index.js';

/** Kafka ids of the brokers holding partition `p`, in replica order. */
export const brokersOf = (m: ClusterModel, p: number): number[] => {
  const ids: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    ids.push(m.brokerKafkaId(m.replicaBroker[r]!));
  return ids;
};

/** Rack indices of the replicas of partition `p`, in replica order. */
export const racksOf = (m: ClusterModel, p: number): number[] => {
  const racks: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    racks.push(m.brokerRack[m.replicaBroker[r]!]!);
  return racks;
};

/** Kafka id of the broker leading partition `p`. */
export const leaderOf = (m: ClusterModel, p: number): number =>
  m.brokerKafkaId(m.replicaBroker[m.partitionLeader[p]!]!);

/** Load of one resource on the broker with Kafka id `kafkaId`. */
export const loadOn = (m: ClusterModel, kafkaId: number, r: Resource): number =>
  m.brokerLoad[m.brokerIndex(kafkaId) * 4 + r]!;
