// Secrets stay out of logs and error answers: the start-up line (which carries the whole
// configuration) and any log line pass through redaction and scrubbing; configuration, credentials
// and authentication errors never quote a password, a JWT secret or a bcrypt hash. Also the audit line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArgumentsHost, Logger } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiExceptionFilter } from '../../../src/api/api-exception.filter.js';
import { auditParameters, auditRecord } from '../../../src/api/security/audit-log.js';
import { parseCredentialsFile } from '../../../src/api/security/credentials-file.js';
import {
  configSecrets,
  redactSecrets,
  SecretScrubbingLogger,
  startupLogRecord,
} from '../../../src/api/security/redaction.js';
import { AuthenticationError } from '../../../src/api/security/security.errors.js';
import { SecurityService } from '../../../src/api/security/security.service.js';
import { JsonLogger } from '../../../src/common/index.js';
import { BallastConfig, ConfigError, loadConfig } from '../../../src/config/index.js';

// The services log through Nest's static logger; the assertions here do not read it.
Logger.overrideLogger(false);

const SASL_PASSWORD = 'sasl-Pa55word-kafka';
const JWT_SECRET = 'jwt-secret-that-is-long-enough-0123456789';
const REDIS_PASSWORD = 'redis-pw-42';
const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET';
const HASH = bcrypt.hashSync('api-user-password', 4);

const dir = mkdtempSync(join(tmpdir(), 'ballast-redaction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const credentialsFile = join(dir, 'users');
writeFileSync(credentialsFile, `ops: ${HASH},ADMIN\n`);

const values = loadConfig(
  {},
  {
    kafka: {
      bootstrapServers: ['k1:9093'],
      sasl: { mechanism: 'scram-sha-512', username: 'ballast', password: SASL_PASSWORD },
    },
    redis: { url: `redis://default:${REDIS_PASSWORD}@redis:6379` },
    detector: { alerts: { webhookUrl: WEBHOOK } },
    security: { enabled: true, basic: { credentialsFile }, jwt: { secret: JWT_SECRET } },
  },
);
const SECRETS = [SASL_PASSWORD, JWT_SECRET, REDIS_PASSWORD, WEBHOOK, HASH];

function capture(): { logger: SecretScrubbingLogger; lines: string[] } {
  const lines: string[] = [];
  const json = new JsonLogger('debug', { write: (line: string) => void lines.push(line) });
  return { logger: new SecretScrubbingLogger(json, configSecrets(values)), lines };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\$2[aby]\$\d\d\$/);
}

describe('the start-up log line', () => {
  it('carries the configuration with every secret redacted, and file paths kept', () => {
    const { logger, lines } = capture();
    logger.log(startupLogRecord(values, 9090), 'Main');
    expect(lines).toHaveLength(1);
    expectNoSecret(lines[0]!);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ msg: 'Ballast listening', context: 'Main', port: 9090, security: true });
    expect(line.config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'ballast', password: '***' });
    expect(line.config.security.jwt.secret).toBe('***');
    expect(line.config.redis.url).toBe('redis://default:***@redis:6379');
    expect(line.config.detector.alerts.webhookUrl).toBe('***');
    expect(line.config.security.basic.credentialsFile).toBe(credentialsFile);
  });

  it('leaves unset secrets visible as unset', () => {
    const plain = loadConfig({}, { kafka: { bootstrapServers: ['k1:9092'] } });
    const config = redactSecrets(plain) as typeof plain;
    expect(config.kafka.sasl.password).toBe('');
    expect(config.security.jwt.secret).toBeUndefined();
  });
});

describe('the scrubbing logger', () => {
  it('removes configured secrets and bcrypt hashes from messages, fields and errors', () => {
    const { logger, lines } = capture();
    logger.error(new Error(`SASL authentication failed for password ${SASL_PASSWORD}`), 'Kafka');
    logger.warn({ msg: 'odd', detail: { nested: [`token=${JWT_SECRET}`, HASH] } }, 'Api');
    logger.log(`connecting to redis://default:${REDIS_PASSWORD}@redis:6379`, 'Redis');
    expect(lines).toHaveLength(3);
    for (const line of lines) expectNoSecret(line);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      context: 'Kafka',
      err: { message: expect.any(String) },
    });
    expect(JSON.parse(lines[1]!).detail.nested).toEqual(['token=***', '***']);
  });

  it('passes lines without secrets through untouched', () => {
    const { logger, lines } = capture();
    const fields = { msg: 'round done', brokers: [0, 1, 2] };
    logger.log(fields, 'Monitor');
    expect(JSON.parse(lines[0]!)).toMatchObject(fields);
  });
});

describe('error messages', () => {
  it('configuration errors name the key, not the secret value', () => {
    const attempts = [
      { security: { enabled: true, jwt: { secret: 'short-secret' } } },
      { kafka: { bootstrapServers: ['k:9092'], sasl: { mechanism: 'md5', username: 'u', password: SASL_PASSWORD } } },
    ];
    for (const overrides of attempts) {
      const error = (() => {
        try {
          loadConfig({}, { kafka: { bootstrapServers: ['k:9092'] }, ...overrides });
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).not.toContain('short-secret');
      expect(error.message).not.toContain(SASL_PASSWORD);
    }
  });

  it('credentials file errors never quote a hash or a password', () => {
    expect(() => parseCredentialsFile(`ops: ${HASH}\nbad: ${SASL_PASSWORD},ADMIN`, credentialsFile)).toThrow(
      ConfigError,
    );
    try {
      parseCredentialsFile(`ops: ${HASH}\nbad: ${SASL_PASSWORD},ADMIN`, credentialsFile);
    } catch (error) {
      expectNoSecret((error as Error).message);
    }
  });

  it('a 401 answers in Cruise Control error shape without the presented password', async () => {
    const service = new SecurityService(new BallastConfig(values));
    const presented = `Basic ${Buffer.from(`ops:${SASL_PASSWORD}`).toString('base64')}`;
    const error = await service.authenticate(presented).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    let status = 0;
    let body: Record<string, unknown> = {};
    const response = {
      headersSent: false,
      status(s: number) {
        status = s;
        return response;
      },
      json(b: Record<string, unknown>) {
        body = b;
      },
    };
    const request = { path: '/kafkacruisecontrol/state', query: { json: 'true' } };
    const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) };
    new ApiExceptionFilter().catch(error, host as unknown as ArgumentsHost);
    expect(status).toBe(401);
    expect(body).toEqual({
      version: 1,
      errorMessage: 'Invalid user name or password',
      stackTrace: 'AuthenticationError: Invalid user name or password',
      code: 'UNAUTHENTICATED',
    });
    expectNoSecret(JSON.stringify(body));
  });
});

describe('the audit line', () => {
  it('names the caller, endpoint, parameters, reason and outcome', () => {
    const record = auditRecord({
      method: 'POST',
      endpoint: 'rebalance',
      query: { dryrun: 'false', Reason: 'ticket OPS-1', goals: 'RackAwareGoal' },
      status: 202,
      completed: true,
      auth: { principal: { name: 'ops', roles: ['ADMIN'], scheme: 'basic' } },
      userTaskId: 'b2c1',
      clientIp: '10.0.0.7',
      durationMs: 12,
    });
    expect(record).toEqual({
      msg: 'audit',
      user: 'ops',
      authentication: 'basic',
      roles: ['ADMIN'],
      method: 'POST',
      endpoint: 'rebalance',
      parameters: { dryrun: 'false', Reason: 'ticket OPS-1', goals: 'RackAwareGoal' },
      reason: 'ticket OPS-1',
      status: 202,
      outcome: 'accepted',
      userTaskId: 'b2c1',
      clientIp: '10.0.0.7',
      durationMs: 12,
    });
  });

  it('records refusals as anonymous with why, and rejected or failed requests by status', () => {
    const base = { method: 'POST', endpoint: 'admin', query: {}, completed: true, userTaskId: undefined };
    const refused = auditRecord({
      ...base,
      status: 401,
      auth: { failure: 'Authentication required' },
      clientIp: undefined,
      durationMs: 1,
    });
    expect(refused).toMatchObject({
      user: 'anonymous',
      outcome: 'refused',
      reason: null,
      refusedBecause: 'Authentication required',
    });
    const rejected = auditRecord({ ...base, status: 400, auth: undefined, clientIp: '::1', durationMs: 1 });
    expect(rejected).toMatchObject({ user: 'anonymous', outcome: 'rejected', status: 400 });
    expect(auditRecord({ ...base, status: 500, auth: undefined, clientIp: '::1', durationMs: 1 }).outcome).toBe(
      'failed',
    );
    expect(
      auditRecord({ ...base, status: 200, completed: false, auth: undefined, clientIp: '::1', durationMs: 1 }).outcome,
    ).toBe('aborted');
  });

  it('redacts secret-named parameters and cuts long values', () => {
    const params = auditParameters({
      password: 'p',
      api_key: 'k',
      excluded_topics: 'x'.repeat(600),
      brokerid: ['1', '2'],
    });
    expect(params.password).toBe('***');
    expect(params.api_key).toBe('***');
    expect(params.excluded_topics).toMatch(/^x{512}…\(600 chars\)$/);
    expect(params.brokerid).toEqual(['1', '2']);
  });
});
