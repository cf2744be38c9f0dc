// Test helpers: recompute a model's aggregates independently and assert the invariants.
import { expect } from 'vitest';
import { ClusterModel, RESOURCE_COUNT, Resource } from '../../src/model/index.js';

const R = RESOURCE_COUNT;
const TOLERANCE = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    // Relative for large loads (disk MB sums), absolute near zero.
    if (Math.abs(a - e) > TOLERANCE * Math.max(1, Math.abs(e))) {
      expect.fail(`${what}[${i}] is ${a}, recomputed ${e}`);
    }
  }
}

/**
 * Asserts every aggregate equals the sum recomputed from scratch over replicas, counts match,
 * no partition has two replicas on one broker, and disks sit on their replica's broker.
 */
export function expectInvariants(model: ClusterModel): void {
  const brokerLoad = new Float64Array(model.brokerCount * R);
  const rackLoad = new Float64Array(model.rackCount * R);
  const diskLoad = new Float64Array(model.diskCount);
  const replicas = new Int32Array(model.brokerCount);
  const leaders = new Int32Array(model.brokerCount);
  for (let p = 0; p < model.partitionCount; p++) {
    const seen = new Set<number>();
    const leader = model.partitionLeader[p]!;
    const first = model.partitionReplicaStart[p]!;
    const end = model.partitionReplicaStart[p + 1]!;
    if (leader !== -1 && (leader < first || leader >= end)) expect.fail(`leader of partition ${p} is not its replica`);
    for (let r = first; r < end; r++) {
      if (model.replicaPartition[r] !== p) expect.fail(`replica ${r} is not in partition ${p}`);
      const broker = model.replicaBroker[r]!;
      if (seen.has(broker)) expect.fail(`partition ${p} has two replicas on broker ${broker}`);
      seen.add(broker);
      const loads = r === leader ? model.leaderLoad : model.followerLoad;
      for (let k = 0; k < R; k++) {
        brokerLoad[broker * R + k]! += loads[p * R + k]!;
        rackLoad[model.brokerRack[broker]! * R + k]! += loads[p * R + k]!;
      }
      const disk = model.replicaDisk[r]!;
      if (disk !== -1) {
        if (model.diskBroker[disk] !== broker) expect.fail(`disk of replica ${r} is not on its broker`);
        diskLoad[disk]! += loads[p * R + Resource.DISK]!;
      }
      replicas[broker]!++;
      if (r === leader) leaders[broker]!++;
    }
  }
  expectClose(model.brokerLoad, brokerLoad, 'brokerLoad');
  expectClose(model.rackLoad, rackLoad, 'rackLoad');
  expectClose(model.diskLoadMb, diskLoad, 'diskLoadMb');
  expect(Array.from(model.brokerReplicaCount)).toEqual(Array.from(replicas));
  expect(Array.from(model.brokerLeaderCount)).toEqual(Array.from(leaders));
}

/** The mutable state of a model, copied, to compare before and after. */
export function snapshotOf(model: ClusterModel) {
  return {
    replicaBroker: Array.from(model.replicaBroker),
    replicaDisk: Array.from(model.replicaDisk),
    partitionLeader: Array.from(model.partitionLeader),
    brokerReplicaCount: Array.from(model.brokerReplicaCount),
    brokerLeaderCount: Array.from(model.brokerLeaderCount),
    brokerLoad: Array.from(model.brokerLoad),
    rackLoad: Array.from(model.rackLoad),
    diskLoadMb: Array.from(model.diskLoadMb),
  };
}

/** Asserts the model's state equals a snapshot: placement exactly, float sums within tolerance. */
export function expectState(model: ClusterModel, expected: ReturnType<typeof snapshotOf>): void {
  const actual = snapshotOf(model);
  expect(actual.replicaBroker).toEqual(expected.replicaBroker);
  expect(actual.replicaDisk).toEqual(expected.replicaDisk);
  expect(actual.partitionLeader).toEqual(expected.partitionLeader);
  expect(actual.brokerReplicaCount).toEqual(expected.brokerReplicaCount);
  expect(actual.brokerLeaderCount).toEqual(expected.brokerLeaderCount);
  expectClose(actual.brokerLoad, expected.brokerLoad, 'brokerLoad');
  expectClose(actual.rackLoad, expected.rackLoad, 'rackLoad');
  expectClose(actual.diskLoadMb, expected.diskLoadMb, 'diskLoadMb');
}
