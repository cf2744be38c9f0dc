// Synthetic model generator: determinism, shape, rack awareness and each skew mode.
import { describe, expect, it } from 'vitest';
import {
  BrokerState,
  ClusterModel,
  generateSyntheticModel,
  RESOURCE_COUNT,
  Resource,
  type SyntheticModelOptions,
} from '../../../src/model/index.js';
import { expectInvariants } from '../../support/model-invariants.js';

const R = RESOURCE_COUNT;

function mean(values: ArrayLike<number>): number {
  return Array.from(values).reduce((a, b) => a + b, 0) / values.length;
}

function brokerResource(model: ClusterModel, resource: Resource): number[] {
  return Array.from({ length: model.brokerCount }, (_, b) => model.brokerLoad[b * R + resource]!);
}

function replicaBrokers(model: ClusterModel, p: number): number[] {
  return Array.from(model.replicaBroker.subarray(model.partitionReplicaStart[p], model.partitionReplicaStart[p + 1]));
}

describe('generateSyntheticModel', () => {
  it('gives an identical model for the same seed and a different one for another seed', () => {
    const options: SyntheticModelOptions = { seed: 42, brokers: 9, partitions: 300, skew: 'hot-disk' };
    const a = generateSyntheticModel(options);
    const b = generateSyntheticModel(options);
    expect(a.tables).toEqual(b.tables);
    for (const key of ['replicaBroker', 'replicaDisk', 'partitionLeader', 'partitionTopic', 'leaderLoad'] as const) {
      expect(a[key]).toEqual(b[key]);
    }
    expect(a.followerLoad).toEqual(b.followerLoad);
    const c = generateSyntheticModel({ ...options, seed: 43 });
    expect(c.leaderLoad).not.toEqual(a.leaderLoad);
  });

  it('has the asked counts, replication factor and distinct brokers per partition', () => {
    const model = generateSyntheticModel({ brokers: 7, racks: 3, disksPerBroker: 3, topics: 12, partitions: 250 });
    expect(model.brokerCount).toBe(7);
    expect(model.rackCount).toBe(3);
    expect(model.diskCount).toBe(21);
    expect(model.topicCount).toBe(12);
    expect(model.partitionCount).toBe(250);
    expect(model.replicaCount).toBe(750);
    for (let p = 0; p < model.partitionCount; p++) {
      const brokers = replicaBrokers(model, p);
      expect(brokers).toHaveLength(3);
      expect(new Set(brokers).size).toBe(3);
      expect(model.partitionLeader[p]).toBe(model.partitionReplicaStart[p]);
    }
    for (let r = 0; r < model.replicaCount; r++) expect(model.replicaDisk[r]).toBeGreaterThanOrEqual(0);
    expectInvariants(model);
  });

  it('is rack-aware by default and spreads evenly without skew', () => {
    const model = generateSyntheticModel({ seed: 3, brokers: 9, racks: 3, partitions: 600 });
    for (let p = 0; p < model.partitionCount; p++) {
      const racks = replicaBrokers(model, p).map((b) => model.brokerRack[b]);
      expect(new Set(racks).size).toBe(3);
    }
    const replicas = Array.from(model.brokerReplicaCount);
    expect(Math.max(...replicas) - Math.min(...replicas)).toBeLessThanOrEqual(2);
    const leaders = Array.from(model.brokerLeaderCount);
    expect(Math.max(...leaders) - Math.min(...leaders)).toBeLessThanOrEqual(2);
  });

  it('draws heavy-tailed loads with followers at NW_OUT 0 and half the CPU', () => {
    const model = generateSyntheticModel({ seed: 5, partitions: 1000, topics: 40 });
    const nwIn = Array.from({ length: model.partitionCount }, (_, p) => model.leaderLoad[p * R + Resource.NW_IN]!);
    expect(Math.max(...nwIn)).toBeGreaterThan(10 * mean(nwIn));
    for (let p = 0; p < model.partitionCount; p++) {
      expect(model.followerLoad[p * R + Resource.NW_OUT]).toBe(0);
      expect(model.followerLoad[p * R + Resource.NW_IN]).toBe(model.leaderLoad[p * R + Resource.NW_IN]);
      expect(model.followerLoad[p * R + Resource.DISK]).toBe(model.leaderLoad[p * R + Resource.DISK]);
      expect(model.followerLoad[p * R + Resource.CPU]).toBeCloseTo(model.leaderLoad[p * R + Resource.CPU]! * 0.5, 12);
    }
  });

  it('hot-broker: broker 0 leads and holds far more than the mean', () => {
    const model = generateSyntheticModel({ seed: 11, brokers: 8, partitions: 400, skew: 'hot-broker' });
    expectInvariants(model);
    expect(model.brokerLeaderCount[0]).toBeGreaterThan(4 * mean(model.brokerLeaderCount));
    expect(model.brokerReplicaCount[0]).toBeGreaterThan(1.8 * mean(model.brokerReplicaCount));
    const nwIn = brokerResource(model, Resource.NW_IN);
    expect(nwIn[0]).toBeGreaterThan(1.5 * mean(nwIn));
    const plain = generateSyntheticModel({ seed: 11, brokers: 8, partitions: 400 });
    expect(plain.brokerLeaderCount[0]).toBeLessThan(1.2 * mean(plain.brokerLeaderCount));
  });

  it('new-empty-broker: the last broker is NEW and holds nothing', () => {
    const model = generateSyntheticModel({ seed: 2, brokers: 5, skew: 'new-empty-broker' });
    const last = model.brokerCount - 1;
    expect(model.brokerReplicaCount[last]).toBe(0);
    expect(model.brokerLeaderCount[last]).toBe(0);
    expect(model.brokerHas(last, BrokerState.ALIVE | BrokerState.NEW)).toBe(true);
    expect(model.brokerHas(0, BrokerState.NEW)).toBe(false);
    for (let b = 0; b < last; b++) expect(model.brokerReplicaCount[b]).toBeGreaterThan(0);
  });

  it('rack-imbalance: rack 0 holds most replicas', () => {
    const model = generateSyntheticModel({ seed: 4, brokers: 9, racks: 3, partitions: 300, skew: 'rack-imbalance' });
    const perRack = new Array<number>(model.rackCount).fill(0);
    for (let b = 0; b < model.brokerCount; b++) perRack[model.brokerRack[b]!]! += model.brokerReplicaCount[b]!;
    expect(perRack[0]).toBeGreaterThan(0.5 * model.replicaCount);
    const diskPerRack = Array.from({ length: model.rackCount }, (_, k) => model.rackLoad[k * R + Resource.DISK]!);
    expect(diskPerRack[0]).toBeGreaterThan(1.5 * mean(diskPerRack));
  });

  it('hot-disk: one disk per broker carries most of its load', () => {
    const model = generateSyntheticModel({ seed: 8, disksPerBroker: 3, partitions: 300, skew: 'hot-disk' });
    expectInvariants(model);
    for (let b = 0; b < model.brokerCount; b++) {
      const loads: number[] = [];
      for (let d = 0; d < model.diskCount; d++) if (model.diskBroker[d] === b) loads.push(model.diskLoadMb[d]!);
      expect(Math.max(...loads)).toBeGreaterThan(3 * Math.min(...loads));
    }
    const plain = generateSyntheticModel({ seed: 8, disksPerBroker: 3, partitions: 300 });
    const counts = new Int32Array(plain.diskCount);
    for (let r = 0; r < plain.replicaCount; r++) counts[plain.replicaDisk[r]!]!++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('sets capacities from the options', () => {
    const model = generateSyntheticModel({
      disksPerBroker: 2,
      diskCapacityMb: 500,
      nwCapacityKBps: 10,
      cpuCapacity: 80,
    });
    expect(Array.from(model.brokerCapacity.subarray(0, R))).toEqual([80, 10, 10, 1000]);
    expect(model.diskCapacityMb[0]).toBe(500);
  });

  it('refuses inconsistent options', () => {
    expect(() => generateSyntheticModel({ brokers: 2, racks: 2, replicationFactor: 3 })).toThrow(RangeError);
    expect(() => generateSyntheticModel({ brokers: 3, racks: 3, skew: 'new-empty-broker' })).toThrow(/usable brokers/);
    expect(() => generateSyntheticModel({ disksPerBroker: 1, skew: 'hot-disk' })).toThrow(/disksPerBroker/);
    expect(() => generateSyntheticModel({ topics: 5, partitions: 4 })).toThrow(/partitions/);
    expect(() => generateSyntheticModel({ brokers: 0 })).toThrow(/brokers/);
  });
});
