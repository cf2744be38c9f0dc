// The global guard on real controller routes (their Nest metadata, not URLs): with security off
// everyone passes; with it on, anonymous callers get 401 with challenges, weaker roles 403, and
// Ballast's own routes stay open. HTTP Basic checks bcrypt hashes from a credentials file.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import bcrypt from 'bcryptjs';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionController } from '../../../src/api/execution.controller.js';
import { HealthController } from '../../../src/api/health.controller.js';
import { KafkaClusterStateController } from '../../../src/api/kafka-cluster-state.controller.js';
import { PermissionsController, permissionsAnswer } from '../../../src/api/permissions.controller.js';
import { AuditLog } from '../../../src/api/security/audit-log.js';
import { principalOf } from '../../../src/api/security/principal.js';
import { AccessDeniedError, AuthenticationError } from '../../../src/api/security/security.errors.js';
import { SecurityGuard } from '../../../src/api/security/security.guard.js';
import { SecurityService } from '../../../src/api/security/security.service.js';
import { StateController } from '../../../src/api/state.controller.js';
import { BallastConfig, loadConfig, type BallastConfigInput } from '../../../src/config/index.js';

// The services log through Nest's static logger; the assertions here do not read it.
Logger.overrideLogger(false);

const JWT_SECRET = 'unit-test-jwt-secret-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'ballast-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const credentialsFile = join(dir, 'users');
writeFileSync(
  credentialsFile,
  [
    `viewer: ${bcrypt.hashSync('viewer-pw', 4)},VIEWER`,
    `user: ${bcrypt.hashSync('user-pw', 4)},USER`,
    `admin: ${bcrypt.hashSync('admin-pw:with:colons', 4)},ADMIN`,
  ].join('\n'),
);

function config(security: BallastConfigInput['security']): BallastConfig {
  return new BallastConfig(loadConfig({}, { kafka: { bootstrapServers: ['localhost:9092'] }, security }));
}

const secured = config({ enabled: true, basic: { credentialsFile }, jwt: { secret: JWT_SECRET } });

class FakeResponse extends EventEmitter {
  readonly headers = new Map<string, unknown>();
  statusCode = 200;
  writableFinished = true;
  setHeader(name: string, value: unknown): void {
    this.headers.set(name.toLowerCase(), value);
  }
  getHeader(name: string): unknown {
    return this.headers.get(name.toLowerCase());
  }
}

function call(
  guard: SecurityGuard,
  controller: object,
  handler: string,
  method: 'GET' | 'POST',
  authorization?: string,
) {
  const request = { method, headers: authorization ? { authorization } : {}, query: {}, ip: '127.0.0.1' };
  const response = new FakeResponse();
  const type = (controller as { prototype: Record<string, () => unknown> }).prototype;
  const context = new ExecutionContextHost([request, response], controller as never, type[handler]);
  return { result: guard.canActivate(context), request, response };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const guardFor = (c: BallastConfig) => new SecurityGuard(new Reflector(), new SecurityService(c), new AuditLog());

describe('SecurityGuard with security off', () => {
  it('lets every call through, as anonymous', async () => {
    const guard = guardFor(config({}));
    const { result, request } = call(guard, ExecutionController, 'rebalance', 'POST');
    expect(await result).toBe(true);
    expect(principalOf(request as never)).toBeUndefined();
  });
});

describe('SecurityGuard with security on', () => {
  const guard = guardFor(secured);

  it('answers an anonymous call with 401 and both challenges', async () => {
    const { result, response } = call(guard, KafkaClusterStateController, 'kafkaClusterState', 'GET');
    await expect(result).rejects.toBeInstanceOf(AuthenticationError);
    expect(response.getHeader('WWW-Authenticate')).toEqual([
      'Basic realm="Ballast", charset="UTF-8"',
      'Bearer realm="Ballast"',
    ]);
  });

  it('gives the same 401 for an unknown user and a wrong password, and marks a refused token', async () => {
    const unknown = call(guard, StateController, 'state', 'GET', basic('nobody', 'x'));
    const wrong = call(guard, StateController, 'state', 'GET', basic('admin', 'admin-pw'));
    const [a, b] = await Promise.allSettled([unknown.result, wrong.result]);
    expect(a.status === 'rejected' && (a.reason as Error).message).toBe('Invalid user name or password');
    expect(b.status === 'rejected' && (b.reason as Error).message).toBe('Invalid user name or password');
    const token = call(guard, StateController, 'state', 'GET', 'Bearer abc.def.ghi');
    await expect(token.result).rejects.toThrow(/^Bearer token refused/);
    expect(token.response.getHeader('WWW-Authenticate')).toContain('Bearer realm="Ballast", error="invalid_token"');
    await expect(call(guard, StateController, 'state', 'GET', 'Digest x').result).rejects.toThrow(
      /use Basic or Bearer/,
    );
  });

  it('allows a VIEWER the monitoring endpoints and refuses it the others with 403', async () => {
    const ok = call(guard, KafkaClusterStateController, 'kafkaClusterState', 'GET', basic('viewer', 'viewer-pw'));
    expect(await ok.result).toBe(true);
    expect(principalOf(ok.request as never)).toEqual({ name: 'viewer', roles: ['VIEWER'], scheme: 'basic' });
    const denied = call(guard, StateController, 'state', 'GET', basic('viewer', 'viewer-pw'));
    await expect(denied.result).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(denied.result).rejects.toThrow("User 'viewer' may not call GET state: it needs the USER role");
  });

  it('allows a USER the GETs and refuses it POSTs; lets an ADMIN (password with colons) post', async () => {
    expect(await call(guard, StateController, 'state', 'GET', basic('user', 'user-pw')).result).toBe(true);
    await expect(
      call(guard, ExecutionController, 'rebalance', 'POST', basic('user', 'user-pw')).result,
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const admin = basic('admin', 'admin-pw:with:colons');
    expect(await call(guard, ExecutionController, 'rebalance', 'POST', admin).result).toBe(true);
    // Verified pairs are remembered: the second call is answered the same.
    expect(await call(guard, ExecutionController, 'rebalance', 'POST', admin).result).toBe(true);
  });

  it('accepts a bearer token with the roles of its claim', async () => {
    const token = await new SignJWT({ sub: 'ci-bot', roles: ['USER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const { result, request } = call(guard, StateController, 'state', 'GET', `Bearer ${token}`);
    expect(await result).toBe(true);
    expect(principalOf(request as never)).toEqual({ name: 'ci-bot', roles: ['USER'], scheme: 'bearer' });
  });

  it("leaves Ballast's own routes (/health) open", async () => {
    expect(await call(guard, HealthController, 'health', 'GET').result).toBe(true);
  });

  it('has GET /permissions report the authenticated caller', async () => {
    const { result, request } = call(guard, PermissionsController, 'permissions', 'GET', basic('user', 'user-pw'));
    expect(await result).toBe(true);
    const body = permissionsAnswer({ json: 'true' }, principalOf(request as never)).body;
    expect(body).toMatchObject({ version: 1, roles: ['USER', 'VIEWER'], user: 'user', authentication: 'basic' });
    expect(body.allowedEndpoints).toContain('proposals');
    expect(body.allowedEndpoints).not.toContain('rebalance');
  });
});
