// TLS and CORS options of the HTTP server, from the `security` section. The certificate and key
// are read and paired before Nest starts, so an unreadable or mismatched file stops start-up
// with a ConfigError naming the file (never its contents).
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { ConfigError, type SecurityConfig } from '../../config/index.js';
import { USER_TASK_ID_HEADER } from '../user-tasks/user-task.service.js';

export interface HttpsOptions {
  cert: Buffer;
  key: Buffer;
}

/** The certificate and key to serve HTTPS with, or undefined for plain HTTP. @throws ConfigError */
export function httpsOptions(tls: SecurityConfig['tls']): HttpsOptions | undefined {
  if (!tls.enabled || tls.certFile === undefined || tls.keyFile === undefined) return undefined;
  const cert = readPem('security.tls.certFile', tls.certFile);
  const key = readPem('security.tls.keyFile', tls.keyFile);
  try {
    // Builds what the server would: a bad PEM or a key that does not match the certificate fails here.
    createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError([
      {
        key: 'security.tls.certFile',
        source: `${tls.certFile} + ${tls.keyFile}`,
        message: `not a usable certificate and private key pair (${openSslReason(error)})`,
      },
    ]);
  }
  return { cert, key };
}

function readPem(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError([
      { key, source: path, message: `cannot read the file (${(error as NodeJS.ErrnoException).code})` },
    ]);
  }
}

// OpenSSL's reason ("key values mismatch", "no start line") says what is wrong and holds no key material.
function openSslReason(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:/, '') : 'unknown error';
}

/**
 * CORS for a browser UI on another origin, or undefined when no origin is allowed. The
 * User-Task-ID header is exposed so the UI can poll an async request; preflights are answered
 * without authentication, as browsers send them without credentials.
 */
export function corsOptions(cors: SecurityConfig['cors']): CorsOptions | undefined {
  if (cors.allowedOrigins.length === 0) return undefined;
  return {
    origin: cors.allowedOrigins.includes('*') ? '*' : [...cors.allowedOrigins],
    credentials: cors.allowCredentials,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', USER_TASK_ID_HEADER],
    exposedHeaders: [USER_TASK_ID_HEADER, 'WWW-Authenticate'],
    maxAge: 600,
  };
}
