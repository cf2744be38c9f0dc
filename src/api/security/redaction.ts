// Keeps secrets out of logs and error messages: the configuration is logged with secret values
// replaced, and every log line passes through a scrubber that removes the configured secrets
// (Kafka SASL password, JWT secret, passwords in URLs) and anything shaped like a bcrypt hash.
import type { LoggerService } from '@nestjs/common';
import type { BallastConfigValues } from '../../config/index.js';

export const REDACTED = '***';

/** Keys whose values are secrets wherever they appear (`password`, `jwt.secret`, a webhook URL that is its own credential). */
const SECRET_KEY = /pass(word)?$|secret|token|credential|private|api[_-]?key|authorization|webhook/i;
/** A bcrypt hash anywhere in a string. */
const BCRYPT_HASH = /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/g;
/** user:password@ in a URL. */
const URL_PASSWORD = /(\/\/[^:@/\s]*):[^@/\s]*@/g;
// A secret shorter than this would blank out ordinary words; such a secret is weak anyway.
const MIN_SCRUBBED_CHARS = 4;

/** A copy of `value` with every secret-named key's value and every URL password replaced. */
export function redactSecrets(value: unknown): unknown {
  return redact(value, new WeakSet());
}

function redact(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return value.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(BCRYPT_HASH, REDACTED);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const hasValue = child !== undefined && child !== null && child !== '';
    // A file path (credentialsFile, keyFile) names where a secret is, which is worth seeing.
    const secret = SECRET_KEY.test(key) && !key.endsWith('File') && hasValue && typeof child !== 'boolean';
    out[key] = secret ? REDACTED : redact(child, seen);
  }
  return out;
}

/** The secret values in a configuration, for the log scrubber. */
export function configSecrets(config: BallastConfigValues): string[] {
  const secrets = [config.kafka.sasl.password, config.security.jwt.secret, config.detector.alerts.webhookUrl];
  for (const url of [config.redis.url, config.monitor.prometheus.url]) {
    const password = url === undefined ? undefined : /\/\/[^:@/\s]*:([^@/\s]+)@/.exec(url)?.[1];
    if (password !== undefined) secrets.push(password, safeDecode(password));
  }
  return [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SCRUBBED_CHARS))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` with every occurrence of a secret and every bcrypt hash replaced. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text.replace(BCRYPT_HASH, REDACTED);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** `value` unchanged when nothing secret shows in it, else a copy with the secrets scrubbed. */
export function scrubSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value instanceof Error) return scrubError(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    text = ''; // circular or BigInt: walk it anyway
  }
  if (text !== '' && scrubText(text, secrets) === text) return value;
  return scrubDeep(value, secrets, new WeakSet());
}

function scrubDeep(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value instanceof Error) return scrubError(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets, seen)]));
}

function scrubError(error: Error, secrets: readonly string[]): Error {
  const message = scrubText(error.message, secrets);
  const stack = error.stack === undefined ? undefined : scrubText(error.stack, secrets);
  if (message === error.message && stack === error.stack) return error;
  const copy = new Error(message);
  copy.name = error.name;
  copy.stack = stack;
  return copy;
}

/** Nest's logger interface over another logger, scrubbing every message and parameter first. */
export class SecretScrubbingLogger implements LoggerService {
  constructor(
    private readonly inner: LoggerService,
    private readonly secrets: readonly string[],
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.inner.log(this.scrub(message), ...this.scrubAll(params));
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(this.scrub(message), ...this.scrubAll(params));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(this.scrub(message), ...this.scrubAll(params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(this.scrub(message), ...this.scrubAll(params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(this.scrub(message), ...this.scrubAll(params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(this.scrub(message), ...this.scrubAll(params));
  }

  private scrub(value: unknown): unknown {
    return scrubSecrets(value, this.secrets);
  }

  private scrubAll(params: unknown[]): unknown[] {
    return params.map((p) => this.scrub(p));
  }
}

/** The start-up log line: where Ballast listens and its whole configuration, secrets redacted. */
export function startupLogRecord(config: BallastConfigValues, port: number): Record<string, unknown> {
  return {
    msg: 'Ballast listening',
    port,
    tls: config.security.tls.enabled,
    security: config.security.enabled,
    kafka: config.kafka.bootstrapServers.join(','),
    config: redactSecrets(config),
  };
}
