// A broker still registered but not answering (stopped process, partial partition) leaves only its
// own data out of a snapshot, reported missing, over a fake kafkajs cluster where broker 2 never answers.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { KafkaUnavailableError } from '../../../src/kafka/index.js';
import { KafkaClient, type KafkajsBroker, type KafkajsCluster } from '../../../src/kafka/kafka-client.js';
import { readSnapshot, readSummary, readTopicConfigs } from '../../../src/kafka/snapshot-reader.js';
import type { DescribeLogDirsResult } from '../../../src/kafka/protocol/describe-log-dirs.js';
import type { MetadataResponse } from '../../../src/kafka/protocol/index.js';

const IDS = [0, 1, 2, 3];
const SILENT = 2;
const never = <T>() => new Promise<T>(() => undefined);

/** Every request each broker was sent, by API name. */
type Sent = { brokerId: number; api: string }[];

function fakeCluster(sent: Sent, controllerId = SILENT): KafkajsCluster {
  const metadata: MetadataResponse = {
    clusterId: 'fake',
    controllerId,
    brokers: IDS.map((id) => ({ nodeId: id, host: `b${id}`, port: 9092, rack: null })),
    topicMetadata: [
      {
        topicErrorCode: 0,
        topic: 't',
        isInternal: false,
        partitionMetadata: [
          { partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] },
        ],
      },
    ],
  };
  const logDirs = (id: number): DescribeLogDirsResult => ({
    errorCode: 0,
    logDirs: [
      {
        errorCode: 0,
        path: `/data/${id}`,
        totalBytes: 1_000,
        usableBytes: 500,
        topics:
          id === 1 ? [{ name: 't', partitions: [{ partition: 0, sizeBytes: 10, offsetLag: 0, isFuture: false }] }] : [],
      },
    ],
  });
  const broker = (id: number): KafkajsBroker => {
    const answer = <T>(api: string, value: () => T): Promise<T> => {
      sent.push({ brokerId: id, api });
      return id === SILENT ? never() : Promise.resolve(value());
    };
    return {
      nodeId: id,
      versions: null,
      connectionPool: {
        send: <T>(request: { request: { apiKey: number } }): Promise<T> => {
          const isMetadata = request.request.apiKey === 3;
          const response: unknown = isMetadata ? metadata : logDirs(id);
          return answer(isMetadata ? 'Metadata' : 'DescribeLogDirs', () => response as T);
        },
      },
      describeConfigs: ({ resources }) =>
        answer('DescribeConfigs', () => ({
          resources: resources.map((r) => ({
            errorCode: 0,
            resourceType: r.type,
            resourceName: r.name,
            configEntries:
              r.type === 2
                ? [{ configName: 'min.insync.replicas', configValue: '2' }]
                : [{ configName: 'leader.replication.throttled.rate', configValue: '1000', configSource: 2 }],
          })),
        })),
      listPartitionReassignments: () => answer('ListPartitionReassignments', () => ({ topics: [] })),
    };
  };
  const brokers = new Map(IDS.map((id) => [id, broker(id)]));
  return {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    // kafkajs refreshes from a random connected broker: it may be the silent one.
    refreshMetadata: () => never<void>(),
    findBroker: ({ nodeId }) => Promise.resolve(brokers.get(Number(nodeId))!),
    findControllerBroker: () => Promise.resolve(brokers.get(controllerId)!),
    brokerPool: { getNodeIds: () => IDS.map(String), metadata: { controllerId } },
  };
}

function client(sent: Sent, controllerId?: number): KafkaClient {
  const { kafka } = loadConfig(
    {},
    { kafka: { bootstrapServers: ['b0:9092'], requestTimeoutMs: 600_000, brokerTimeoutMs: 100 } },
  );
  return new KafkaClient(
    kafka,
    () => () => undefined,
    () => fakeCluster(sent, controllerId),
  );
}

describe('a registered broker that never answers', () => {
  it('leaves only its own log dirs and throttles out of the snapshot, reported missing', async () => {
    const s = await readSnapshot(client([]));
    expect(s.brokers.map((b) => [b.id, b.alive])).toEqual(IDS.map((id) => [id, true]));
    expect(s.partitions.map((p) => [p.topic, p.replicas])).toEqual([['t', [1, 2]]]);
    expect(s.logDirs.map((d) => d.brokerId)).toEqual([0, 1, 3]);
    expect(s.logDirs.find((d) => d.brokerId === 1)!.replicas).toEqual([
      { topic: 't', partition: 0, sizeBytes: 10, offsetLag: 0, isFuture: false },
    ]);
    expect(s.logDirErrors).toEqual([{ brokerId: SILENT, error: expect.stringContaining('no answer within') }]);
    expect(Object.keys(s.brokerThrottles).map(Number)).toEqual([0, 1, 3]);
    expect(s.brokerThrottles[0]!.leaderReplicationThrottledRate).toBe(1_000);
    expect(s.brokerConfigErrors).toEqual([{ brokerId: SILENT, error: expect.stringContaining('no answer within') }]);
    // Topic configs and reassignments come from another broker when the named controller is silent.
    expect(s.topics[0]!.configs.minInsyncReplicas).toBe(2);
    expect(s.reassignments).toEqual([]);
  });

  it('costs a snapshot one wait: the reads any broker answers skip it once it has not answered', async () => {
    const sent: Sent = [];
    const kafka = client(sent);
    await readSnapshot(kafka);
    sent.length = 0;
    await readSnapshot(kafka);
    expect(sent.filter((r) => r.brokerId === SILENT).map((r) => r.api)).toEqual(['DescribeLogDirs', 'DescribeConfigs']);
  });

  it('asks the named controller first while it answers', async () => {
    const sent: Sent = [];
    await readSnapshot(client(sent, 3));
    expect(sent.find((r) => r.api === 'Metadata')).toEqual({ brokerId: 3, api: 'Metadata' });
  });

  it('does not hold up the cluster summary, and its own configs fail within the broker timeout', async () => {
    const kafka = client([]);
    expect((await readSummary(kafka)).brokers.map((b) => b.id)).toEqual(IDS);
    await expect(readTopicConfigs(kafka, ['t'], SILENT)).rejects.toBeInstanceOf(KafkaUnavailableError);
    expect((await readTopicConfigs(kafka, ['t'], 1)).get('t')!.minInsyncReplicas).toBe(2);
  });
});
