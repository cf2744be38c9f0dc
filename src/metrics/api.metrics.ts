// API metrics: requests by endpoint, method and status with their latency, recorded by an Express
// middleware when each response finishes. Endpoint labels come from Cruise Control's fixed list,
// never from the raw URL, so the series stay bounded whatever clients send. The list is the API's:
// src/api hands it over when it mounts the middleware, so metrics never import the API.
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

const CC_PREFIX = '/kafkacruisecontrol/';
const OWN_ENDPOINTS = new Set(['health', 'ready', 'metrics']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

export const API_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The `endpoint` label of a request path: one of `endpoints` (Cruise Control's endpoint names, as
 * the API serves them under `/kafkacruisecontrol/`), `health`, `ready` or `metrics`, and `other` for
 * anything else (unknown paths, the API document, 404s).
 */
export function endpointLabel(path: string, endpoints: ReadonlySet<string>): string {
  const clean = path.split('?')[0]!.replace(/\/+$/, '');
  if (clean.startsWith(CC_PREFIX)) {
    const name = clean.slice(CC_PREFIX.length).toLowerCase();
    return endpoints.has(name) ? name : 'other';
  }
  const own = clean.slice(1);
  return OWN_ENDPOINTS.has(own) ? own : 'other';
}

export type ApiMetricsMiddleware = (request: Request, response: Response, next: NextFunction) => void;

/**
 * Registers the metrics and returns the middleware that records them, labelling requests by
 * `endpoints` (the API's Cruise Control endpoint names). Call it once per registry.
 */
export function registerApiMetrics(registry: Registry, endpoints: Iterable<string>): ApiMetricsMiddleware {
  const known: ReadonlySet<string> = new Set(endpoints);
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
    const endpoint = endpointLabel(request.originalUrl ?? request.url, known);
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    response.once('finish', () => {
      requests.inc({ endpoint, method, status: String(response.statusCode) });
      duration.observe({ endpoint, method }, (performance.now() - started) / 1000);
    });
    next();
  };
}
