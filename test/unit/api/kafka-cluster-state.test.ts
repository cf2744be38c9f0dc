// kafka_cluster_state: broker counts, partition classification and the spec's JSON schema, on
// hand-built snapshots of a 4-broker, 2-rack cluster with one dead broker and one failed log dir.
import { describe, expect, it, vi } from 'vitest';
import { InvalidParameterError } from '../../../src/api/index.js';
import { KafkaClusterStateController } from '../../../src/api/kafka-cluster-state.controller.js';
import { topicPattern } from '../../../src/api/query-params.js';
import { KafkaClusterStateService } from '../../../src/api/kafka-cluster-state.service.js';
import {
  kafkaClusterState,
  kafkaClusterStateText,
  type KafkaClusterState,
  type PartitionState,
} from '../../../src/api/kafka-cluster-state.js';
import type { ClusterSnapshot, LogDirInfo, PartitionInfo, TopicConfigs } from '../../../src/kafka/cluster-snapshot.js';
import type { KafkaGateway, SnapshotOptions } from '../../../src/kafka/kafka.gateway.js';
import { responseValidator } from '../../support/openapi.js';

const validateKafkaClusterState = responseValidator('kafkaClusterState.yaml', 'KafkaClusterState');

function configs(minInsyncReplicas: number | null): TopicConfigs {
  return {
    minInsyncReplicas,
    retentionMs: null,
    retentionBytes: null,
    leaderThrottledReplicas: '',
    followerThrottledReplicas: '',
  };
}

function partition(
  topic: string,
  index: number,
  leader: number,
  replicas: number[],
  isr: number[],
  offlineReplicas: number[] = [],
): PartitionInfo {
  return { topic, partition: index, leader, replicas, isr, offlineReplicas };
}

function logDir(brokerId: number, path: string, failed = false): LogDirInfo {
  return {
    brokerId,
    path,
    failed,
    error: failed ? 'KAFKA_STORAGE_ERROR' : null,
    totalBytes: null,
    usableBytes: null,
    replicas: [],
  };
}

// Brokers 1, 2 in rack a, 3, 4 in rack b; broker 4 is dead; broker 2's /data/b has failed.
function cluster(): ClusterSnapshot {
  const broker = (id: number, rack: string, alive = true) => ({
    id,
    host: alive ? `kafka-${id}` : '',
    port: alive ? 9092 : -1,
    rack,
    alive,
  });
  return {
    takenAtMs: 1_700_000_000_000,
    clusterId: 'test-cluster',
    controllerId: 1,
    brokers: [broker(1, 'a'), broker(2, 'a'), broker(3, 'b'), broker(4, 'b', false)],
    topics: [
      { name: 'healthy', internal: false, configs: configs(2) },
      { name: 'lagging', internal: false, configs: configs(2) },
      { name: 'critical', internal: false, configs: configs(2) },
      { name: 'lost', internal: false, configs: configs(null) },
      { name: 'disk', internal: false, configs: configs(1) },
      { name: 'strict', internal: false, configs: configs(3) },
    ],
    // Deliberately out of order: the lists are sorted by topic, then partition.
    partitions: [
      partition('healthy', 1, 2, [2, 1], [2, 1]),
      partition('healthy', 0, 1, [1, 2, 3], [1, 2, 3]),
      // Broker 1 lags: under-replicated, still at min ISR.
      partition('lagging', 0, 2, [2, 3, 1], [2, 3]),
      // Broker 4 is dead and broker 1 lags: one replica in sync, below min ISR 2.
      partition('critical', 0, 3, [3, 4, 1], [3], [4]),
      // Its only replica is on the dead broker: no leader; Kafka keeps the last replica in the ISR.
      partition('lost', 0, -1, [4], [4], [4]),
      // Broker 2's replica sits on the failed log dir.
      partition('disk', 0, 1, [1, 2], [1], [2]),
      // Fully in sync but min.insync.replicas exceeds the replication factor.
      partition('strict', 0, 3, [3, 1], [3, 1]),
    ],
    logDirs: [logDir(1, '/data/a'), logDir(2, '/data/b', true), logDir(2, '/data/a'), logDir(3, '/data/a')],
    logDirErrors: [],
    brokerConfigErrors: [],
    reassignments: [],
    brokerThrottles: {},
  };
}

const names = (entries: { topic: string; partition: number }[] | undefined) =>
  entries?.map((p) => `${p.topic}-${p.partition}`);

// What an HTTP client receives: plain JSON, nothing TypeScript-only.
const wire = (state: KafkaClusterState): unknown => JSON.parse(JSON.stringify(state));

describe('kafkaClusterState: brokers', () => {
  const state = kafkaClusterState(cluster(), { verbose: false });
  const brokers = state.KafkaBrokerState;

  it('counts leaders, replicas, out-of-sync and offline replicas per broker, dead broker included', () => {
    expect(state.version).toBe(1);
    expect(brokers.LeaderCountByBrokerId).toEqual({ '1': 2, '2': 2, '3': 2, '4': 0 });
    expect(brokers.ReplicaCountByBrokerId).toEqual({ '1': 6, '2': 4, '3': 4, '4': 2 });
    expect(brokers.OutOfSyncCountByBrokerId).toEqual({ '1': 2, '2': 1, '3': 0, '4': 1 });
    expect(brokers.OfflineReplicaCountByBrokerId).toEqual({ '1': 0, '2': 1, '3': 0, '4': 2 });
    expect(brokers.IsController).toEqual({ '1': true, '2': false, '3': false, '4': false });
  });

  it('splits log dirs into online and failed, and marks the dead broker as Cruise Control does', () => {
    expect(brokers.OnlineLogDirsByBrokerId).toEqual({
      '1': ['/data/a'],
      '2': ['/data/a'],
      '3': ['/data/a'],
      '4': ['broker_dead'],
    });
    expect(brokers.OfflineLogDirsByBrokerId).toEqual({ '1': [], '2': ['/data/b'], '3': [], '4': ['broker_dead'] });
    expect(brokers.BrokerSetByBrokerId).toEqual({});
  });

  it('summarises over alive brokers, with integer standard deviations', () => {
    expect(brokers.Summary).toEqual({
      Brokers: 3,
      Topics: 6,
      Replicas: 16,
      Leaders: 6,
      AvgReplicationFactor: 16 / 7,
      AvgReplicasPerBroker: 14 / 3,
      AvgLeadersPerBroker: 2,
      MaxReplicasPerBroker: 6,
      MaxLeadersPerBroker: 2,
      // Replicas 6, 4, 4 on alive brokers: population std 0.94.
      StdReplicasPerBroker: 1,
      StdLeadersPerBroker: 0,
    });
  });

  it('marks a broker whose log dirs could not be read, rather than listing none', () => {
    const snapshot = cluster();
    snapshot.logDirs = snapshot.logDirs.filter((d) => d.brokerId !== 3);
    snapshot.logDirErrors = [{ brokerId: 3, error: 'REQUEST_TIMED_OUT' }];
    const b = kafkaClusterState(snapshot, { verbose: false }).KafkaBrokerState;
    expect(b.OnlineLogDirsByBrokerId['3']).toEqual(['timed_out']);
    expect(b.OfflineLogDirsByBrokerId['3']).toEqual(['timed_out']);
  });

  it('gives zeros, not NaN, for an empty cluster, and still matches the spec', () => {
    const empty: ClusterSnapshot = { ...cluster(), brokers: [], topics: [], partitions: [], logDirs: [] };
    const result = kafkaClusterState(empty, { verbose: true });
    expect(result.KafkaBrokerState.Summary).toMatchObject({
      Brokers: 0,
      Replicas: 0,
      AvgReplicationFactor: 0,
      StdReplicasPerBroker: 0,
    });
    expect(Object.values(result.KafkaBrokerState.Summary).every(Number.isFinite)).toBe(true);
    expect(validateKafkaClusterState(wire(result)), validateKafkaClusterState.errors()).toBe(true);
  });
});

describe('kafkaClusterState: partitions', () => {
  it('classifies each partition into every list whose condition it meets, sorted by topic then partition', () => {
    const partitions = kafkaClusterState(cluster(), { verbose: false }).KafkaPartitionState;
    expect(names(partitions.offline)).toEqual(['lost-0']);
    expect(names(partitions.urp)).toEqual(['critical-0', 'disk-0', 'lagging-0']);
    expect(names(partitions['under-min-isr'])).toEqual(['critical-0', 'strict-0']);
    expect(names(partitions['with-offline-replicas'])).toEqual(['critical-0', 'disk-0', 'lost-0']);
    expect(partitions.other).toBeUndefined();
    expect(Object.keys(partitions).sort()).toEqual(['offline', 'under-min-isr', 'urp', 'with-offline-replicas']);
  });

  it('describes a partition as the spec does, with its topic min ISR or the default', () => {
    const partitions = kafkaClusterState(cluster(), { verbose: false }, 1).KafkaPartitionState;
    expect(partitions['under-min-isr'][0]).toEqual({
      topic: 'critical',
      partition: 0,
      leader: 3,
      replicas: [3, 4, 1],
      'in-sync': [3],
      'out-of-sync': [4, 1],
      offline: [4],
      'min-isr': 2,
    });
    expect(partitions.offline[0]).toMatchObject({ leader: -1, 'out-of-sync': [], offline: [4], 'min-isr': 1 });
    // A higher broker default applies to topics without their own min.insync.replicas only.
    const stricter = kafkaClusterState(cluster(), { verbose: false }, 2).KafkaPartitionState;
    expect(stricter.offline[0]!['min-isr']).toBe(2);
    expect(names(stricter['under-min-isr'])).toEqual(['critical-0', 'lost-0', 'strict-0']);
  });

  it('adds the healthy partitions as `other` when verbose, changing no other list', () => {
    const plain = kafkaClusterState(cluster(), { verbose: false }).KafkaPartitionState;
    const verbose = kafkaClusterState(cluster(), { verbose: true }).KafkaPartitionState;
    expect(names(verbose.other)).toEqual(['healthy-0', 'healthy-1']);
    expect({ ...verbose, other: undefined }).toEqual({ ...plain, other: undefined });
  });

  it('counts a partition with no leader as offline even when Kafka left a replica in its ISR', () => {
    const snapshot = cluster();
    snapshot.partitions = [partition('lost', 0, -1, [4, 3], [4], [4])];
    const partitions = kafkaClusterState(snapshot, { verbose: false }).KafkaPartitionState;
    expect(names(partitions.offline)).toEqual(['lost-0']);
    expect(partitions.urp).toEqual([]);
  });
});

describe('kafkaClusterState: the spec schema', () => {
  it('validates against responses/kafkaClusterState.yaml, verbose or not', () => {
    for (const verbose of [false, true]) {
      const document = wire(kafkaClusterState(cluster(), { verbose }));
      expect(validateKafkaClusterState(document), validateKafkaClusterState.errors()).toBe(true);
    }
  });

  it('rejects documents that break the schema, so the checks above can fail', () => {
    const document = kafkaClusterState(cluster(), { verbose: false });
    const { KafkaBrokerState: _dropped, ...withoutBrokers } = document;
    expect(validateKafkaClusterState(wire(withoutBrokers as KafkaClusterState))).toBe(false);
    expect(validateKafkaClusterState.errors()).toMatch(/KafkaBrokerState/);

    // The unrounded deviation Cruise Control sends is not an integer, as the spec demands.
    const unrounded = structuredClone(document);
    unrounded.KafkaBrokerState.Summary.StdReplicasPerBroker = 0.94;
    expect(validateKafkaClusterState(wire(unrounded))).toBe(false);

    const badEntry = structuredClone(document);
    delete (badEntry.KafkaPartitionState.urp[0] as Partial<PartitionState>)['min-isr'];
    expect(validateKafkaClusterState(wire(badEntry))).toBe(false);
    expect(validateKafkaClusterState.errors()).toMatch(/min-isr/);
  });
});

describe('kafkaClusterStateText', () => {
  it('renders the summary, one row per broker and the listed partitions', () => {
    const text = kafkaClusterStateText(kafkaClusterState(cluster(), { verbose: true }));
    expect(text).toMatch(/^Summary: 3 alive brokers, 6 topics, 16 replicas, 6 leaders, avg replication factor 2\.29\./);
    expect(text).toMatch(/^ {2}BROKER +LEADERS +REPLICAS +OUT-OF-SYNC +OFFLINE +CONTROLLER +ONLINE-LOGDIRS/m);
    expect(text).toMatch(/^ {2}2 +2 +4 +1 +1 +false +\[\/data\/a\] +\[\/data\/b\]$/m);
    expect(text).toMatch(/^ {2}4 +0 +2 +1 +2 +false +\[broker_dead\] +\[broker_dead\]$/m);
    expect(text).toContain('Offline partitions (1):');
    expect(text).toMatch(/^ {2}lost +0 +-1 +\[4\] +\[4\] +\[\] +\[4\] +1$/m);
    expect(text).toContain('Under-replicated partitions (3):');
    expect(text).toContain('Other (healthy) partitions (2):');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('leaves out `other` when not verbose', () => {
    expect(kafkaClusterStateText(kafkaClusterState(cluster(), { verbose: false }))).not.toContain('Other');
  });
});

describe('GET /kafkacruisecontrol/kafka_cluster_state', () => {
  function controller(): { controller: KafkaClusterStateController; calls: SnapshotOptions[] } {
    const calls: SnapshotOptions[] = [];
    const gateway = {
      snapshot: (options: SnapshotOptions = {}) => {
        calls.push(options);
        return Promise.resolve(cluster());
      },
    } as unknown as KafkaGateway;
    return { controller: new KafkaClusterStateController(new KafkaClusterStateService(gateway)), calls };
  }

  it('answers JSON with json=true and plain text otherwise, passing the anchored topic regex', async () => {
    const { controller: c, calls } = controller();
    const response = { type: vi.fn() };
    const json = await c.kafkaClusterState({ json: 'true', topic: 'lag.*', verbose: 'true' }, response as never);
    expect(validateKafkaClusterState(wire(json as KafkaClusterState))).toBe(true);
    expect(response.type).not.toHaveBeenCalled();
    // As in Cruise Control, the pattern narrows the partition lists; broker state stays cluster-wide.
    expect(calls[0]!.topicPattern).toBeUndefined();
    const state = json as KafkaClusterState;
    const listed: PartitionState[] = Object.values(state.KafkaPartitionState).flat();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p) => p.topic.startsWith('lag'))).toBe(true);
    const unfiltered = kafkaClusterState(cluster(), { verbose: true });
    expect(state.KafkaBrokerState).toEqual(unfiltered.KafkaBrokerState);
    expect(Object.values(unfiltered.KafkaPartitionState).flat().length).toBeGreaterThan(listed.length);

    const text = await c.kafkaClusterState({ doAs: 'someone', reason: 'check' }, response as never);
    expect(typeof text).toBe('string');
    expect(response.type).toHaveBeenCalledWith('text/plain');
  });

  it('rejects an invalid topic regex and unknown parameters, naming them', async () => {
    const { controller: c, calls } = controller();
    await expect(c.kafkaClusterState({ topic: 'a(' }, { type: vi.fn() } as never)).rejects.toMatchObject({
      parameter: 'topic',
    });
    await expect(c.kafkaClusterState({ topics: 'a' }, { type: vi.fn() } as never)).rejects.toBeInstanceOf(
      InvalidParameterError,
    );
    expect(calls).toEqual([]);
  });

  it('matches whole topic names, as Cruise Control does', () => {
    const pattern = topicPattern('lag|disk')!;
    expect(['lagging', 'lag', 'disk', 'diskette'].filter((t) => pattern.test(t))).toEqual(['lag', 'disk']);
    expect(topicPattern('')).toBeUndefined();
    expect(() => topicPattern('[')).toThrow(InvalidParameterError);
  });
});
