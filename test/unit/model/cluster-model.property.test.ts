// Seeded random property test: thousands of random operations and undos on random clusters,
// with every invariant checked after every step.
import { describe, expect, it } from 'vitest';
import {
  ClusterModel,
  DiskNotOnBrokerError,
  DuplicateReplicaError,
  InvalidModelOperationError,
} from '../../../src/model/index.js';
import { mulberry32, randomInt, randomModel } from '../../fixtures/random-model.js';
import { expectInvariants, expectState, snapshotOf } from '../../support/model-invariants.js';

const SEEDS = [1, 7, 42, 2024];
const STEPS = 2500;

function disksOn(model: ClusterModel, broker: number): number[] {
  const disks: number[] = [];
  for (let d = 0; d < model.diskCount; d++) if (model.diskBroker[d] === broker) disks.push(d);
  return disks;
}

// Applies one random operation; an invalid one must throw the expected error and change nothing.
function randomStep(model: ClusterModel, random: () => number): void {
  const replica = randomInt(random, model.replicaCount);
  const partition = model.replicaPartition[replica]!;
  const op = randomInt(random, 4);
  const mark = model.mark();
  if (op === 0) {
    const broker = randomInt(random, model.brokerCount);
    const disks = disksOn(model, broker);
    const wrongDisk = random() < 0.05 && model.diskCount > disks.length;
    const disk = wrongDisk
      ? [...Array(model.diskCount).keys()].find((d) => model.diskBroker[d] !== broker)!
      : disks.length > 0 && random() < 0.7
        ? disks[randomInt(random, disks.length)]!
        : -1;
    if (wrongDisk) {
      expect(() => model.moveReplica(replica, broker, disk)).toThrow(DiskNotOnBrokerError);
    } else if (model.replicaOnBroker(partition, broker) !== -1) {
      expect(() => model.moveReplica(replica, broker, disk)).toThrow(DuplicateReplicaError);
    } else {
      model.moveReplica(replica, broker, disk);
      expect(model.replicaBroker[replica]).toBe(broker);
      return;
    }
  } else if (op === 1) {
    const disks = disksOn(model, model.replicaBroker[replica]!);
    if (disks.length === 0) return;
    model.moveReplicaToDisk(replica, disks[randomInt(random, disks.length)]!);
    return;
  } else if (op === 2) {
    const other = randomInt(random, model.replicaCount);
    const otherPartition = model.replicaPartition[other]!;
    const brokerA = model.replicaBroker[replica]!;
    const brokerB = model.replicaBroker[other]!;
    if (otherPartition === partition || brokerA === brokerB) {
      expect(() => model.swapReplicas(replica, other)).toThrow(InvalidModelOperationError);
    } else if (
      model.replicaOnBroker(partition, brokerB) !== -1 ||
      model.replicaOnBroker(otherPartition, brokerA) !== -1
    ) {
      expect(() => model.swapReplicas(replica, other)).toThrow(DuplicateReplicaError);
    } else {
      model.swapReplicas(replica, other);
      expect([model.replicaBroker[replica], model.replicaBroker[other]]).toEqual([brokerB, brokerA]);
      return;
    }
  } else {
    model.moveLeadership(partition, replica);
    expect(model.partitionLeader[partition]).toBe(replica);
    return;
  }
  expect(model.mark()).toBe(mark);
}

describe('ClusterModel (seeded random operations)', () => {
  for (const seed of SEEDS) {
    it(`keeps every invariant through ${STEPS} random steps with undos (seed ${seed})`, () => {
      const random = mulberry32(seed * 31 + 1);
      const model = randomModel(seed, { brokers: 6 + (seed % 5), partitions: 50 + (seed % 40) });
      expectInvariants(model);
      const original = snapshotOf(model);
      const marks: { mark: number; state: ReturnType<typeof snapshotOf> }[] = [];
      let clone: { model: ClusterModel; state: ReturnType<typeof snapshotOf> } | undefined;
      for (let step = 0; step < STEPS; step++) {
        const roll = random();
        if (roll < 0.05) {
          marks.push({ mark: model.mark(), state: snapshotOf(model) });
        } else if (roll < 0.09 && marks.length > 0) {
          // Undo to a random earlier mark; later marks become invalid.
          const at = randomInt(random, marks.length);
          const target = marks[at]!;
          model.undoTo(target.mark);
          expectState(model, target.state);
          marks.length = at;
        } else if (roll < 0.1) {
          clone = { model: model.clone(), state: snapshotOf(model) };
          expectState(clone.model, clone.state);
        } else {
          randomStep(model, random);
        }
        expectInvariants(model);
        if (clone && step % 50 === 0) {
          // The clone sees none of the original's later operations, and vice versa.
          expectState(clone.model, clone.state);
          randomStep(clone.model, random);
          expectInvariants(clone.model);
          clone.state = snapshotOf(clone.model);
        }
      }
      // The diff names exactly the partitions that moved, and undoTo(0) restores the original.
      const changed = new Set(model.diff().map((p) => p.partition));
      for (let p = 0; p < model.partitionCount; p++) {
        let differs = model.partitionLeader[p] !== model.originalLeader[p];
        for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
          differs ||=
            model.replicaBroker[r] !== model.originalBroker[r] || model.replicaDisk[r] !== model.originalDisk[r];
        }
        expect(changed.has(p), `partition ${p} in diff`).toBe(differs);
      }
      model.undoTo(0);
      expectState(model, original);
      expect(Array.from(model.replicaBroker)).toEqual(Array.from(model.originalBroker));
      expect(Array.from(model.replicaDisk)).toEqual(Array.from(model.originalDisk));
      expect(Array.from(model.partitionLeader)).toEqual(Array.from(model.originalLeader));
      expect(model.diff()).toEqual([]);
      const resynced = snapshotOf(model);
      model.resyncAggregates();
      expectState(model, resynced);
    });
  }
});
