// Two built Ballast processes (`node dist/src/main.js`) with leaderElection on, against one
// sandbox broker and a private Redis: exactly one leads, the other stands by naming it; when the
// leader is killed with SIGKILL the standby takes over; a leader stopped with SIGTERM gives the lock back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';

const MAIN = 'dist/src/main.js';
const TTL_MS = 3_000;

interface Instance {
  name: string;
  child: ChildProcess;
  base: string;
  logs: Record<string, unknown>[];
  stderr: string[];
}

// As test/e2e/service-process.test.ts runs the service: only PATH and the settings given.
function run(name: string, port: number, env: Record<string, string>): Instance {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      BALLAST_SERVER_HOST: '127.0.0.1',
      BALLAST_SERVER_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance: Instance = { name, child, base: `http://127.0.0.1:${port}`, logs: [], stderr: [] };
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      instance.logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not a log record (nothing else is expected on stdout); ignored.
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => instance.stderr.push(line));
  return instance;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Status and JSON body of GET `path`; throws while nothing listens, and names the exit if the process died. */
async function get(instance: Instance, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  if (instance.child.exitCode !== null)
    throw new Error(`${instance.name} exited ${instance.child.exitCode}: ${instance.stderr.join('\n')}`);
  const response = await fetch(`${instance.base}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const logged = (instance: Instance, msg: string) => instance.logs.find((l) => l.msg === msg);

describe('two Ballast processes with leader election', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let admin: Redis;
  const instances: Instance[] = [];

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([
      KafkaSandbox.start({ brokers: 1, racks: 1 }),
      RedisSandbox.start({ useEnv: false }),
    ]);
    admin = new Redis(redis.url);
  });

  afterAll(async () => {
    for (const { child } of instances) if (child.exitCode === null) child.kill('SIGKILL');
    admin?.disconnect();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  it('one leads and one stands by; SIGKILL on the leader hands over; SIGTERM gives the lock back', async () => {
    const env = {
      BALLAST_KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
      BALLAST_REDIS_URL: redis.url,
      BALLAST_LEADER_ELECTION_ENABLED: 'true',
      BALLAST_LEADER_ELECTION_TTL_MS: String(TTL_MS),
      BALLAST_LEADER_ELECTION_RETRY_INTERVAL_MS: '250',
    };
    const [portA, portB] = [await freePort(), await freePort()];
    instances.push(run('a', portA, env), run('b', portB, env));

    // Both up: one ready as the application, the other answering as a standby.
    const roles = await waitFor(
      'one leader ready and one standby',
      async () => {
        const answers = await Promise.all(instances.map((i) => get(i, '/ready')));
        const leaderAt = answers.findIndex((a) => a.status === 200);
        // A standby that has not asked Redis yet names no leader: wait until it has.
        const standbyAt = answers.findIndex(
          (a) => a.status === 503 && a.body.status === 'standby' && typeof a.body.leader === 'string',
        );
        if (leaderAt < 0 || standbyAt < 0) return undefined;
        return { leader: instances[leaderAt]!, standby: instances[standbyAt]!, standbyReady: answers[standbyAt]! };
      },
      { timeoutMs: 120_000, intervalMs: 250, failFast: () => instances.some((i) => i.child.exitCode !== null) },
    );
    const { leader, standby } = roles;
    const leaderId = logged(leader, 'acquired leadership')?.instanceId as string;
    expect(leaderId).toMatch(/-\d+-[0-9a-f]{8}$/);
    expect(logged(standby, 'acquired leadership')).toBeUndefined();
    expect(roles.standbyReady.body).toEqual({ status: 'standby', leader: leaderId });
    expect(await admin.get('ballast:leader')).toBe(leaderId);

    // The standby lives, refuses the API naming the leader; the leader serves it.
    expect(await get(standby, '/health')).toEqual({ status: 200, body: { status: 'ok', role: 'standby' } });
    const refused = await get(standby, '/kafkacruisecontrol/state?json=true');
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'STANDBY', leader: leaderId });
    expect((await get(leader, '/kafkacruisecontrol/state?json=true')).status).toBe(200);
    expect((await get(leader, '/health')).body.status).toBe('ok');
    // ballast_leader: 0 from the standby, 1 from the leader (the BallastNoLeader alert reads it).
    const leaderGauge = async (instance: Instance) =>
      /^ballast_leader (\d+)$/m.exec(await (await fetch(`${instance.base}/metrics`)).text())?.[1];
    expect(await leaderGauge(standby)).toBe('0');
    expect(await leaderGauge(leader)).toBe('1');

    // kill -9: no release; the standby takes over once the lease runs out and starts the application.
    leader.child.kill('SIGKILL');
    await exitOf(leader.child);
    await waitFor(
      'the standby to take over and be ready',
      async () => ((await get(standby, '/ready')).status === 200 ? true : undefined),
      // The lease (3 s) plus the application's start-up on a busy machine.
      { timeoutMs: TTL_MS + 60_000, intervalMs: 250, failFast: () => standby.child.exitCode !== null },
    );
    const standbyId = logged(standby, 'acquired leadership')?.instanceId as string;
    expect(standbyId).toMatch(/-\d+-[0-9a-f]{8}$/);
    expect(standbyId).not.toBe(leaderId);
    expect(await admin.get('ballast:leader')).toBe(standbyId);
    expect(standby.logs.some((l) => l.msg === 'standby: leader lock held' && l.leader === leaderId)).toBe(true);
    expect(standby.logs.some((l) => l.msg === 'lost the leader lock; exiting')).toBe(false);
    expect(await leaderGauge(standby)).toBe('1');

    // SIGTERM: the application closes, then the lock is released rather than left to expire.
    standby.child.kill('SIGTERM');
    expect(await exitOf(standby.child)).toBe(0);
    expect(logged(standby, 'released the leader lock')).toMatchObject({ instanceId: standbyId });
    expect(await admin.exists('ballast:leader')).toBe(0);
  });
});
