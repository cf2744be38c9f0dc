// Ballast boots against a real KRaft cluster and a real Redis: health, readiness (and its loss),
// Prometheus metrics and Cruise Control's state endpoint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaClusterState } from '../../src/api/kafka-cluster-state.js';
import type { CruiseControlState } from '../../src/api/state.service.js';
import type { RunningApp } from '../../src/app.js';
import { KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { responseValidator } from '../support/openapi.js';
import { startBallast } from '../support/ballast.js';

const clusterStateSchema = responseValidator('kafkaClusterState.yaml', 'KafkaClusterState');
const stateSchema = responseValidator('cruiseControlState.yaml', 'CruiseControlState');

describe('Ballast against a sandbox cluster', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([KafkaSandbox.start({ brokers: 3 }), RedisSandbox.start({ useEnv: false })]);
    await kafka.createTopic('orders', {
      assignment: [
        [0, 1],
        [0, 2],
        [0, 1],
        [1, 2],
        [0, 2],
      ],
    });
    ballast = await startBallast(kafka.bootstrapServers, redis.url);
  });

  afterAll(async () => {
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  const get = (path: string) => fetch(`${ballast.url}${path}`);
  // Response bodies are checked field by field below; their static type adds nothing here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (response: Response): Promise<any> => response.json();

  it('GET /health answers 200', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: 'ok' });
  });

  it('GET /ready says ready, with the brokers Kafka reports and Redis answering', async () => {
    const response = await get('/ready');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.status).toBe('ready');
    expect(body.checks.kafka).toMatchObject({ ok: true, brokers: 3 });
    expect(body.checks.kafka.clusterId).toBe(kafka.describe().clusterId);
    expect(body.checks.redis).toMatchObject({ ok: true });
  });

  it('GET /kafkacruisecontrol/state?json=true answers in Cruise Control shape with the real partition count', async () => {
    // The first sampling round runs at start-up; the default (admin) sampler needs two to measure a rate.
    const body = await waitFor('the first sampling round', async () => {
      const response = await get('/kafkacruisecontrol/state?json=true');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const state = (await json(response)) as CruiseControlState;
      return state.MonitorState?.lastSampling ? state : undefined;
    });
    const { topics } = await (await kafka.admin()).fetchTopicMetadata();
    const partitions = topics.reduce((sum, t) => sum + t.partitions.length, 0);
    expect(partitions).toBeGreaterThanOrEqual(5);
    expect(stateSchema(body), stateSchema.errors()).toBe(true);
    expect(body).toMatchObject({
      version: 1,
      MonitorState: {
        state: 'RUNNING',
        sampler: 'admin',
        numTotalPartitions: partitions,
        numValidPartitions: 0,
        ready: false,
        lastSampling: { points: 0, samplesAccepted: 0 },
      },
      ExecutorState: { state: 'NO_TASK_IN_PROGRESS' },
      AnalyzerState: { isProposalReady: false, readyGoals: [] },
      AnomalyDetectorState: {
        selfHealingEnabled: [],
        recentBrokerFailures: [],
        failureBudget: { budget: 1, withinBudget: true },
      },
    });
    expect(body).not.toHaveProperty('unavailableSubstates');
  });

  it('GET /kafkacruisecontrol/state answers plain text by default and honours substates', async () => {
    const text = await get('/kafkacruisecontrol/state');
    expect(text.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await text.text()).toMatch(
      /^MonitorState: \{state: RUNNING.*\nLoad model: not ready: 0 of 3 required windows are valid/,
    );
    const executorOnly = (await json(await get('/kafkacruisecontrol/state?json=true&substates=executor'))) as object;
    expect(Object.keys(executorOnly).sort()).toEqual(['ExecutorState', 'version']);
  });

  it('rejects bad parameters with a 400 that names them', async () => {
    const badBool = await get('/kafkacruisecontrol/state?json=true&verbose=maybe');
    expect(badBool.status).toBe(400);
    expect(await json(badBool)).toMatchObject({ version: 1, code: 'INVALID_PARAMETER', parameter: 'verbose' });
    const unknown = await get('/kafkacruisecontrol/state?json=true&substate=executor');
    expect(unknown.status).toBe(400);
    const body = await json(unknown);
    expect(body.parameter).toBe('substate');
    expect(body.errorMessage).toContain('substate');
  });

  it('GET /metrics exposes Prometheus default process metrics', async () => {
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^process_cpu_seconds_total /m);
  });

  it('GET /kafkacruisecontrol/kafka_cluster_state?json=true matches the cluster and the spec schema', async () => {
    const response = await get('/kafkacruisecontrol/kafka_cluster_state?json=true&verbose=true');
    expect(response.status).toBe(200);
    const body = (await json(response)) as KafkaClusterState;
    expect(clusterStateSchema(body), clusterStateSchema.errors()).toBe(true);
    expect(body.KafkaBrokerState.LeaderCountByBrokerId['0']).toBeGreaterThanOrEqual(3);
    expect(body.KafkaBrokerState.Summary.Brokers).toBe(3);
    for (const broker of kafka.brokers()) {
      expect([...(body.KafkaBrokerState.OnlineLogDirsByBrokerId[String(broker.id)] ?? [])].sort()).toEqual(
        [...broker.logDirs].sort(),
      );
      expect(body.KafkaBrokerState.OfflineLogDirsByBrokerId[String(broker.id)]).toEqual([]);
    }
    const orders = (body.KafkaPartitionState.other ?? []).filter((p) => p.topic === 'orders');
    expect(orders.map((p) => [p.partition, p.replicas])).toEqual([
      [0, [0, 1]],
      [1, [0, 2]],
      [2, [0, 1]],
      [3, [1, 2]],
      [4, [0, 2]],
    ]);
    const text = await (await get('/kafkacruisecontrol/kafka_cluster_state?topic=orders&verbose=true')).text();
    expect(text).toContain('orders');
  });

  it('kafka_cluster_state reports a failed log dir offline and its partition with an offline replica', async () => {
    await kafka.createTopic('on-disk', { assignment: [[1, 2]] });
    await kafka.produce('on-disk', 100);
    const dirIndex = kafka.broker(1).logDirs.findIndex((dir) => existsSync(join(dir, 'on-disk-0')));
    const failedDir = await kafka.failLogDir(1, dirIndex);
    const body = await waitFor('the failure to show', async () => {
      const b = (await json(
        await get('/kafkacruisecontrol/kafka_cluster_state?json=true&topic=on-disk'),
      )) as KafkaClusterState;
      return b.KafkaPartitionState['with-offline-replicas'].length > 0 ? b : undefined;
    });
    expect(clusterStateSchema(body), clusterStateSchema.errors()).toBe(true);
    expect(body.KafkaBrokerState.OfflineLogDirsByBrokerId['1']).toEqual([failedDir]);
    expect(body.KafkaPartitionState['with-offline-replicas']).toEqual([
      expect.objectContaining({ topic: 'on-disk', partition: 0, leader: 2, offline: [1], 'in-sync': [2] }),
    ]);
  });

  it('GET /ready answers 503 naming Redis once Redis is gone, while Kafka stays ok', async () => {
    await redis.close();
    const response = await get('/ready');
    expect(response.status).toBe(503);
    const body = await json(response);
    expect(body.status).toBe('not_ready');
    expect(body.checks.kafka.ok).toBe(true);
    expect(body.checks.redis.ok).toBe(false);
    expect(body.checks.redis.error).toMatch(/Redis/);
  });
});
