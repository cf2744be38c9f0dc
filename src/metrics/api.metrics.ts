// API metrics: requests by endpoint, method and status with their latency, recorded by an Express
// middleware when each response finishes. Endpoint labels come from Cruise Control's fixed list,
// never from the raw URL, so the series stay bounded whatever clients send.
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { CRUISE_CONTROL_ENDPOINTS } from '../api/endpoints.js';

const CC_PREFIX = '/kafkacruisecontrol/';
const OWN_ENDPOINTS = new Set(['health', 'ready', 'metrics']);
const ENDPOINTS: ReadonlySet<string> = new Set(CRUISE_CONTROL_ENDPOINTS);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

export const API_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The `endpoint` label of a request path: Cruise Control's endpoint name, `health`, `ready` or
 * `metrics`, and `other` for anything else (unknown paths, the API document, 404s).
 */
export function endpointLabel(path: string): string {
  const clean = path.split('?')[0]!.replace(/\/+$/, '');
  if (clean.startsWith(CC_PREFIX)) {
    const name = clean.slice(CC_PREFIX.length).toLowerCase();
    return ENDPOINTS.has(name) ? name : 'other';
  }
  const own = clean.slice(1);
  return OWN_ENDPOINTS.has(own) ? own : 'other';
}

export type ApiMetricsMiddleware = (request: Request, response: Response, next: NextFunction) => void;

/** Registers the metrics and returns the middleware that records them. */
export function registerApiMetrics(registry: Registry): ApiMetricsMiddleware {
  const requests = new Counter({
    name: 'ballast_api_requests_total',
    help: 'HTTP requests answered, by endpoint, method and status code.',
    labelNames: ['endpoint', 'method', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ballast_api_request_duration_seconds',
    help: 'Time to answer an HTTP request, by endpoint and method.',
    labelNames: ['endpoint', 'method'],
    buckets: API_SECONDS_BUCKETS,
    registers: [registry],
  });
  return (request, response, next) => {
    const started = performance.now();
    // originalUrl: Nest's middleware sees the path after its own mount point in req.url.
    const endpoint = endpointLabel(request.originalUrl ?? request.url);
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    response.once('finish', () => {
      requests.inc({ endpoint, method, status: String(response.statusCode) });
      duration.observe({ endpoint, method }, (performance.now() - started) / 1000);
    });
    next();
  };
}
