// Aggregates (per broker, rack and disk loads and counts) computed from scratch over replicas.
// Used once by the builder; operations then maintain them incrementally.
import { RESOURCE_COUNT, Resource } from './resources.js';
import type { ModelAggregates, ModelArrays } from './model-state.js';

/** The base arrays the aggregates derive from. */
export type AggregateInputs = Pick<
  ModelArrays,
  | 'brokerRack'
  | 'diskBroker'
  | 'partitionReplicaStart'
  | 'replicaBroker'
  | 'replicaDisk'
  | 'partitionLeader'
  | 'leaderLoad'
  | 'followerLoad'
>;

/**
 * Computes every aggregate in O(replicas × resources). A replica carries its partition's
 * leader load when it is the leader, its follower load otherwise (offline partitions: follower).
 */
export function computeAggregates(inputs: AggregateInputs, rackCount: number): ModelAggregates {
  const R = RESOURCE_COUNT;
  const brokerCount = inputs.brokerRack.length;
  const brokerLoad = new Float64Array(brokerCount * R);
  const rackLoad = new Float64Array(rackCount * R);
  const diskLoadMb = new Float64Array(inputs.diskBroker.length);
  const brokerReplicaCount = new Int32Array(brokerCount);
  const brokerLeaderCount = new Int32Array(brokerCount);
  const start = inputs.partitionReplicaStart;
  const partitionCount = start.length - 1;
  for (let p = 0; p < partitionCount; p++) {
    const leader = inputs.partitionLeader[p]!;
    for (let r = start[p]!; r < start[p + 1]!; r++) {
      const broker = inputs.replicaBroker[r]!;
      const rack = inputs.brokerRack[broker]!;
      const loads = r === leader ? inputs.leaderLoad : inputs.followerLoad;
      for (let k = 0; k < R; k++) {
        const value = loads[p * R + k]!;
        brokerLoad[broker * R + k]! += value;
        rackLoad[rack * R + k]! += value;
      }
      const disk = inputs.replicaDisk[r]!;
      if (disk >= 0) diskLoadMb[disk]! += loads[p * R + Resource.DISK]!;
      brokerReplicaCount[broker]!++;
      if (r === leader) brokerLeaderCount[broker]!++;
    }
  }
  return { brokerLoad, rackLoad, diskLoadMb, brokerReplicaCount, brokerLeaderCount };
}
