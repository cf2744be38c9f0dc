// API metrics: bounded endpoint labels from request paths, and the middleware counting and timing
// each finished response by endpoint, method and status.
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CRUISE_CONTROL_ENDPOINTS } from '../../../src/api/endpoints.js';
import { endpointLabel, registerApiMetrics } from '../../../src/metrics/api.metrics.js';
import { scrape } from '../../support/scrape.js';

// The names the API hands over when it mounts the middleware (src/api/api.module.ts).
const ENDPOINTS: ReadonlySet<string> = new Set(CRUISE_CONTROL_ENDPOINTS);

describe('endpointLabel', () => {
  it("names Cruise Control's endpoints and Ballast's own, whatever the query or case", () => {
    expect(endpointLabel('/kafkacruisecontrol/rebalance?dryrun=false', ENDPOINTS)).toBe('rebalance');
    expect(endpointLabel('/kafkacruisecontrol/STATE/', ENDPOINTS)).toBe('state');
    expect(endpointLabel('/kafkacruisecontrol/partition_load', ENDPOINTS)).toBe('partition_load');
    expect(endpointLabel('/health', ENDPOINTS)).toBe('health');
    expect(endpointLabel('/ready?x=1', ENDPOINTS)).toBe('ready');
    expect(endpointLabel('/metrics', ENDPOINTS)).toBe('metrics');
  });

  it('folds every other path into "other", so labels stay bounded', () => {
    expect(endpointLabel('/kafkacruisecontrol/nope', ENDPOINTS)).toBe('other');
    expect(endpointLabel('/kafkacruisecontrol/state/extra', ENDPOINTS)).toBe('other');
    expect(endpointLabel('/random/a1b2c3', ENDPOINTS)).toBe('other');
    expect(endpointLabel('/', ENDPOINTS)).toBe('other');
  });
});

function exchange(method: string, url: string) {
  const response = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as Response & EventEmitter;
  const request = { method, url, originalUrl: url } as Request;
  return { request, response };
}

describe('API metrics middleware', () => {
  it('counts finished responses by endpoint, method and status, and times them', async () => {
    const registry = new Registry();
    const middleware = registerApiMetrics(registry, CRUISE_CONTROL_ENDPOINTS);
    let nexts = 0;
    const send = (method: string, url: string, status: number) => {
      const { request, response } = exchange(method, url);
      middleware(request, response, () => nexts++);
      response.statusCode = status;
      response.emit('finish');
    };
    send('GET', '/kafkacruisecontrol/state', 200);
    send('GET', '/kafkacruisecontrol/state?json=true', 200);
    send('POST', '/kafkacruisecontrol/rebalance?goals=Nope', 400);
    send('BREW', '/coffee', 404);
    const { request, response } = exchange('GET', '/kafkacruisecontrol/load');
    middleware(request, response, () => nexts++);
    expect(nexts).toBe(5);
    const m = await scrape(registry);
    const total = m.get('ballast_api_requests_total')!;
    expect([...total]).toEqual([
      ['{endpoint=state,method=GET,status=200}', 2],
      ['{endpoint=rebalance,method=POST,status=400}', 1],
      ['{endpoint=other,method=OTHER,status=404}', 1],
    ]);
    expect(m.get('ballast_api_request_duration_seconds_count')?.get('{endpoint=state,method=GET}')).toBe(2);
    // A response still in flight is not counted until it finishes.
    expect(m.get('ballast_api_request_duration_seconds_count')?.get('{endpoint=load,method=GET}')).toBeUndefined();
  });
});
