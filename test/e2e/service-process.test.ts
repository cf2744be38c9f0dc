// The built service as an operator runs it (`node dist/src/main.js`): a bad setting stops
// start-up naming the key; SIGTERM shuts down cleanly; readiness tells what is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/sandbox/index.js';

const MAIN = 'dist/src/main.js';

function run(env: Record<string, string>): { child: ChildProcess; stdout: string[]; stderr: string[] } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  return { child, stdout, stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the service process', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('refuses to start on a malformed setting, naming the key and the variable (exit 78)', async () => {
    const p = run({ BALLAST_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092', BALLAST_SERVER_PORT: 'ninety' });
    children.push(p.child);
    expect(await exitOf(p.child)).toBe(78);
    const text = p.stderr.join('\n');
    expect(text).toContain('server.port (BALLAST_SERVER_PORT)');
  });

  it('refuses to start on a malformed capacity file, naming the file and the field (exit 78)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-capacity-'));
    const file = join(dir, 'capacity.json');
    writeFileSync(
      file,
      JSON.stringify({
        brokerCapacities: [{ brokerId: '0', capacity: { DISK: '100', CPU: '100', NW_IN: 'fast', NW_OUT: '10' } }],
      }),
    );
    try {
      const p = run({ BALLAST_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092', BALLAST_MONITOR_CAPACITY_FILE: file });
      children.push(p.child);
      expect(await exitOf(p.child)).toBe(78);
      expect(p.stderr.join('\n')).toContain(`${file}: brokerCapacities[0].capacity.NW_IN`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on an unknown goal name, naming analyzer.goals (exit 78)', async () => {
    const p = run({
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
      BALLAST_ANALYZER_GOALS: 'RackAwareGoal,DiskCapacityGoall',
    });
    children.push(p.child);
    expect(await exitOf(p.child)).toBe(78);
    expect(p.stderr.join('\n')).toContain('analyzer.goals (config): unknown goal DiskCapacityGoall; known: ');
  });

  it('refuses to start without bootstrap servers, saying how to set them', async () => {
    const p = run({});
    children.push(p.child);
    expect(await exitOf(p.child)).toBe(78);
    expect(p.stderr.join('\n')).toContain('BALLAST_KAFKA_BOOTSTRAP_SERVERS');
  });

  it('logs JSON, reports what is not ready, and exits 0 on SIGTERM', async () => {
    const [port, deadKafkaPort, deadRedisPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const p = run({
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${deadKafkaPort}`,
      BALLAST_REDIS_URL: `redis://127.0.0.1:${deadRedisPort}`,
      BALLAST_SERVER_HOST: '127.0.0.1',
      BALLAST_SERVER_PORT: String(port),
      BALLAST_API_READINESS_TIMEOUT_MS: '1500',
    });
    children.push(p.child);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i += 1) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 200 || p.child.exitCode !== null) throw new Error(`service did not come up: ${p.stderr.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: { kafka: { ok: boolean; error: string }; redis: { ok: boolean } } };
    expect(body.checks.kafka.ok).toBe(false);
    expect(body.checks.kafka.error).toContain(`127.0.0.1:${deadKafkaPort}`);
    expect(body.checks.redis.ok).toBe(false);

    p.child.kill('SIGTERM');
    expect(await exitOf(p.child)).toBe(0);
    const lines = p.stdout.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.some((l) => l.msg === 'Ballast listening' && l.level === 'info')).toBe(true);
    expect(lines.some((l) => l.msg === 'shutting down')).toBe(true);
  });
});
