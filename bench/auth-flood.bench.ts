// /health latency while wrong Basic passwords flood the API (issue 15): a built Ballast runs in its
// own process with security on (users hashed at bcrypt cost 10), and this process sends
// BENCH_FLOOD_REQUESTS (default 120) wrong passwords, BENCH_FLOOD_CONCURRENCY (24) at a time, while
// it polls /health one request after the other. Reported: /health p50/p99/max idle and under the
// flood, the flood's wall time and its statuses. BENCH_LOGIN_RATE_LIMIT=off runs the service with
// security.loginRateLimit.enabled=false (the worker threads alone). BENCH_RUNS (default 3) floods,
// each against a fresh service, pooled.
// Kafka and Redis are not started: /health answers without them, and the flood never reaches them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';

const REQUESTS = Number(process.env.BENCH_FLOOD_REQUESTS ?? 120);
const CONCURRENCY = Number(process.env.BENCH_FLOOD_CONCURRENCY ?? 24);
const RATE_LIMIT_OFF = process.env.BENCH_LOGIN_RATE_LIMIT === 'off';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function percentile(samplesMs: number[], p: number): number {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const show = (samplesMs: number[]): string =>
  `p50 ${percentile(samplesMs, 50).toFixed(1)} ms, p99 ${percentile(samplesMs, 99).toFixed(1)} ms, ` +
  `max ${Math.max(...samplesMs).toFixed(1)} ms over ${samplesMs.length} requests`;

async function healthMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/health`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/health answered ${response.status}`);
  return performance.now() - started;
}

interface FloodRun {
  idle: number[];
  underFlood: number[];
  floodMs: number;
  statuses: Map<number, number>;
}

async function floodOnce(credentialsFile: string): Promise<FloodRun> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      BALLAST_SERVER_HOST: '127.0.0.1',
      BALLAST_SERVER_PORT: String(port),
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1',
      BALLAST_REDIS_URL: 'redis://127.0.0.1:1',
      BALLAST_LOGGING_LEVEL: 'fatal',
      BALLAST_SECURITY_ENABLED: 'true',
      BALLAST_SECURITY_BASIC_CREDENTIALS_FILE: credentialsFile,
      ...(RATE_LIMIT_OFF ? { BALLAST_SECURITY_LOGIN_RATE_LIMIT_ENABLED: 'false' } : {}),
    },
  });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await healthMs(url);
        break;
      } catch (error) {
        if (attempt > 200) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const idle: number[] = [];
    for (let i = 0; i < 100; i++) idle.push(await healthMs(url));

    const wrong = { authorization: `Basic ${Buffer.from('admin:not-the-password').toString('base64')}` };
    const statuses = new Map<number, number>();
    let next = 0;
    let flooding = true;
    const started = performance.now();
    const flood = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          next++;
          const response = await fetch(`${url}/kafkacruisecontrol/state?json=true`, { headers: wrong });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    ).then(() => {
      flooding = false;
      return performance.now() - started;
    });
    const underFlood: number[] = [];
    while (flooding) underFlood.push(await healthMs(url));
    return { idle, underFlood, floodMs: await flood, statuses };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-auth-flood-'));
  const credentialsFile = join(dir, 'users');
  writeFileSync(credentialsFile, `admin: ${bcrypt.hashSync('the-right-password', 10)},ADMIN\n`);
  try {
    const runs: FloodRun[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await floodOnce(credentialsFile));
    console.log(`auth flood: ${REQUESTS} wrong passwords, ${CONCURRENCY} at a time, bcrypt cost 10, ${RUNS} runs`);
    console.log(`  login rate limit: ${RATE_LIMIT_OFF ? 'off' : 'as configured by default'}`);
    console.log(`  /health idle:        ${show(runs.flatMap((r) => r.idle))}`);
    console.log(`  /health under flood: ${show(runs.flatMap((r) => r.underFlood))}`);
    for (const [i, r] of runs.entries()) {
      const statuses = [...r.statuses].map(([s, n]) => `${s}×${n}`).join(', ');
      console.log(
        `  run ${i + 1}: flood ${(r.floodMs / 1000).toFixed(2)} s (${statuses}); /health ${show(r.underFlood)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
