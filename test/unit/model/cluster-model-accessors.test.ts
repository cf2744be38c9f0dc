// ClusterModel's layout accessors (names, replica ranges, loads by resource, disks) and the state
// writes (dead brokers and disks, broker flags), on a hand-built cluster and a synthetic one.
import { describe, expect, it } from 'vitest';
import { topicPartitionName } from '../../../src/common/pure.js';
import {
  BrokerState,
  type ClusterModel,
  generateSyntheticModel,
  InvalidModelOperationError,
  ModelBuilder,
  RESOURCE_COUNT,
  Resource,
} from '../../../src/model/index.js';

// Brokers 101 (rack a, disks /d1 and /d2) and 102 (rack b, disk /d1, offline).
// orders-0: replicas 101:/d1 (leader), 102:/d1. payments-3: replicas 102:/d1 (leader), 101:/d2, no leader load on disk.
function fixture(): ClusterModel {
  const builder = new ModelBuilder();
  builder.addBroker({ kafkaId: 101, rack: 'a', capacity: [100, 1000, 2000, 10_000] });
  builder.addBroker({ kafkaId: 102, rack: 'b', capacity: [50, 500, 700, 20_000] });
  builder.addDisk({ broker: 101, path: '/d1', capacityMb: 5000 });
  builder.addDisk({ broker: 101, path: '/d2', capacityMb: 5000 });
  builder.addDisk({ broker: 102, path: '/d1', capacityMb: 20_000, alive: false });
  builder.addPartition({
    topic: 'orders',
    partition: 0,
    replicas: [
      { broker: 101, disk: '/d1' },
      { broker: 102, disk: '/d1' },
    ],
    leaderIndex: 0,
    leaderLoad: [10, 100, 300, 1000],
    followerLoad: [4, 100, 0, 1000],
  });
  builder.addPartition({
    topic: 'payments',
    partition: 3,
    replicas: [
      { broker: 102, disk: '/d1' },
      { broker: 101, disk: '/d2' },
    ],
    leaderIndex: 0,
    leaderLoad: [20, 200, 600, 2000],
    followerLoad: [8, 200, 0, 2000],
  });
  return builder.build();
}

describe('ClusterModel accessors (hand-built fixture)', () => {
  it('names topics and partitions as Kafka does', () => {
    const model = fixture();
    expect(model.topicIndex('payments')).toBe(1);
    expect(model.topicIndex('nope')).toBe(-1);
    expect(model.topicNameOf(0)).toBe('orders');
    expect(model.topicNameOf(1)).toBe('payments');
    expect(model.partitionName(0)).toBe('orders-0');
    // The Kafka partition number, not the model's partition index.
    expect(model.partitionName(1)).toBe('payments-3');
    expect(topicPartitionName('payments', 3)).toBe('payments-3');
  });

  it('gives each partition its replica range, preferred replica first', () => {
    const model = fixture();
    expect([model.replicaStart(0), model.replicaEnd(0), model.replicationFactor(0)]).toEqual([0, 2, 2]);
    expect([model.replicaStart(1), model.replicaEnd(1), model.replicationFactor(1)]).toEqual([2, 4, 2]);
    expect(model.brokerKafkaId(model.replicaBroker[model.replicaStart(1)]!)).toBe(102);
  });

  it('reads partition loads by role and the partition size from the follower load', () => {
    const model = fixture();
    expect(model.partitionSizeMb(0)).toBe(1000);
    expect(model.partitionSizeMb(1)).toBe(2000);
    expect(model.leaderLoadOf(1, Resource.NW_OUT)).toBe(600);
    expect(model.followerLoadOf(1, Resource.NW_OUT)).toBe(0);
    expect(model.followerLoadOf(0, Resource.CPU)).toBe(4);
  });

  it('reads broker capacities and follows broker loads through moves and undo', () => {
    const model = fixture();
    expect(model.brokerCapacityOf(1, Resource.NW_OUT)).toBe(700);
    expect(model.brokerCapacityOf(0, Resource.DISK)).toBe(10_000);
    // Broker 101 leads orders-0 and follows payments-3.
    expect(model.brokerLoadOf(0, Resource.CPU)).toBe(10 + 8);
    expect(model.brokerLoadOf(1, Resource.NW_OUT)).toBe(0 + 600);
    const mark = model.mark();
    model.moveLeadership(1, 3);
    expect(model.brokerLoadOf(0, Resource.NW_OUT)).toBe(300 + 600);
    expect(model.brokerLoadOf(1, Resource.NW_OUT)).toBe(0);
    model.undoTo(mark);
    expect(model.brokerLoadOf(0, Resource.NW_OUT)).toBe(300);
  });

  it('finds disks by broker and path, and knows which are alive', () => {
    const model = fixture();
    expect(model.diskIndex(0, '/d2')).toBe(1);
    expect(model.diskIndex(1, '/d1')).toBe(2);
    expect(model.diskIndex(1, '/d2')).toBe(-1);
    expect(model.diskIndex(7, '/d1')).toBe(-1);
    expect(model.diskPath(1)).toBe('/d2');
    expect([model.isDiskAlive(0), model.isDiskAlive(2)]).toEqual([true, false]);
  });
});

describe('ClusterModel state writes', () => {
  it('marks a broker dead, keeping its other flags, its replicas and every load', () => {
    const model = fixture();
    model.setBrokerFlag(0, BrokerState.NEW);
    const loads = model.brokerLoad.slice();
    model.markBrokerDead(0);
    expect(model.brokerHas(0, BrokerState.ALIVE)).toBe(false);
    expect(model.brokerHas(0, BrokerState.NEW)).toBe(true);
    expect(model.brokerHas(1, BrokerState.ALIVE)).toBe(true);
    expect(model.brokerReplicaCount[0]).toBe(2);
    expect(Array.from(model.brokerLoad)).toEqual(Array.from(loads));
  });

  it('ORs broker flags in and keeps them through undo, since they are not journaled', () => {
    const model = fixture();
    const mark = model.mark();
    model.setBrokerFlag(1, BrokerState.EXCLUDED_FOR_LEADERSHIP);
    model.setBrokerFlag(1, BrokerState.EXCLUDED_FOR_REPLICA_MOVE);
    expect(model.brokerState[1]).toBe(
      BrokerState.ALIVE | BrokerState.EXCLUDED_FOR_LEADERSHIP | BrokerState.EXCLUDED_FOR_REPLICA_MOVE,
    );
    expect(model.mark()).toBe(mark);
    model.undoTo(mark);
    expect(model.brokerHas(1, BrokerState.EXCLUDED_FOR_LEADERSHIP)).toBe(true);
  });

  it('marks a disk dead without moving its replicas or their load', () => {
    const model = fixture();
    model.markDiskDead(1);
    expect(model.isDiskAlive(1)).toBe(false);
    expect(model.isDiskAlive(0)).toBe(true);
    expect(model.replicaDisk[3]).toBe(1);
    expect(model.diskLoadMb[1]).toBe(2000);
  });

  it('writes to a clone leave the original as it was', () => {
    const model = fixture();
    const copy = model.clone();
    copy.markBrokerDead(0);
    copy.markDiskDead(0);
    copy.setBrokerFlag(1, BrokerState.DEMOTED);
    expect(model.brokerHas(0, BrokerState.ALIVE)).toBe(true);
    expect(model.isDiskAlive(0)).toBe(true);
    expect(model.brokerHas(1, BrokerState.DEMOTED)).toBe(false);
  });

  it('refuses indices out of range', () => {
    const model = fixture();
    expect(() => model.markBrokerDead(2)).toThrow(InvalidModelOperationError);
    expect(() => model.setBrokerFlag(-1, BrokerState.NEW)).toThrow(InvalidModelOperationError);
    expect(() => model.markDiskDead(3)).toThrow(InvalidModelOperationError);
  });
});

describe('ClusterModel accessors (synthetic cluster)', () => {
  it('agree with the documented array layout for every broker, partition and resource', () => {
    const model = generateSyntheticModel({ seed: 5, brokers: 5, partitions: 60 });
    const R = RESOURCE_COUNT;
    const resources = [Resource.CPU, Resource.NW_IN, Resource.NW_OUT, Resource.DISK];
    for (let b = 0; b < model.brokerCount; b++) {
      for (const k of resources) {
        expect(model.brokerLoadOf(b, k)).toBe(model.brokerLoad[b * R + k]);
        expect(model.brokerCapacityOf(b, k)).toBe(model.brokerCapacity[b * R + k]);
      }
    }
    for (let p = 0; p < model.partitionCount; p++) {
      for (const k of resources) {
        expect(model.leaderLoadOf(p, k)).toBe(model.leaderLoad[p * R + k]);
        expect(model.followerLoadOf(p, k)).toBe(model.followerLoad[p * R + k]);
      }
      expect(model.partitionSizeMb(p)).toBe(model.followerLoad[p * R + Resource.DISK]);
      expect(model.replicaEnd(p) - model.replicaStart(p)).toBe(model.replicationFactor(p));
      for (let r = model.replicaStart(p); r < model.replicaEnd(p); r++) expect(model.replicaPartition[r]).toBe(p);
      const topic = model.topicNameOf(p);
      expect(model.topicIndex(topic)).toBe(model.partitionTopic[p]);
      expect(model.partitionName(p)).toBe(`${topic}-${model.partitionNumber[p]}`);
    }
    for (let d = 0; d < model.diskCount; d++) {
      expect(model.diskIndex(model.diskBroker[d]!, model.diskPath(d))).toBe(d);
    }
  });
});
