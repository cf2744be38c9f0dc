// Fuzzes Cruise Control's REST API on a real sandbox: thousands of random and malformed requests
// from a seeded generator (unknown and repeated parameters, wrong types, huge and negative numbers,
// bad regexes, unicode, very long values, wrong methods and paths, random bodies and headers).
// Ballast must never answer 5xx, must refuse every request built to be invalid, and must leave the
// cluster and its own state as they were.
//
// Safety: the generator never sends dryrun=false in any spelling (every value it gives `dryrun` is
// drawn from a list without it), so no proposal-executing POST can execute; pause_sampling and admin
// (which act without a dryrun) always carry one invalid element. On top of that the test asserts
// afterwards that the executor ran nothing (its last execution is the one from before), so an
// execution slipping through would be seen, not hidden.
//
// FUZZ_SEED=<n> replays a run; the seed is printed either way.
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { BallastConfigInput } from '../../src/config/index.js';
import { KafkaSandbox, RedisSandbox } from '../../scripts/sandbox/index.js';
import { fastJmxMonitor, startBallast, waitForMonitorReady } from '../support/ballast.js';
import { FUZZ_TOPIC as TOPIC, generate, Random, REGRESSIONS, type FuzzRequest } from '../support/fuzz-requests.js';
import { startSteadyLoad, type SteadyLoad } from '../support/steady-load.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Requests with two-step verification off, then on (reviews, approvals, submits of random ids). */
const REQUESTS_OFF = 4_200;
const REQUESTS_ON = 1_000;
const CONCURRENCY = 4;

describe('REST API fuzzing on a sandbox', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp | undefined;
  let admin: Admin;
  let load: SteadyLoad;

  const restart = async (api: BallastConfigInput['api'] = {}) => {
    await ballast?.app.close();
    ballast = undefined;
    ballast = await startBallast(kafka.bootstrapServers, redis.url, {
      monitor: fastJmxMonitor(kafka),
      // Enough room that concurrent fuzz requests are not all refused by the limit.
      api: { maxActiveUserTasks: 20, ...api },
    });
    await waitForMonitorReady(ballast.url);
  };

  /** What must not change: placements, reassignments, throttles, the executor, sampling, self-healing. */
  const observed = async () => {
    const metadata = await admin.fetchTopicMetadata();
    const assignment = metadata.topics
      .flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionId}:${p.replicas.join(',')}`))
      .sort();
    const brokerConfigs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: kafka.brokers().map((b) => ({ type: 4, name: String(b.id) })),
    });
    const topicConfigs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: metadata.topics.map((t) => ({ type: 2, name: t.name })),
    });
    const throttles = [...brokerConfigs.resources, ...topicConfigs.resources].flatMap((r) =>
      r.configEntries
        .filter((e) => /throttled|alter\.log\.dirs\.io/.test(e.configName) && !e.isDefault && e.configValue)
        .map((e) => `${r.resourceName}:${e.configName}=${e.configValue}`),
    );
    const state = (await (
      await fetch(`${ballast!.url}/kafkacruisecontrol/state?json=true&substates=monitor,executor,anomaly_detector`)
    ).json()) as {
      ExecutorState: { state: string; lastExecution?: { id: string } };
      MonitorState: { state: string };
      AnomalyDetectorState: { selfHealingEnabled: string[] };
    };
    return {
      assignment,
      reassignments: (await admin.listPartitionReassignments({})).topics,
      throttles,
      executor: state.ExecutorState.state,
      lastExecutionId: state.ExecutorState.lastExecution?.id ?? null,
      samplingPaused: state.MonitorState.state === 'PAUSED',
      selfHealing: [...state.AnomalyDetectorState.selfHealingEnabled].sort(),
    };
  };

  /** Sends every request (a few at a time); returns what broke the rules, and the statuses seen. */
  const fire = async (requests: FuzzRequest[]) => {
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        let status: number;
        try {
          const response = await fetch(`${ballast!.url}${request.target}`, {
            method: request.method,
            headers: request.headers,
            body: request.body,
          });
          status = response.status;
          const text = await response.text();
          if (status >= 500)
            problems.push(`${status} ${request.method} ${request.target.slice(0, 300)}: ${text.slice(0, 300)}`);
        } catch (error) {
          problems.push(`no answer to ${request.method} ${request.target.slice(0, 300)}: ${String(error)}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (request.mustReject && (status < 400 || status >= 500)) {
          problems.push(`accepted (${status}) ${request.method} ${request.target.slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { problems, statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)) };
  };

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([
      KafkaSandbox.start({ brokers: 3, racks: 3 }),
      RedisSandbox.start({ useEnv: false }),
    ]);
    admin = await kafka.admin();
    await kafka.createTopic(TOPIC, {
      assignment: [
        [0, 1],
        [0, 2],
        [1, 2],
        [0, 1],
      ],
    });
    await kafka.produce(TOPIC, 500, { valueBytes: 500 });
    load = await startSteadyLoad(kafka.kafka, [{ name: TOPIC, weight: 1 }], 16 * 1024);
    await restart();
  });

  afterAll(async () => {
    await load?.stop();
    await admin?.disconnect();
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  it(`answers ${REQUESTS_OFF + REQUESTS_ON} random requests without a 5xx and changes nothing`, async () => {
    console.log(`api-fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const random = new Random(SEED);
    const before = await observed();
    expect(before.executor).toBe('NO_TASK_IN_PROGRESS');
    expect(before.samplingPaused).toBe(false);
    expect(before.reassignments).toEqual([]);
    expect(before.throttles).toEqual([]);

    const startedMs = Date.now();
    const off = await fire([...REGRESSIONS, ...Array.from({ length: REQUESTS_OFF }, () => generate(random, false))]);
    const afterOff = await observed();
    // The same generator with two-step verification on: valid POSTs become reviews, and random
    // approvals and submits of random review ids run only what was held (dry runs).
    await restart({ twoStepVerification: { enabled: true } });
    const on = await fire(Array.from({ length: REQUESTS_ON }, () => generate(random, true)));
    const after = await observed();
    console.log(
      `api-fuzz: ${REQUESTS_OFF + REQUESTS_ON} requests in ${Date.now() - startedMs} ms; statuses off ${JSON.stringify(off.statuses)}, on ${JSON.stringify(on.statuses)}`,
    );

    expect([...off.problems, ...on.problems]).toEqual([]);
    const sent = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);
    expect(sent(off.statuses) + sent(on.statuses)).toBeGreaterThanOrEqual(5_000);
    // Most requests are malformed; some valid ones must have been answered too.
    expect(off.statuses[200] ?? 0).toBeGreaterThan(0);
    expect(off.statuses[400] ?? 0).toBeGreaterThan(0);
    for (const state of [afterOff, after]) {
      expect(state).toEqual({ ...before, executor: 'NO_TASK_IN_PROGRESS' });
    }
  });
});
