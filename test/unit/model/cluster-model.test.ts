// ClusterModel on a hand-built cluster: aggregates, each operation, undo, clone, diff, refusals.
import { describe, expect, it } from 'vitest';
import {
  BrokerState,
  ClusterModel,
  DiskNotOnBrokerError,
  DuplicateReplicaError,
  InvalidModelOperationError,
  ModelBuildError,
  ModelBuilder,
  Resource,
} from '../../../src/model/index.js';
import { expectInvariants, expectState, snapshotOf } from '../../support/model-invariants.js';

// Racks a (brokers 101, 102) and b (103). Broker 101 has disks /d1 and /d2, 103 has /d1.
// orders-0: replicas 101:/d1 (leader), 102. orders-1: replicas 102 (leader), 103:/d1.
function fixture(): ClusterModel {
  const builder = new ModelBuilder();
  builder.addBroker({ kafkaId: 101, rack: 'a', capacity: [100, 1000, 1000, 10_000] });
  builder.addBroker({
    kafkaId: 102,
    rack: 'a',
    capacity: [100, 1000, 1000, 10_000],
    state: BrokerState.ALIVE | BrokerState.NEW,
  });
  builder.addBroker({ kafkaId: 103, rack: 'b', capacity: [0, 1000, 1000, 10_000] });
  builder.addDisk({ broker: 101, path: '/d1', capacityMb: 5000 });
  builder.addDisk({ broker: 101, path: '/d2', capacityMb: 5000 });
  builder.addDisk({ broker: 103, path: '/d1', capacityMb: 10_000, alive: false });
  builder.addPartition({
    topic: 'orders',
    partition: 0,
    replicas: [{ broker: 101, disk: '/d1' }, { broker: 102 }],
    leaderIndex: 0,
    leaderLoad: [10, 100, 300, 1000],
    followerLoad: [4, 100, 0, 1000],
  });
  builder.addPartition({
    topic: 'orders',
    partition: 1,
    replicas: [{ broker: 102 }, { broker: 103, disk: '/d1' }],
    leaderIndex: 0,
    leaderLoad: [20, 200, 600, 2000],
    followerLoad: [8, 200, 0, 2000],
  });
  return builder.build();
}

describe('ClusterModel (hand-built fixture)', () => {
  it('indexes brokers, disks and partitions and sums the loads by role', () => {
    const model = fixture();
    expect([model.rackCount, model.brokerCount, model.diskCount, model.partitionCount, model.replicaCount]).toEqual([
      2, 3, 3, 2, 4,
    ]);
    expect(model.brokerIndex(103)).toBe(2);
    expect(model.brokerIndex(999)).toBe(-1);
    expect(model.brokerKafkaId(1)).toBe(102);
    expect(model.brokerHas(1, BrokerState.NEW)).toBe(true);
    expect(model.brokerHas(0, BrokerState.NEW)).toBe(false);
    expect(Array.from(model.partitionReplicaStart)).toEqual([0, 2, 4]);
    expect(Array.from(model.diskAlive)).toEqual([1, 1, 0]);
    // Broker 102: follower of orders-0 + leader of orders-1.
    expect(Array.from(model.brokerLoad.subarray(4, 8))).toEqual([24, 300, 600, 3000]);
    expect(Array.from(model.rackLoad.subarray(0, 4))).toEqual([34, 400, 900, 4000]);
    expect(Array.from(model.diskLoadMb)).toEqual([1000, 0, 2000]);
    expect(Array.from(model.brokerReplicaCount)).toEqual([1, 2, 1]);
    expect(Array.from(model.brokerLeaderCount)).toEqual([1, 1, 0]);
    expect(model.brokerUtilization(1, Resource.CPU)).toBeCloseTo(0.24);
    expect(model.brokerUtilization(2, Resource.CPU)).toBe(Infinity);
    expect(model.replicaLoad(0, Resource.NW_OUT)).toBe(300);
    expect(model.isLeader(3)).toBe(false);
    expect(model.diff()).toEqual([]);
    expectInvariants(model);
  });

  it('moves a leader replica with its leader load, then undoes it', () => {
    const model = fixture();
    const before = snapshotOf(model);
    const mark = model.mark();
    model.moveReplica(0, 2); // orders-0 leader from 101:/d1 to 103 (disk unknown)
    expect(Array.from(model.brokerLoad.subarray(8, 12))).toEqual([18, 300, 300, 3000]);
    expect(Array.from(model.diskLoadMb)).toEqual([0, 0, 2000]);
    expect(Array.from(model.brokerLeaderCount)).toEqual([0, 1, 1]);
    expect(Array.from(model.rackLoad.subarray(4, 8))).toEqual([18, 300, 300, 3000]);
    expectInvariants(model);
    expect(model.diff()).toEqual([
      {
        partition: 0,
        topic: 'orders',
        partitionNumber: 0,
        oldReplicas: [101, 102],
        newReplicas: [103, 102],
        oldLogDirs: ['/d1', null],
        newLogDirs: [null, null],
        oldLeader: 101,
        newLeader: 103,
      },
    ]);
    model.undoTo(mark);
    expectState(model, before);
    expect(model.diff()).toEqual([]);
  });

  it('moves within a broker, swaps, moves leadership and undoes all at once', () => {
    const model = fixture();
    const before = snapshotOf(model);
    model.moveReplicaToDisk(0, 1);
    expect(Array.from(model.diskLoadMb)).toEqual([0, 1000, 2000]);
    model.moveReplicaToDisk(0, 1); // already there: no journal entry
    expect(model.mark()).toBe(1);
    model.moveLeadership(1, 3); // orders-1 leader 102 -> 103
    expect(Array.from(model.brokerLeaderCount)).toEqual([1, 0, 1]);
    expect(model.brokerLoad[2 * 4 + Resource.CPU]).toBe(20);
    model.swapReplicas(0, 3); // 101:/d2 <-> 103:/d1
    expect(Array.from(model.replicaBroker)).toEqual([2, 1, 1, 0]);
    expect(Array.from(model.replicaDisk)).toEqual([2, -1, -1, 1]);
    expectInvariants(model);
    expect(model.diff().map((p) => [p.partition, p.newLeader])).toEqual([
      [0, 103],
      [1, 101],
    ]);
    model.undoTo(0);
    expectState(model, before);
    expect(model.mark()).toBe(0);
  });

  it('clones independently', () => {
    const model = fixture();
    model.moveLeadership(0, 1);
    const copy = model.clone();
    const original = snapshotOf(model);
    copy.moveReplica(0, 2);
    copy.undoTo(0); // the copy's journal carries the original's history
    expectState(model, original);
    expect(copy.partitionLeader[0]).toBe(0);
    expect(model.partitionLeader[0]).toBe(1);
    expect(copy.tables).toBe(model.tables);
  });

  it('refuses invalid operations and leaves the model unchanged', () => {
    const model = fixture();
    const before = snapshotOf(model);
    expect(() => model.moveReplica(0, 1)).toThrow(DuplicateReplicaError);
    expect(() => model.moveReplica(0, 0)).toThrow(DuplicateReplicaError);
    expect(() => model.moveReplica(1, 2, 0)).toThrow(DiskNotOnBrokerError);
    expect(() => model.moveReplicaToDisk(1, 0)).toThrow(DiskNotOnBrokerError);
    expect(() => model.swapReplicas(0, 1)).toThrow(InvalidModelOperationError);
    expect(() => model.swapReplicas(1, 2)).toThrow(InvalidModelOperationError);
    expect(() => model.swapReplicas(0, 2)).toThrow(DuplicateReplicaError);
    expect(() => model.moveLeadership(0, 2)).toThrow(InvalidModelOperationError);
    expect(() => model.moveReplica(4, 0)).toThrow(InvalidModelOperationError);
    expect(() => model.moveReplica(0, 3)).toThrow(InvalidModelOperationError);
    expect(() => model.moveReplica(0.5, 2)).toThrow(InvalidModelOperationError);
    expect(() => model.undoTo(1)).toThrow(InvalidModelOperationError);
    expect(() => model.undoTo(-1)).toThrow(InvalidModelOperationError);
    const error = (() => {
      try {
        model.moveReplica(0, 1);
      } catch (caught) {
        return caught as DuplicateReplicaError;
      }
    })();
    expect([error?.code, error?.partition, error?.broker, error?.retryable]).toEqual([
      'MODEL_DUPLICATE_REPLICA',
      0,
      1,
      false,
    ]);
    expect(model.mark()).toBe(0);
    expectState(model, before);
  });
});

describe('ModelBuilder', () => {
  const base = () => {
    const builder = new ModelBuilder();
    builder.addBroker({ kafkaId: 1, rack: 'r', capacity: [1, 1, 1, 1] });
    builder.addBroker({ kafkaId: 2, rack: 'r', capacity: [1, 1, 1, 1] });
    builder.addDisk({ broker: 1, path: '/x', capacityMb: 1 });
    return builder;
  };
  const partition = { topic: 't', partition: 0, leaderIndex: 0, leaderLoad: [1, 1, 1, 1], followerLoad: [1, 1, 1, 1] };

  it('rejects inconsistent input', () => {
    expect(() => base().addBroker({ kafkaId: 1, rack: 'r', capacity: [1, 1, 1, 1] })).toThrow(ModelBuildError);
    expect(() => base().addBroker({ kafkaId: 3, rack: 'r', capacity: [1, 1, 1] })).toThrow(ModelBuildError);
    expect(() => base().addDisk({ broker: 9, path: '/x', capacityMb: 1 })).toThrow(ModelBuildError);
    expect(() => base().addDisk({ broker: 1, path: '/x', capacityMb: 1 })).toThrow(ModelBuildError);
    expect(() => base().addPartition({ ...partition, replicas: [{ broker: 3 }] })).toThrow(ModelBuildError);
    expect(() => base().addPartition({ ...partition, replicas: [{ broker: 1 }, { broker: 1 }] })).toThrow(
      ModelBuildError,
    );
    expect(() => base().addPartition({ ...partition, replicas: [{ broker: 2, disk: '/x' }] })).toThrow(ModelBuildError);
    expect(() => base().addPartition({ ...partition, replicas: [{ broker: 1 }], leaderIndex: 1 })).toThrow(
      ModelBuildError,
    );
    expect(() => base().addPartition({ ...partition, replicas: [{ broker: 1 }], leaderLoad: [1, NaN, 1, 1] })).toThrow(
      ModelBuildError,
    );
    const twice = base();
    twice.addPartition({ ...partition, replicas: [{ broker: 1 }] });
    twice.addPartition({ ...partition, replicas: [{ broker: 2 }] });
    expect(() => twice.build()).toThrow(ModelBuildError);
  });

  it('leaves no trace of a refused partition and keeps offline partitions leaderless', () => {
    const builder = base();
    expect(() => builder.addPartition({ ...partition, replicas: [{ broker: 1 }, { broker: 9 }] })).toThrow(
      ModelBuildError,
    );
    builder.addPartition({ ...partition, replicas: [{ broker: 2 }, { broker: 1, disk: '/x' }], leaderIndex: -1 });
    const model = builder.build();
    expect(model.replicaCount).toBe(2);
    expect(model.partitionLeader[0]).toBe(-1);
    expect(Array.from(model.brokerLeaderCount)).toEqual([0, 0]);
    model.moveLeadership(0, 1);
    expect(Array.from(model.brokerLeaderCount)).toEqual([1, 0]);
    expectInvariants(model);
    model.undoTo(0);
    expect(model.partitionLeader[0]).toBe(-1);
    expectInvariants(model);
  });
});
