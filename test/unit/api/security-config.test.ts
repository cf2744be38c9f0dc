// The `security` configuration section: off by default, one switch to turn it on, refusals that
// name the key; and the HTTP server's TLS and CORS options built from it (certificates made here
// with openssl).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corsOptions, httpsOptions } from '../../../src/api/security/http-server.js';
import { ConfigError, loadConfig, type BallastConfigInput } from '../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-security-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const credentialsFile = join(dir, 'users');
writeFileSync(credentialsFile, '# filled by the operator\n');

function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`,
  ], { stdio: 'ignore' }); // prettier-ignore
  return { cert, key };
}

const load = (security: BallastConfigInput['security'], env: NodeJS.ProcessEnv = {}) =>
  loadConfig(env, { kafka: { bootstrapServers: ['k:9092'] }, ...(security ? { security } : {}) });

function problems(security: BallastConfigInput['security'], env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(security, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('security configuration', () => {
  it('is off by default, with TLS and CORS off too', () => {
    const { security } = load(undefined);
    expect(security.enabled).toBe(false);
    expect(security.tls.enabled).toBe(false);
    expect(security.cors.allowedOrigins).toEqual([]);
    expect(httpsOptions(security.tls)).toBeUndefined();
    expect(corsOptions(security.cors)).toBeUndefined();
  });

  it('turns on with one switch from the environment once a way to authenticate is set', () => {
    const { security } = load(undefined, {
      BALLAST_SECURITY_ENABLED: 'true',
      BALLAST_SECURITY_BASIC_CREDENTIALS_FILE: credentialsFile,
      BALLAST_SECURITY_CORS_ALLOWED_ORIGINS: 'https://ui.example.com,http://localhost:8080',
    });
    expect(security.enabled).toBe(true);
    expect(security.basic.credentialsFile).toBe(credentialsFile);
    expect(security.cors.allowedOrigins).toEqual(['https://ui.example.com', 'http://localhost:8080']);
  });

  it('refuses inconsistent settings, naming the key', () => {
    expect(problems({ enabled: true })).toEqual([
      expect.stringMatching(/^security\.enabled: .*no way to authenticate/),
    ]);
    expect(problems({ jwt: { secret: 'x'.repeat(32), publicKeyFile: credentialsFile } })).toEqual([
      'security.jwt.publicKeyFile: set either secret (HMAC) or publicKeyFile, not both',
    ]);
    expect(problems({ jwt: { secret: 'too-short' } })).toEqual([
      expect.stringMatching(/^security\.jwt\.secret: must be at least 32/),
    ]);
    expect(problems({ tls: { enabled: true } })).toEqual([
      expect.stringMatching(/^security\.tls\.certFile: certFile and keyFile are required/),
    ]);
    expect(problems({ basic: { credentialsFile: join(dir, 'missing') } })).toEqual([
      'security.basic.credentialsFile: file does not exist or is not readable',
    ]);
    expect(problems({ cors: { allowedOrigins: ['https://ui.example.com/app'] } })).toEqual([
      expect.stringMatching(/^security\.cors\.allowedOrigins\.0: expected \* or an origin/),
    ]);
    expect(problems({ cors: { allowedOrigins: ['*'], allowCredentials: true } })).toEqual([
      expect.stringMatching(/^security\.cors\.allowedOrigins: allowCredentials cannot be combined/),
    ]);
    expect(problems({ jwt: { algorithms: ['none' as 'HS256'] } })).toEqual([
      expect.stringMatching(/^security\.jwt\.algorithms\.0: /),
    ]);
  });
});

describe('httpsOptions', () => {
  it('reads a certificate and its key', () => {
    const { cert, key } = selfSigned('good');
    const options = httpsOptions(load({ tls: { enabled: true, certFile: cert, keyFile: key } }).security.tls);
    expect(options?.cert.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(options?.key.toString()).toMatch(/PRIVATE KEY-----/);
  });

  it('stops start-up naming both files when the key does not belong to the certificate', () => {
    const a = selfSigned('a');
    const b = selfSigned('b');
    const tls = load({ tls: { enabled: true, certFile: a.cert, keyFile: b.key } }).security.tls;
    expect(() => httpsOptions(tls)).toThrow(ConfigError);
    expect(() => httpsOptions(tls)).toThrow(`security.tls.certFile (${a.cert} + ${b.key}): not a usable certificate`);
  });

  it('stops start-up when a file is not PEM', () => {
    const a = selfSigned('c');
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const tls = load({ tls: { enabled: true, certFile: garbage, keyFile: a.key } }).security.tls;
    expect(() => httpsOptions(tls)).toThrow(/not a usable certificate and private key pair/);
  });
});

describe('corsOptions', () => {
  it('allows the configured origins and exposes User-Task-ID for polling', () => {
    const cors = corsOptions(
      load({ cors: { allowedOrigins: ['https://ui.example.com'], allowCredentials: true } }).security.cors,
    );
    expect(cors).toMatchObject({
      origin: ['https://ui.example.com'],
      credentials: true,
      exposedHeaders: expect.arrayContaining(['User-Task-ID']),
      allowedHeaders: expect.arrayContaining(['Authorization', 'User-Task-ID']),
    });
  });
});
