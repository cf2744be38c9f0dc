// What a standby answers while it waits for the leader lock, and that it gives its port back.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StandbyServer, standbyResponse } from '../../../src/leader/index.js';

describe('standbyResponse', () => {
  it('answers /health 200 as a standby', () => {
    expect(standbyResponse('GET', '/health', 'pod-a-1-cafe')).toEqual({
      status: 200,
      body: { status: 'ok', role: 'standby' },
    });
  });

  it('answers /ready 503 naming the leader, or null when none holds the lock', () => {
    expect(standbyResponse('GET', '/ready?verbose=1', 'pod-a-1-cafe')).toEqual({
      status: 503,
      body: { status: 'standby', leader: 'pod-a-1-cafe' },
    });
    expect(standbyResponse('GET', '/ready', null).body).toEqual({ status: 'standby', leader: null });
  });

  it('refuses every other request with 503 in Cruise Control’s error shape, naming the leader', () => {
    const answer = standbyResponse('POST', '/kafkacruisecontrol/rebalance?dryrun=false', 'pod-a-1-cafe');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ version: 1, code: 'STANDBY', leader: 'pod-a-1-cafe' });
    expect((answer.body as Record<string, unknown>).errorMessage).toBe(
      'This Ballast instance is a standby and serves no requests; the leader is pod-a-1-cafe.',
    );
    expect(
      (standbyResponse('GET', '/kafkacruisecontrol/state', null).body as Record<string, unknown>).errorMessage,
    ).toContain('no instance holds the leader lock right now');
    expect(standbyResponse('DELETE', '/health', null).status).toBe(503);
  });

  it('answers /metrics with ballast_leader 0, so "no instance leads" can be alerted on', () => {
    const answer = standbyResponse('GET', '/metrics', 'pod-a-1-cafe');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^ballast_leader 0$/m);
    expect(answer.body).toMatch(/^# TYPE ballast_leader gauge$/m);
  });
});

describe('StandbyServer', () => {
  it('serves the standby answers over HTTP and frees its port on close', async () => {
    let leader: string | null = null;
    const server = await StandbyServer.start({ host: '127.0.0.1', port: 0, leader: () => leader });
    const base = `http://127.0.0.1:${server.port}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', role: 'standby' });
    leader = 'pod-b-7-beef';
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await ready.json()).toEqual({ status: 'standby', leader: 'pod-b-7-beef' });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toMatch(/^ballast_leader 0$/m);
    await server.close();
    // The application binds the same port next.
    const next = createServer();
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(server.port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => next.close(resolve));
  });
});
