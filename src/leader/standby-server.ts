// What a standby serves while it waits for the leader lock: a tiny node:http(s) server on the
// API's address, so probes and clients see a live process that is not the one to talk to.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StandbyResponse {
  status: number;
  /** A JSON body, or Prometheus's text format for /metrics. */
  body: Record<string, unknown> | string;
}

/** What a standby's /metrics says: it is not the leader (the leader's application serves 1). */
export const STANDBY_METRICS =
  '# HELP ballast_leader 1 on the instance that holds the leader lock and acts, 0 on a standby.\n' +
  '# TYPE ballast_leader gauge\n' +
  'ballast_leader 0\n';

/**
 * The answer to one request: /health says the process lives (200), /ready says it is a standby
 * (503, so Kubernetes keeps it out of the Service), /metrics says `ballast_leader 0`, anything
 * else is refused with a Cruise Control shaped error naming the leader.
 */
export function standbyResponse(method: string, url: string, leader: string | null): StandbyResponse {
  const path = url.split('?', 1)[0];
  const read = method === 'GET' || method === 'HEAD';
  if (read && path === '/health') return { status: 200, body: { status: 'ok', role: 'standby' } };
  if (read && path === '/ready') return { status: 503, body: { status: 'standby', leader } };
  // Scraped, so "no instance leads" (every target says 0, or none answers) can be alerted on.
  if (read && path === '/metrics') return { status: 200, body: STANDBY_METRICS };
  const where = leader === null ? 'no instance holds the leader lock right now' : `the leader is ${leader}`;
  return {
    status: 503,
    body: {
      version: 1,
      errorMessage: `This Ballast instance is a standby and serves no requests; ${where}.`,
      stackTrace: '',
      code: 'STANDBY',
      leader,
    },
  };
}

export interface StandbyServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Certificate and key when the API is served over HTTPS (security.tls). */
  https?: { cert: Buffer; key: Buffer };
  /** The current leader's id, or null when unknown or none. */
  leader: () => string | null;
}

export class StandbyServer {
  private constructor(
    private readonly server: Server,
    /** The port it listens on. */
    readonly port: number,
  ) {}

  static async start(options: StandbyServerOptions): Promise<StandbyServer> {
    const handle = (request: IncomingMessage, response: ServerResponse): void => {
      const answer = standbyResponse(request.method ?? 'GET', request.url ?? '/', options.leader());
      const text = typeof answer.body === 'string';
      const body = text ? (answer.body as string) : JSON.stringify(answer.body);
      // No keep-alive: the port is handed over to the application once this instance leads.
      response.writeHead(answer.status, {
        'content-type': text ? 'text/plain; version=0.0.4; charset=utf-8' : 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const server = options.https ? createHttpsServer(options.https, handle) : createHttpServer(handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new StandbyServer(server, (server.address() as AddressInfo).port);
  }

  /** Stops listening and drops open connections, so the application can bind the same port. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
