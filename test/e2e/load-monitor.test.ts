// Acceptance of the load monitor on a real sandbox under skewed acks=all load: cold start says why
// it is not ready, /load agrees with the brokers' own metrics and log-dir sizes within ±15% and
// matches Cruise Control's schema, and a restarted service is ready from the windows kept in Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerStats } from '../../src/api/broker-stats.js';
import type { OptimizationResultJson } from '../../src/api/optimization-result.js';
import type { PartitionLoadState } from '../../src/api/partition-load.js';
import { DEFAULT_GOALS } from '../../goals/index.js';
import type { CruiseControlState } from '../../src/api/state.service.js';
import type { RunningApp } from '../../src/app.js';
import type { BallastConfigInput } from '../../src/config/index.js';
import type { BrokerScrapeSnapshot, LoadMonitorState } from '../../src/monitor/index.js';
import { KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { startBallast } from '../support/ballast.js';
import { expectLoadMatchesBrokers, scrapeBroker } from '../support/broker-truth.js';
import { responseValidator } from '../support/openapi.js';
import { startSteadyLoad, type SteadyLoad } from '../support/steady-load.js';

const brokerStatsSchema = responseValidator('brokerStats.yaml', 'BrokerStats');
const stateSchema = responseValidator('cruiseControlState.yaml', 'CruiseControlState');
const optimizationSchema = responseValidator('optimizationResult.yaml', 'OptimizationResult');
const WINDOW_MS = 5_000;
const BYTES_PER_SECOND = 384 * 1024;

// Broker 0 leads every `hot` partition, broker 1 every `warm` one; `cold` gets no traffic.
const TOPICS = [
  {
    name: 'hot',
    assignment: [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 1],
      [0, 2],
      [0, 3],
    ],
    weight: 3,
    preloadMessages: 18_000,
  },
  {
    name: 'warm',
    assignment: [
      [1, 2],
      [1, 3],
      [1, 2],
      [1, 3],
    ],
    weight: 1,
    preloadMessages: 6_000,
  },
  {
    name: 'cold',
    assignment: [
      [2, 3],
      [3, 2],
    ],
    weight: 0,
    preloadMessages: 0,
  },
];

describe('load monitor on a sandbox under skewed load', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp | undefined;
  let load: SteadyLoad;
  let monitorConfig: BallastConfigInput['monitor'];
  const baseline = new Map<number, BrokerScrapeSnapshot>();
  let baselineAtMs = 0;

  const scrape = (id: number) => scrapeBroker(kafka, id);
  const get = async (path: string) => fetch(`${ballast!.url}${path}`);
  const json = async <T>(path: string): Promise<T> => (await (await get(path)).json()) as T;
  const monitorState = async (): Promise<LoadMonitorState> =>
    (await json<CruiseControlState>('/kafkacruisecontrol/state?json=true&substates=monitor')).MonitorState!;

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([KafkaSandbox.start({ brokers: 4 }), RedisSandbox.start({ useEnv: false })]);
    for (const t of TOPICS) {
      await kafka.createTopic(t.name, { assignment: t.assignment });
      if (t.preloadMessages > 0) await kafka.produce(t.name, t.preloadMessages, { valueBytes: 1000 });
    }
    load = await startSteadyLoad(
      kafka.kafka,
      TOPICS.filter((t) => t.weight > 0),
      BYTES_PER_SECOND,
      ['hot'],
    );
    monitorConfig = {
      sampler: 'jmx-scrape',
      jmxScrape: { urls: kafka.brokers().map((b) => `${b.id}=${b.metricsUrl}`) },
      samplingIntervalMs: 1_000,
      windowMs: WINDOW_MS,
      numWindows: 4,
      minSamplesPerWindow: 3,
      minValidWindows: 2,
      requestTimeoutMs: 3_000,
    };
    ballast = await startBallast(kafka.bootstrapServers, redis.url, { monitor: monitorConfig });
  });

  afterAll(async () => {
    await load?.stop();
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  it('on a cold start /state says why the model is not ready, and /load answers 503 naming the cause', async () => {
    const state = await json<CruiseControlState>('/kafkacruisecontrol/state?json=true&substates=monitor');
    expect(stateSchema(state), stateSchema.errors()).toBe(true);
    expect(state.MonitorState?.ready).toBe(false);
    expect(state.MonitorState?.notReadyReasons?.join(' ')).toMatch(
      /restoring sample windows|first sampling round|required windows are valid/,
    );
    const response = await get('/kafkacruisecontrol/load?json=true');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'LOAD_MONITOR_NOT_READY' });
  });

  it('becomes ready after the configured valid windows', async () => {
    const state = await waitFor(
      'the load monitor to be ready',
      async () => {
        const s = await monitorState();
        return s.ready ? s : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(state.state).toMatch(/RUNNING|SAMPLING/);
    expect(state.numMonitoredWindows).toBeGreaterThanOrEqual(2);
    expect(state.numValidPartitions).toBe(state.numTotalPartitions);
    expect(state.sampler).toBe('jmx-scrape');
    expect(state.lastSampling?.samplerProblems['fetch-failed'] ?? 0).toBe(0);
    // From here the brokers' own counters are read, to compare over the same windows as Ballast.
    baselineAtMs = Date.now();
    for (const b of kafka.brokers()) baseline.set(b.id, await scrape(b.id));
  });

  it('/load agrees with the brokers’ own byte rates and log-dir sizes within ±15% and fits the spec', async () => {
    // Windows that start after the baseline lie inside the period the broker-side rates cover.
    await new Promise((resolve) => setTimeout(resolve, 3 * WINDOW_MS));
    const response = await get(`/kafkacruisecontrol/load?json=true&populate_disk_info=true&start=${baselineAtMs}`);
    expect(response.status).toBe(200);
    const stats = (await response.json()) as BrokerStats;
    const now = new Map<number, BrokerScrapeSnapshot>();
    for (const b of kafka.brokers()) now.set(b.id, await scrape(b.id));
    expect(brokerStatsSchema(stats), brokerStatsSchema.errors()).toBe(true);
    expect(stats.brokers.map((b) => b.Broker)).toEqual([0, 1, 2, 3]);

    expectLoadMatchesBrokers(kafka, stats, baseline, now);
    for (const b of stats.brokers) {
      const dirs = Object.values(b.DiskState ?? {});
      expect(dirs).toHaveLength(2);
      expect(dirs.reduce((sum, d) => sum + Number(d.DiskMB), 0)).toBeCloseTo(b.DiskMB, 6);
    }
    // The skew is visible: broker 0 leads the hot topic and takes most of the bytes in.
    const leaderIn = (id: number) => stats.brokers.find((b) => b.Broker === id)!.LeaderNwInRate;
    expect(leaderIn(0)).toBeGreaterThan(2 * leaderIn(1));
    expect(leaderIn(1)).toBeGreaterThan(leaderIn(2));
  });

  it('/partition_load lists the hot partitions first and filters by topic, partition range and broker', async () => {
    const state = await json<PartitionLoadState>(
      '/kafkacruisecontrol/partition_load?json=true&resource=networkInbound&entries=3',
    );
    expect(state.records).toHaveLength(3);
    expect(state.records.every((r) => r.topic === 'hot')).toBe(true);
    const cold = await json<PartitionLoadState>(
      '/kafkacruisecontrol/partition_load?json=true&topic=cold&partition=0-1&brokerid=2',
    );
    expect(
      cold.records.map((r: { partition: number; leader: number; followers: number[] }) => [
        r.partition,
        r.leader,
        r.followers,
      ]),
    ).toEqual([
      [0, 2, [3]],
      [1, 3, [2]],
    ]);
    const bad = await get('/kafkacruisecontrol/partition_load?json=true&brokerid=9');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ parameter: 'brokerid' });
  });

  it('/proposals answers a dry-run proposal in Cruise Control shape that relieves broker 0', async () => {
    const metadataBefore = await kafka.clusterMetadata(['hot', 'warm', 'cold']);
    // The sandbox's __consumer_offsets has 3 replicas on 2 racks: rack awareness cannot hold, and says why.
    const infeasible = await get('/kafkacruisecontrol/proposals?json=true');
    expect(infeasible.status).toBe(409);
    expect(await infeasible.json()).toMatchObject({
      code: 'HARD_GOAL_VIOLATED',
      errorMessage: expect.stringMatching(
        /RackAwareGoal cannot be met: __consumer_offsets-\d+ has 3 replicas but only 2 racks are alive/,
      ),
    });
    const response = await get(
      '/kafkacruisecontrol/proposals?json=true&verbose=true&excluded_topics=__consumer_offsets&replication_throttle=1048576',
    );
    const body: unknown = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    const result = body as OptimizationResultJson;
    expect(optimizationSchema(result), optimizationSchema.errors()).toBe(true);
    expect(result.goalSummary.map((g) => g.goal)).toEqual(DEFAULT_GOALS.map((g) => g.name));
    expect(result.proposals!.length).toBeGreaterThan(0);
    const leaderIn = (stats: BrokerStats, id: number) => stats.brokers.find((b) => b.Broker === id)!.LeaderNwInRate;
    expect(leaderIn(result.loadAfterOptimization, 0)).toBeLessThan(leaderIn(result.loadBeforeOptimization!, 0));
    expect(result.summary.onDemandBalancednessScoreAfter).toBeGreaterThanOrEqual(
      result.summary.onDemandBalancednessScoreBefore,
    );
    expect(typeof result.failureBudget.after.survivesAnySingleBrokerLoss).toBe('boolean');
    // The LP bound (when the proposal met a DISK or NW_IN band) never exceeds what the proposal moves.
    if (result.optimality.status === 'bounded') {
      expect(Number(result.optimality.lowerBoundMb)).toBeLessThanOrEqual(Number(result.optimality.movedMb) + 1e-6);
    } else expect(String(result.optimality.reason).length).toBeGreaterThan(0);
    // Moves were proposed, so some broker sends or receives data, and 1 MiB/s sets a time for it.
    expect(result.execution.busiestBrokerMB).toBeGreaterThanOrEqual(0);
    expect(result.execution.replicationThrottle).toBe(1048576);
    // At 1 MiB/s each MB takes a second (busiestBrokerMB is rounded, the estimate is not).
    expect(Math.abs(result.execution.estimatedTimeMs! - result.execution.busiestBrokerMB * 1000)).toBeLessThanOrEqual(
      501,
    );
    // A dry run: Kafka's assignment is untouched.
    expect((await kafka.clusterMetadata(['hot', 'warm', 'cold'])).topics).toEqual(metadataBefore.topics);
    const state = await json<CruiseControlState>('/kafkacruisecontrol/state?json=true&substates=analyzer');
    expect(state.AnalyzerState).toMatchObject({ isProposalReady: true });
    const bad = await get('/kafkacruisecontrol/proposals?json=true&goals=RackAwareGoal,NoSuchGoal');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'UNKNOWN_GOAL', parameter: 'goals' });
  });

  it('pause_sampling and resume_sampling change the monitor state and record the reason', async () => {
    const paused = await fetch(`${ballast!.url}/kafkacruisecontrol/pause_sampling?json=true&reason=maintenance`, {
      method: 'POST',
    });
    expect(await paused.json()).toEqual({ version: 1, message: 'Metric sampling paused.' });
    let state = await monitorState();
    expect(state).toMatchObject({ state: 'PAUSED', reasonOfLatestPauseOrResume: 'maintenance' });
    await fetch(`${ballast!.url}/kafkacruisecontrol/resume_sampling?reason=done`, { method: 'POST' });
    state = await monitorState();
    expect(state.state).not.toBe('PAUSED');
    expect(state.reasonOfLatestPauseOrResume).toBe('done');
  });

  it('after a restart it is ready again from the windows kept in Redis, without waiting a window', async () => {
    await ballast!.app.close();
    const restartedAtMs = Date.now();
    ballast = await startBallast(kafka.bootstrapServers, redis.url, { monitor: monitorConfig });
    // The first round after a restart scrapes once, which gives no rate: readiness can only come
    // from windows sampled before the restart.
    const state = await waitFor('the first round after the restart', async () => {
      const s = await monitorState();
      return s.lastSampling ? s : undefined;
    });
    expect(state.lastSampling?.samplesAccepted).toBe(0);
    expect(state.restoredWindows).toBeGreaterThanOrEqual(2);
    expect(state.ready, state.notReadyReasons?.join('; ')).toBe(true);
    const windowStarts = Object.keys(state.monitoredWindows).map(Number);
    expect(windowStarts.filter((start) => start + WINDOW_MS <= restartedAtMs).length).toBeGreaterThanOrEqual(2);
    expect((await get('/kafkacruisecontrol/load?json=true')).status).toBe(200);
  });

  it('lost no message: every acknowledged message is in the topics', async () => {
    await load.stop();
    expect(load.failedSends()).toBe(0);
    for (const t of TOPICS.filter((x) => x.weight > 0)) {
      const counted = await kafka.consumeCount(t.name);
      expect(counted.total).toBe(t.preloadMessages + (load.acked.get(t.name) ?? 0));
    }
  });
});
