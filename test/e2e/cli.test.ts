// The `ballast` CLI as a child process (bin/ballast.js, the TypeScript source through tsx) against a
// real Ballast on a two-broker sandbox with its own Redis (every partition starts on broker 0), up to
// an executed rebalance followed to its end; and the OpenAPI document and its UI.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { fastJmxMonitor, startBallast } from '../support/ballast.js';

const LAUNCHER = fileURLToPath(new URL('../../bin/ballast.js', import.meta.url));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the ballast CLI against a sandbox', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;
  let produced: { total: number };
  const ORDERS = 600;

  const cli = (...args: string[]): Promise<CliRun> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [LAUNCHER, ...args],
        {
          env: { ...process.env, BALLAST_URL: ballast.url, BALLAST_CLI_FROM: 'src', NO_COLOR: '1' },
          timeout: 120_000,
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    });

  /** GET answered as the CLI does: repeat with the User-Task-ID of a 202 until the answer comes. */
  const getJson = async (path: string): Promise<Record<string, unknown>> => {
    let taskId: string | null = null;
    for (;;) {
      const response = await fetch(`${ballast.url}${path}`, { headers: taskId ? { 'User-Task-ID': taskId } : {} });
      if (response.status !== 202) return (await response.json()) as Record<string, unknown>;
      taskId = response.headers.get('User-Task-ID');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([KafkaSandbox.start({ brokers: 2 }), RedisSandbox.start({ useEnv: false })]);
    await kafka.createTopic('orders', { assignment: [[0], [0], [0]] });
    produced = await kafka.produce('orders', ORDERS, { valueBytes: 1000 });
    ballast = await startBallast(kafka.bootstrapServers, redis.url, {
      // Answer 202 almost at once, so the CLI's user-task polling is what fetches slow answers.
      api: { userTaskBlockMs: 1 },
      monitor: fastJmxMonitor(kafka),
      executor: { stepIntervalMs: 500 },
    });
    await waitFor(
      'the load monitor to be ready',
      async () => {
        const monitor = (await getJson('/kafkacruisecontrol/state?json=true&substates=monitor')).MonitorState as {
          ready?: boolean;
          notReadyReasons?: string[];
        };
        if (monitor.ready) return true;
        throw new Error(`not ready: ${JSON.stringify(monitor.notReadyReasons)}`);
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
  });

  afterAll(async () => {
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  it('state: prints the monitor and an idle executor', async () => {
    const run = await cli('state');
    expect(run.stderr.replace(/^Waiting for user task .*\n/gm, '')).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Monitor: {3}[A-Z_]+, \d+ windows, \d+\/\d+ partitions valid, model ready$/m);
    expect(run.stdout).toMatch(/^Executor: {2}NO_TASK_IN_PROGRESS/m);
  });

  it('state --json: prints Ballast’s JSON for the substates asked for', async () => {
    const run = await cli('state', '--json', '--substates', 'executor');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['ExecutorState', 'version']);
  });

  it('load: one row per broker', async () => {
    const run = await cli('load');
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^BROKER\s+HOST\s+RACK\s+STATE\s+DISK_MB/);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(['0', '1']);
    expect(rows[0]).toContain('ALIVE');
  });

  it('proposals: a dry-run summary with the goals', async () => {
    const run = await cli('proposals');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Proposal \(dry run\): \d+ replica moves/);
    expect(run.stdout).toMatch(/^Goals:$/m);
    expect(run.stdout).toMatch(/RackAwareGoal\s+(NO-ACTION|FIXED|VIOLATED)/);
  });

  it('rebalance: a dry run by default, which starts nothing', async () => {
    const run = await cli('rebalance', '--reason', 'cli e2e');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Proposal \(dry run\):/);
    const state = await getJson('/kafkacruisecontrol/state?json=true&substates=executor');
    expect(state.ExecutorState).toEqual({ state: 'NO_TASK_IN_PROGRESS' });
  });

  it('a bad argument: exit 2 and a message naming it, before anything is sent', async () => {
    const run = await cli('remove-broker', 'zero');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ballast: 'remove-broker': 'zero' is not a broker id/);
  });

  it("a request Ballast refuses: exit 1 with Ballast's own message", async () => {
    const run = await cli('rebalance', '--goals', 'NoSuchGoal');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ballast: POST \/kafkacruisecontrol\/rebalance failed with HTTP 400: .*NoSuchGoal/m);
    const unknownBroker = await cli('remove-broker', '42');
    expect(unknownBroker.code).toBe(1);
    expect(unknownBroker.stderr).toMatch(/HTTP 400: .*42/);
  });

  // After the requests that need a ready model: the moves leave the model short of valid windows for a while.
  it('rebalance --execute: follows the execution with a progress bar to its end, and loses no message', async () => {
    // 200 KB a partition at 50 KB/s: long enough for the CLI to see it running.
    const run = await cli('rebalance', '--execute', '--replication-throttle', '50000', '--poll-interval-ms', '250');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Proposal being executed: [1-9]\d* replica moves/m);
    expect(run.stdout).toMatch(/^Execution \S+ COMPLETED in /m);
    // Not a terminal: one progress line per change on stderr, bar, percentage, partitions, phase.
    expect(run.stderr).toMatch(/^\[[#.]{30}\] +\d+%.*partitions \d+\/\d+.*\(\w+\)/m);
    const brokers = new Set(
      (await kafka.clusterMetadata(['orders'])).topics.flatMap((t) => t.partitions).flatMap((p) => p.replicas),
    );
    expect([...brokers].sort()).toEqual([0, 1]);
    expect((await kafka.consumeCount('orders')).total).toBe(produced.total);
  });

  it('serves its OpenAPI document and the Swagger UI from the installed package', async () => {
    const document = (await (await fetch(`${ballast.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(document.paths['/kafkacruisecontrol/rebalance']!)).toEqual(['post']);
    const page = await fetch(`${ballast.url}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('docs/swagger-ui-bundle.js');
    const bundle = await fetch(`${ballast.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const initializer = await (await fetch(`${ballast.url}/docs/ballast-initializer.js`)).text();
    expect(initializer).toContain("'../openapi.json'");
    expect((await fetch(`${ballast.url}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${ballast.url}/docs/..%2Fpackage.json`)).status).toBe(404);
  });
});
