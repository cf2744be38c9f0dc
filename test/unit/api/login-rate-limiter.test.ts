// Failed authentications are limited per client (security.loginRateLimit): the token bucket on a
// fake clock, the limiter's bounded memory, client keys by address, and SecurityService refusing a
// flooding client with TooManyFailedLoginsError before any bcrypt runs, while others still get in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  clientKey,
  LoginRateLimiter,
  type LoginRateLimitOptions,
} from '../../../src/api/security/login-rate-limiter.js';
import { PasswordVerifier } from '../../../src/api/security/password-verifier.js';
import { AuthenticationError, TooManyFailedLoginsError } from '../../../src/api/security/security.errors.js';
import { SecurityService } from '../../../src/api/security/security.service.js';
import { BallastConfig, loadConfig, type BallastConfigInput } from '../../../src/config/index.js';

Logger.overrideLogger(false);

const OPTIONS: LoginRateLimitOptions = { enabled: true, burst: 3, refillIntervalMs: 1_000, maxClients: 100 };

function limiterAt(options: Partial<LoginRateLimitOptions> = {}) {
  const clock = { nowMs: 0 };
  return { clock, limiter: new LoginRateLimiter({ ...OPTIONS, ...options }, () => clock.nowMs) };
}

describe('LoginRateLimiter', () => {
  it('allows a burst of failures, then refuses with the time until the next token', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i++) expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('a')).toEqual({ allowed: false, retryAfterMs: 1_000, firstRefusal: true });
    clock.nowMs = 400;
    expect(limiter.attempt('a')).toEqual({ allowed: false, retryAfterMs: 600, firstRefusal: false });
    clock.nowMs = 1_000;
    expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('a')).toMatchObject({ allowed: false, firstRefusal: true });
  });

  it('gives a successful attempt its token back, so only failures count', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 10; i++) {
      const attempt = limiter.attempt('a');
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) attempt.succeeded();
    }
    expect(limiter.size).toBe(0);
  });

  it('keeps clients apart', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 4; i++) limiter.attempt('attacker');
    expect(limiter.attempt('attacker').allowed).toBe(false);
    expect(limiter.attempt('someone-else').allowed).toBe(true);
  });

  it('never holds more than maxClients, forgetting the least recently seen', () => {
    const { limiter } = limiterAt({ maxClients: 50 });
    for (let round = 0; round < 3; round++) limiter.attempt('first');
    for (let i = 0; i < 1_000; i++) limiter.attempt(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(50);
    // 'first' had used its burst, but was forgotten: it starts again with a full one.
    expect(limiter.attempt('first').allowed).toBe(true);
  });

  it('forgets a client whose bucket is full again', () => {
    const { clock, limiter } = limiterAt();
    limiter.attempt('a');
    limiter.attempt('b');
    expect(limiter.size).toBe(2);
    clock.nowMs = 1_000;
    const attempt = limiter.attempt('a');
    if (attempt.allowed) attempt.succeeded();
    expect(limiter.size).toBe(1);
  });

  it('allows everything when disabled', () => {
    const { limiter } = limiterAt({ enabled: false });
    for (let i = 0; i < 100; i++) expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });
});

describe('clientKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0:0:0:ffff', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('keys %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe('SecurityService with the login rate limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-login-limit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const credentialsFile = join(dir, 'users');
  writeFileSync(credentialsFile, `ops: ${bcrypt.hashSync('right-password', 4)},ADMIN\n`);
  const service = (security: BallastConfigInput['security'] = {}) =>
    new SecurityService(
      new BallastConfig(
        loadConfig(
          {},
          {
            kafka: { bootstrapServers: ['localhost:9092'] },
            security: {
              enabled: true,
              basic: { credentialsFile },
              loginRateLimit: { burst: 5, refillIntervalMs: 60_000 },
              ...security,
            },
          },
        ),
      ),
    );
  const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: unknown) => error,
    );

  it('refuses a flooding client with 429 before checking, and lets another client in', async () => {
    const security = service();
    const verify = vi.spyOn(PasswordVerifier.prototype, 'verify');
    try {
      const flood = await Promise.all(
        Array.from({ length: 24 }, () => outcome(security.authenticate(basic('wrong'), '192.0.2.66'))),
      );
      expect(flood.filter((e) => e instanceof AuthenticationError)).toHaveLength(5);
      const refused = flood.filter((e): e is TooManyFailedLoginsError => e instanceof TooManyFailedLoginsError);
      expect(refused).toHaveLength(19);
      expect(refused[0]!.retryAfterMs).toBeGreaterThan(0);
      expect(refused[0]!.retryAfterMs).toBeLessThanOrEqual(60_000);
      // Only the burst reached bcrypt.
      expect(verify).toHaveBeenCalledTimes(5);
      // The right password from the flooding address is refused too: a blocked client tests nothing.
      expect(await outcome(security.authenticate(basic('right-password'), '192.0.2.66'))).toBeInstanceOf(
        TooManyFailedLoginsError,
      );
      expect(await security.authenticate(basic('right-password'), '198.51.100.1')).toMatchObject({ name: 'ops' });
      // No credentials at all is a plain 401, whoever asks.
      expect(await outcome(security.authenticate(undefined, '192.0.2.66'))).toBeInstanceOf(AuthenticationError);
    } finally {
      verify.mockRestore();
      await security.onModuleDestroy();
    }
  });

  it('does not count successful logins', async () => {
    const security = service();
    try {
      for (let i = 0; i < 20; i++) {
        expect(await security.authenticate(basic('right-password'), '192.0.2.1')).toMatchObject({ name: 'ops' });
      }
    } finally {
      await security.onModuleDestroy();
    }
  });

  it('never refuses with 429 when the limit is off', async () => {
    const security = service({ enabled: true, basic: { credentialsFile }, loginRateLimit: { enabled: false } });
    try {
      const results = await Promise.all(
        Array.from({ length: 15 }, () => outcome(security.authenticate(basic('wrong'), '192.0.2.66'))),
      );
      expect(results.every((e) => e instanceof AuthenticationError)).toBe(true);
    } finally {
      await security.onModuleDestroy();
    }
  });
});
