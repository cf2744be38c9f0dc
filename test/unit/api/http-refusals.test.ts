// Every request gets an HTTP answer (src/api/http-refusals.ts): CONNECT and methods no route
// serves get 405 with Allow, and what Node's parser refuses gets 400 or 431 with Ballast's error
// body, read by the client rather than lost to a reset. A bare Node server stands in for Nest's.
import { createServer, type Server } from 'node:http';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUnparsedRequests, refuseUnservedMethods, SERVED_METHODS } from '../../../src/api/http-refusals.js';
import { rawExchange, type RawAnswer } from '../../support/raw-http.js';

function parse(answer: RawAnswer): { status: number; head: string; body: Record<string, unknown> } {
  return { ...answer, body: JSON.parse(answer.body) as Record<string, unknown> };
}

describe('answerUnparsedRequests', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_, response) => response.end('ok'));
    answerUnparsedRequests(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers CONNECT with 405 and Allow instead of dropping the connection', async () => {
    const answer = parse(await rawExchange(url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
    expect(answer.status).toBe(405);
    expect(answer.head).toContain(`Allow: ${SERVED_METHODS.join(', ')}`);
    expect(answer.body).toMatchObject({ version: 1, code: 'METHOD_NOT_ALLOWED', errorMessage: expect.any(String) });
  });

  it('answers a garbage request line with 400 and an error body', async () => {
    const answer = parse(await rawExchange(url, 'HELLO THERE\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ version: 1, code: 'MALFORMED_REQUEST' });
  });

  it('answers a 100 KB header with 431, readable by a client still sending', async () => {
    const big = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`;
    const answer = parse(await rawExchange(url, big));
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({ version: 1, code: 'HEADERS_TOO_LARGE' });
  });

  it('still serves ordinary requests', async () => {
    const answer = await rawExchange(url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatchObject({ status: 200, body: 'ok' });
  });
});

describe('refuseUnservedMethods', () => {
  function run(method: string) {
    const sent: { status?: number; headers: Record<string, unknown>; body?: unknown } = { headers: {} };
    const response = {
      headersSent: false,
      setHeader: (name: string, value: unknown) => (sent.headers[name] = value),
      status: (status: number) => ((sent.status = status), response),
      json: (body: unknown) => (sent.body = body),
    };
    let passed = false;
    const request = { method, path: '/health', query: {} } as unknown as Request;
    refuseUnservedMethods(request, response as unknown as Response, () => (passed = true));
    return { passed, sent };
  }

  it.each(['TRACE', 'PROPFIND', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405 and Allow', (method) => {
    const { passed, sent } = run(method);
    expect(passed).toBe(false);
    expect(sent.status).toBe(405);
    expect(sent.headers.Allow).toBe('GET, HEAD, POST, OPTIONS');
    expect(sent.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it.each(SERVED_METHODS)('passes %s on to the routes', (method) => {
    expect(run(method).passed).toBe(true);
  });
});
