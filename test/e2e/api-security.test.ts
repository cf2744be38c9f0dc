// API security against a real 1-broker KRaft cluster and a private Redis: Ballast started with
// security on (a credentials file with bcrypt hashes for a VIEWER, a USER and an ADMIN, and a JWT
// secret); the matrix anonymous / VIEWER / USER / ADMIN × every Cruise Control endpoint; a bearer
// token; the audit log; CORS; a flood of wrong passwords from another client (429 for it, not for
// others); an HTTP answer to every request (CONNECT, TRACE, garbage, a 100 KB header); and a second
// Ballast serving HTTPS with a certificate made by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { SignJWT } from 'jose';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSandbox, RedisSandbox } from '../../scripts/sandbox/index.js';
import { CRUISE_CONTROL_ENDPOINTS } from '../../src/api/endpoints.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { JsonLogger } from '../../src/common/index.js';
import { ConfigError, loadConfig, type BallastConfigInput } from '../../src/config/index.js';
import { CRUISE_CONTROL_OPENAPI_DIR } from '../support/openapi.js';
import { getFrom, rawExchange } from '../support/raw-http.js';

const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdefghijklmnop';
const PASSWORDS = { viewer: 'viewer-secret-pw', user: 'user-secret-pw', admin: 'admin-secret-pw' } as const;
type Caller = 'anonymous' | keyof typeof PASSWORDS;
const CALLERS: Caller[] = ['anonymous', 'viewer', 'user', 'admin'];
// Cruise Control's DefaultRoleSecurityProvider, restated independently of src/api/security/roles.ts.
const VIEWER_ENDPOINTS = ['kafka_cluster_state', 'user_tasks', 'review_board', 'permissions'];
const ADMIN_ONLY_GETS = ['bootstrap', 'train'];
// Every POST carries an unknown parameter: an authorized caller gets the 400 naming it (the request
// reached the controller and changed nothing), a refused one its 401 or 403 first.
const PROBE = 'ballast_security_probe';

/** Each endpoint's method, from Cruise Control's spec. */
function specMethods(): Map<string, 'GET' | 'POST'> {
  const base = parse(readFileSync(join(CRUISE_CONTROL_OPENAPI_DIR, 'base.yaml'), 'utf8')) as {
    paths: Record<string, { $ref: string }>;
  };
  return new Map(
    Object.entries(base.paths).map(([path, { $ref }]) => {
      const [file, pointer] = $ref.split('#/');
      const doc = parse(readFileSync(join(CRUISE_CONTROL_OPENAPI_DIR, file!), 'utf8')) as Record<string, object>;
      return [path.slice(1), Object.keys(doc[pointer!]!)[0]!.toUpperCase() as 'GET' | 'POST'];
    }),
  );
}

function expectedStatus(
  caller: Caller,
  endpoint: string,
  method: 'GET' | 'POST',
): 'unauthenticated' | 'forbidden' | 'allowed' {
  if (caller === 'anonymous') return 'unauthenticated';
  if (caller === 'admin') return 'allowed';
  if (method === 'POST' || ADMIN_ONLY_GETS.includes(endpoint)) return 'forbidden';
  if (caller === 'user') return 'allowed';
  return VIEWER_ENDPOINTS.includes(endpoint) ? 'allowed' : 'forbidden';
}

function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key,
    '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { cert, key };
}

describe('API security on a sandbox cluster', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp;
  let dir: string;
  const logLines: string[] = [];

  async function start(overrides: BallastConfigInput, logger = new JsonLogger('silent')): Promise<RunningApp> {
    const config = loadConfig(
      {},
      {
        server: { host: '127.0.0.1', port: 0 },
        kafka: { bootstrapServers: kafka.bootstrapServers.split(',') },
        ...overrides,
      },
    );
    return startApp(config, logger);
  }

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([KafkaSandbox.start({ brokers: 1 }), RedisSandbox.start({ useEnv: false })]);
    dir = mkdtempSync(join(tmpdir(), 'ballast-api-security-'));
    const credentialsFile = join(dir, 'users');
    writeFileSync(
      credentialsFile,
      [
        '# Ballast API users',
        `viewer: ${bcrypt.hashSync(PASSWORDS.viewer, 4)},VIEWER`,
        `user:${bcrypt.hashSync(PASSWORDS.user, 4).replace(/^\$2b\$/, '$2y$')},USER`,
        `admin: ${bcrypt.hashSync(PASSWORDS.admin, 4)},ADMIN`,
      ].join('\n'),
    );
    ballast = await start(
      {
        redis: { url: redis.url },
        security: {
          enabled: true,
          basic: { credentialsFile },
          jwt: { secret: JWT_SECRET, issuer: 'https://idp.test' },
          cors: { allowedOrigins: ['https://ui.example.com'], allowCredentials: true },
        },
      },
      new JsonLogger('info', { write: (line: string) => void logLines.push(line) }),
    );
  });

  afterAll(async () => {
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const authorization = (caller: Caller): Record<string, string> =>
    caller === 'anonymous'
      ? {}
      : { authorization: `Basic ${Buffer.from(`${caller}:${PASSWORDS[caller]}`).toString('base64')}` };

  function send(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${ballast.url}${path}`, { method, headers });
  }

  const auditLines = () =>
    logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.context === 'Audit');

  it('answers the matrix anonymous / VIEWER / USER / ADMIN × every endpoint', async () => {
    const methods = specMethods();
    const seen: string[] = [];
    for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
      const method = methods.get(endpoint)!;
      for (const caller of CALLERS) {
        const query = method === 'POST' ? `json=true&${PROBE}=1` : 'json=true';
        const response = await send(method, `/kafkacruisecontrol/${endpoint}?${query}`, authorization(caller));
        const body = (await response.json()) as Record<string, unknown>;
        const expected = expectedStatus(caller, endpoint, method);
        const label = `${caller} ${method} ${endpoint}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`;
        if (expected === 'unauthenticated') {
          expect(response.status, label).toBe(401);
          expect(response.headers.get('www-authenticate'), label).toMatch(/^Basic realm="Ballast"/);
          expect(body, label).toMatchObject({
            version: 1,
            code: 'UNAUTHENTICATED',
            errorMessage: 'Authentication required',
          });
          expect(typeof body.stackTrace, label).toBe('string');
        } else if (expected === 'forbidden') {
          expect(response.status, label).toBe(403);
          expect(body, label).toMatchObject({ version: 1, code: 'FORBIDDEN' });
          expect(body.errorMessage, label).toContain(`User '${caller}' may not call ${method} ${endpoint}`);
        } else {
          expect([401, 403], label).not.toContain(response.status);
          // POSTs reached their controller, which refused the probe parameter before acting.
          if (method === 'POST') expect(body, label).toMatchObject({ code: 'INVALID_PARAMETER', parameter: PROBE });
        }
        seen.push(`${caller}:${endpoint}`);
      }
    }
    expect(seen).toHaveLength(CRUISE_CONTROL_ENDPOINTS.length * CALLERS.length);
  });

  it('reports each caller its own roles at GET /permissions', async () => {
    const roles: Record<string, unknown> = {};
    for (const caller of ['viewer', 'user', 'admin'] as const) {
      const response = await send('GET', '/kafkacruisecontrol/permissions?json=true', authorization(caller));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { roles: string[]; user: string };
      expect(body.user).toBe(caller);
      roles[caller] = body.roles;
    }
    expect(roles).toEqual({ viewer: ['VIEWER'], user: ['USER', 'VIEWER'], admin: ['ADMIN', 'USER', 'VIEWER'] });
    const text = await send('GET', '/kafkacruisecontrol/permissions', authorization('user'));
    expect(await text.text()).toMatch(
      /^User 'user' \(basic authentication\) has the roles USER, VIEWER\.\nRoles: USER, VIEWER\n$/,
    );
  });

  it('refuses a wrong password with 401 in plain text without json=true', async () => {
    const response = await send('GET', '/kafkacruisecontrol/kafka_cluster_state', {
      authorization: `Basic ${Buffer.from('admin:not-the-password').toString('base64')}`,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Basic realm="Ballast"');
    expect(await response.text()).toBe('Error: Invalid user name or password\n');
  });

  it('accepts a bearer token for its roles and refuses an expired one or one from another issuer', async () => {
    const key = new TextEncoder().encode(JWT_SECRET);
    const token = (claims: Record<string, unknown>, exp: string | number) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(key);
    const userToken = await token({ sub: 'ci-bot', roles: ['USER'], iss: 'https://idp.test' }, '5m');
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

    const permissions = await send('GET', '/kafkacruisecontrol/permissions?json=true', bearer(userToken));
    expect(await permissions.json()).toMatchObject({
      user: 'ci-bot',
      authentication: 'bearer',
      roles: ['USER', 'VIEWER'],
    });
    expect((await send('GET', '/kafkacruisecontrol/state?json=true', bearer(userToken))).status).toBe(200);
    const post = await send('POST', '/kafkacruisecontrol/pause_sampling?json=true', bearer(userToken));
    expect(post.status).toBe(403);

    const expired = await token(
      { sub: 'ci-bot', roles: ['ADMIN'], iss: 'https://idp.test' },
      Math.floor(Date.now() / 1000) - 3600,
    );
    const refused = await send('GET', '/kafkacruisecontrol/state?json=true', bearer(expired));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer realm="Ballast", error="invalid_token"');
    expect(await refused.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      errorMessage: expect.stringMatching(/"exp"/),
    });
    const foreign = await token({ sub: 'x', roles: ['ADMIN'], iss: 'https://evil.test' }, '5m');
    expect((await send('GET', '/kafkacruisecontrol/state?json=true', bearer(foreign))).status).toBe(401);
  });

  it('lets an ADMIN act (pause and resume sampling) and audits every POST, refusals included', async () => {
    const before = auditLines().length;
    const reason = 'OPS-42 disk swap';
    const pause = await send(
      'POST',
      `/kafkacruisecontrol/pause_sampling?json=true&reason=${encodeURIComponent(reason)}`,
      authorization('admin'),
    );
    expect(pause.status).toBe(200);
    const state = await (
      await send('GET', '/kafkacruisecontrol/state?json=true&substates=monitor', authorization('user'))
    ).json();
    expect(state).toMatchObject({ MonitorState: { state: 'PAUSED' } });
    expect((await send('POST', '/kafkacruisecontrol/resume_sampling?json=true', authorization('admin'))).status).toBe(
      200,
    );
    expect((await send('POST', '/kafkacruisecontrol/rebalance?dryrun=false', authorization('user'))).status).toBe(403);
    expect((await send('POST', '/kafkacruisecontrol/rebalance?dryrun=false')).status).toBe(401);
    expect((await send('POST', '/kafkacruisecontrol/pause_sampling?bogus=1', authorization('admin'))).status).toBe(400);
    // GETs are not audited.
    await send('GET', '/kafkacruisecontrol/kafka_cluster_state', authorization('viewer'));
    // The audit line is written when the answer has gone out, so it can trail the client's read.
    const lines = await waitForLines(() => auditLines().slice(before), 5);
    expect(lines.map((l) => [l.user, l.endpoint, l.status, l.outcome])).toEqual([
      ['admin', 'pause_sampling', 200, 'ok'],
      ['admin', 'resume_sampling', 200, 'ok'],
      ['user', 'rebalance', 403, 'refused'],
      ['anonymous', 'rebalance', 401, 'refused'],
      ['admin', 'pause_sampling', 400, 'rejected'],
    ]);
    expect(lines[0]).toMatchObject({
      level: 'info',
      reason,
      parameters: { json: 'true', reason },
      authentication: 'basic',
      roles: ['ADMIN'],
    });
    expect(lines[2]).toMatchObject({
      parameters: { dryrun: 'false' },
      refusedBecause: expect.stringContaining('needs the ADMIN role'),
    });
    for (const line of logLines)
      for (const secret of [...Object.values(PASSWORDS), JWT_SECRET]) expect(line).not.toContain(secret);
  });

  it('refuses a client flooding wrong passwords with 429 and Retry-After, and the right user still gets in', async () => {
    // The flood comes from 127.0.0.2, another client on loopback; the other tests' clients are 127.0.0.1.
    const flooder = '127.0.0.2';
    const url = `${ballast.url}/kafkacruisecontrol/state?json=true`;
    const wrong = { authorization: `Basic ${Buffer.from('admin:not-the-password').toString('base64')}` };
    const answers: Awaited<ReturnType<typeof getFrom>>[] = [];
    for (let wave = 0; wave < 3; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 24 }, () => getFrom(flooder, url, wrong)))));
    }
    const byStatus = (status: number) => answers.filter((a) => a.status === status);
    // The default burst (security.loginRateLimit.burst: 10) got checked and refused; the rest was
    // not checked. One more 401 if the flood outlasted a refill interval (6 s) on a slow machine.
    expect(byStatus(401).length).toBeGreaterThanOrEqual(10);
    expect(byStatus(401).length).toBeLessThanOrEqual(11);
    expect(byStatus(429)).toHaveLength(answers.length - byStatus(401).length);
    const refused = byStatus(429)[0]!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ version: 1, code: 'TOO_MANY_FAILED_LOGINS' });
    // The flooding client is refused even with the right password; everyone else gets in.
    expect((await getFrom(flooder, url, authorization('admin'))).status).toBe(429);
    const admin = await send('GET', '/kafkacruisecontrol/state?json=true', authorization('admin'));
    expect(admin.status).toBe(200);
    expect((await send('GET', '/kafkacruisecontrol/permissions?json=true', authorization('viewer'))).status).toBe(200);
    expect((await send('GET', '/health')).status).toBe(200);
  });

  it('gives every request an HTTP answer: CONNECT, TRACE, PROPFIND, a garbage request line, a 100 KB header', async () => {
    const allow = 'Allow: GET, HEAD, POST, OPTIONS';
    const connect = await rawExchange(ballast.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(connect.status, connect.head).toBe(405);
    expect(connect.head).toContain(allow);
    expect(JSON.parse(connect.body)).toMatchObject({ version: 1, code: 'METHOD_NOT_ALLOWED' });
    for (const method of ['TRACE', 'PROPFIND']) {
      const answer = await rawExchange(
        ballast.url,
        `${method} /kafkacruisecontrol/state?json=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status, answer.head).toBe(405);
      expect(answer.head).toContain(allow);
      expect(JSON.parse(answer.body)).toMatchObject({ version: 1, code: 'METHOD_NOT_ALLOWED' });
    }
    const garbage = await rawExchange(ballast.url, 'HELLO THERE\r\n\r\n');
    expect(garbage.status, garbage.head).toBe(400);
    expect(JSON.parse(garbage.body)).toMatchObject({ version: 1, code: 'MALFORMED_REQUEST' });
    const big = await rawExchange(
      ballast.url,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`,
    );
    expect(big.status, big.head).toBe(431);
    expect(JSON.parse(big.body)).toMatchObject({ version: 1, code: 'HEADERS_TOO_LARGE' });
    expect((await send('GET', '/health')).status).toBe(200);
  });

  it('keeps /health, /ready and /metrics open', async () => {
    expect((await send('GET', '/health')).status).toBe(200);
    expect([200, 503]).toContain((await send('GET', '/ready')).status);
    expect((await send('GET', '/metrics')).status).toBe(200);
  });

  it('answers CORS preflights without credentials and exposes User-Task-ID to the allowed origin', async () => {
    const preflight = await fetch(`${ballast.url}/kafkacruisecontrol/state`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://ui.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,user-task-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://ui.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('user-task-id');
    const get = await send('GET', '/kafkacruisecontrol/state?json=true', {
      origin: 'https://ui.example.com',
      ...authorization('user'),
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('user-task-id')).toBeTruthy();
    expect(get.headers.get('access-control-expose-headers')).toContain('User-Task-ID');
    const other = await send('GET', '/kafkacruisecontrol/state?json=true', {
      origin: 'https://evil.example.com',
      ...authorization('user'),
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves HTTPS with a configured certificate, and refuses to start with a key that does not match it', async () => {
    const tlsDir = mkdtempSync(join(dir, 'tls-'));
    const { cert, key } = selfSigned(tlsDir);
    const tls = await start({
      redis: { url: redis.url, keyPrefix: 'ballast-tls' },
      security: { tls: { enabled: true, certFile: cert, keyFile: key } },
    });
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const { status, body } = await httpsGet(`${tls.url}/health`, readFileSync(cert));
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
      // Plain HTTP to the TLS port does not get an answer.
      await expect(fetch(tls.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
      // Over TLS too, CONNECT gets an answer rather than a dropped connection.
      const connect = await rawExchange(tls.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n', {
        ca: readFileSync(cert),
      });
      expect(connect.status, connect.head).toBe(405);
    } finally {
      await tls.app.close();
    }
    const other = selfSigned(mkdtempSync(join(dir, 'tls-other-')));
    await expect(
      start({
        redis: { url: redis.url, keyPrefix: 'ballast-tls2' },
        security: { tls: { enabled: true, certFile: cert, keyFile: other.key } },
      }),
    ).rejects.toThrow(ConfigError);
  });
});

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { ca }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Waits (polling, bounded) until `read` returns at least `count` lines. */
async function waitForLines<T>(read: () => T[], count: number): Promise<T[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const lines = read();
    if (lines.length >= count) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}
