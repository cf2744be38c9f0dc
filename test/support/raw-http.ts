// HTTP below fetch: a raw exchange on one connection (plain or TLS), for requests fetch refuses to
// send (CONNECT, TRACE, a garbage request line, oversized headers), and GETs from another loopback
// address, so a test can be two clients.
import { request } from 'node:http';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawAnswer {
  status: number;
  /** The head as received (status line and headers). */
  head: string;
  body: string;
}

/** Writes `payload` on a fresh connection to `url`'s host and port, and reads until the server closes. */
export function rawExchange(url: string, payload: string, tls: { ca?: Buffer } = {}): Promise<RawAnswer> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket =
      protocol === 'https:'
        ? tlsConnect({ host: hostname, port: Number(port), ca: tls.ca, servername: 'localhost' })
        : connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error) => reject(new Error(`${error.message} after reading ${JSON.stringify(received)}`)));
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      const head = split < 0 ? received : received.slice(0, split);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0),
        head,
        body: split < 0 ? '' : received.slice(split + 4),
      });
    });
    socket.write(payload, () => socket.end());
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
  });
}

/** A GET to a plain-HTTP `url` sent from `localAddress` (e.g. 127.0.0.2: another client on loopback). */
export function getFrom(
  localAddress: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { localAddress, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
