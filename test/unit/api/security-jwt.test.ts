// Bearer tokens: signed here with jose, verified by JwtVerifier against an HMAC secret or a PEM
// public key; exp/nbf/iss/aud are checked and roles come from the configured claim.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { JwtVerifier } from '../../../src/api/security/jwt-verifier.js';
import { AuthenticationError } from '../../../src/api/security/security.errors.js';
import { ConfigError, configSchema, type SecurityConfig } from '../../../src/config/index.js';

const SECRET = 'a-test-hmac-secret-of-at-least-32-characters';
const nowS = () => Math.floor(Date.now() / 1000);

function jwtConfig(overrides: Partial<SecurityConfig['jwt']>): SecurityConfig['jwt'] {
  const parsed = configSchema.shape.security.parse({ jwt: overrides });
  return parsed.jwt;
}

async function hmacToken(claims: JWTPayload, options: { alg?: string; secret?: string; expS?: number } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt();
  if (options.expS !== 0) jwt.setExpirationTime(options.expS ?? nowS() + 3600);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function refusal(verifier: JwtVerifier, token: string): Promise<AuthenticationError> {
  try {
    await verifier.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).scheme).toBe('bearer');
    return error as AuthenticationError;
  }
  throw new Error('expected the token to be refused');
}

describe('JwtVerifier with an HMAC secret', () => {
  const verifier = JwtVerifier.fromConfig(jwtConfig({ secret: SECRET }))!;

  it('accepts a valid token and takes the caller from sub and the roles from the roles claim', async () => {
    const token = await hmacToken({ sub: 'alice', roles: ['user', 'ADMIN', 'kafka-operators'] });
    expect(await verifier.verify(token)).toEqual({ name: 'alice', roles: ['USER', 'ADMIN'], scheme: 'bearer' });
  });

  it('accepts a role claim given as one space- or comma-separated string', async () => {
    expect((await verifier.verify(await hmacToken({ sub: 'a', roles: 'VIEWER, USER' }))).roles).toEqual([
      'VIEWER',
      'USER',
    ]);
  });

  it('refuses a token signed with another secret, naming the failed check and never the token', async () => {
    const token = await hmacToken({ sub: 'mallory', roles: ['ADMIN'] }, { secret: 'x'.repeat(40) });
    const error = await refusal(verifier, token);
    expect(error.message).toMatch(/^Bearer token refused: signature verification failed/);
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses an expired token and a token without exp', async () => {
    const expired = await hmacToken({ sub: 'alice', roles: ['ADMIN'] }, { expS: nowS() - 3600 });
    expect((await refusal(verifier, expired)).message).toMatch(/"exp" claim timestamp check failed/);
    const forever = await hmacToken({ sub: 'alice', roles: ['ADMIN'] }, { expS: 0 });
    expect((await refusal(verifier, forever)).message).toMatch(/missing required "exp" claim/);
  });

  it('refuses a token that is not valid yet (nbf beyond the clock tolerance)', async () => {
    const early = await hmacToken({ sub: 'alice', roles: ['ADMIN'], nbf: nowS() + 600 });
    expect((await refusal(verifier, early)).message).toMatch(/"nbf" claim timestamp check failed/);
  });

  it('refuses an algorithm the key does not allow, alg none included', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'eve', roles: ['ADMIN'], exp: nowS() + 60 }),
    ).toString('base64url')}.`;
    expect((await refusal(verifier, unsigned)).message).toMatch(/refused/);
    const hs512Only = JwtVerifier.fromConfig(jwtConfig({ secret: SECRET, algorithms: ['HS512'] }))!;
    expect((await refusal(hs512Only, await hmacToken({ sub: 'a' }))).message).toMatch(/"alg"/);
  });

  it('refuses garbage and a token without a subject', async () => {
    expect((await refusal(verifier, 'not-a-jwt')).message).toMatch(/^Bearer token refused/);
    expect((await refusal(verifier, await hmacToken({ roles: ['ADMIN'] }))).message).toMatch(/no 'sub' claim/);
  });
});

describe('JwtVerifier claims configuration', () => {
  it('checks issuer and audience when configured', async () => {
    const verifier = JwtVerifier.fromConfig(jwtConfig({ secret: SECRET, issuer: 'https://idp', audience: 'ballast' }))!;
    const good = await hmacToken({ sub: 'a', roles: ['USER'], iss: 'https://idp', aud: ['other', 'ballast'] });
    expect((await verifier.verify(good)).roles).toEqual(['USER']);
    const wrongIssuer = await hmacToken({ sub: 'a', iss: 'https://evil', aud: 'ballast' });
    expect((await refusal(verifier, wrongIssuer)).message).toMatch(/"iss"/);
    const wrongAudience = await hmacToken({ sub: 'a', iss: 'https://idp', aud: 'grafana' });
    expect((await refusal(verifier, wrongAudience)).message).toMatch(/"aud"/);
  });

  it('reads roles and the user name from configured (nested) claims', async () => {
    const verifier = JwtVerifier.fromConfig(
      jwtConfig({ secret: SECRET, roleClaim: 'realm_access.roles', usernameClaim: 'preferred_username' }),
    )!;
    const token = await hmacToken({ sub: 'uuid-1', preferred_username: 'bob', realm_access: { roles: ['viewer'] } });
    expect(await verifier.verify(token)).toEqual({ name: 'bob', roles: ['VIEWER'], scheme: 'bearer' });
    // A token without the claim authenticates with no role (the guard then answers 403).
    expect((await verifier.verify(await hmacToken({ preferred_username: 'carol' }))).roles).toEqual([]);
  });
});

describe('JwtVerifier with a public key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-jwt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKeyFile = join(dir, 'public.pem');
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));

  it('verifies ES256 tokens and allows only the algorithm of the key', async () => {
    const verifier = JwtVerifier.fromConfig(jwtConfig({ publicKeyFile }))!;
    expect(verifier.algorithms).toEqual(['ES256']);
    const token = await new SignJWT({ sub: 'ops', roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await verifier.verify(token)).roles).toEqual(['ADMIN']);
    // An HS256 token "signed" with the public key's PEM as a secret (the classic confusion attack).
    const confused = await hmacToken(
      { sub: 'eve', roles: ['ADMIN'] },
      { secret: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    );
    expect((await refusal(verifier, confused)).message).toMatch(/"alg"/);
  });

  it('refuses a private key file and algorithms the key cannot verify, as configuration errors', () => {
    const privateKeyFile = join(dir, 'private.pem');
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => JwtVerifier.fromConfig(jwtConfig({ publicKeyFile: privateKeyFile }))).toThrow(ConfigError);
    expect(() => JwtVerifier.fromConfig(jwtConfig({ publicKeyFile: privateKeyFile }))).toThrow(/private key/);
    expect(() => JwtVerifier.fromConfig(jwtConfig({ publicKeyFile, algorithms: ['RS256'] }))).toThrow(
      /security\.jwt\.algorithms.*RS256 cannot be verified/,
    );
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'hello');
    expect(() => JwtVerifier.fromConfig(jwtConfig({ publicKeyFile: garbage }))).toThrow(/not a PEM public key/);
  });

  it('is off without a key', () => {
    expect(JwtVerifier.fromConfig(jwtConfig({}))).toBeUndefined();
  });
});
