// The `security` section: who may call the REST API (HTTP Basic against a credentials file, JWT
// bearer tokens), TLS for the HTTP server, CORS for browser UIs on another origin, and how often a
// client may fail to authenticate.
import { z } from 'zod';
import { readableFile } from './schema-parts.js';

/** JWS algorithms Ballast verifies; `none` is never among them. */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

// A browser sends its Origin as scheme://host[:port], never with a path or a trailing slash.
const origin = z
  .string()
  .regex(/^(\*|https?:\/\/[^\s/]+)$/, 'expected * or an origin such as https://ui.example.com:8443 (no path)');

const basicSchema = z
  .object({
    /** File of `user: <bcrypt hash>,ROLE[,ROLE]` lines (docs/operations.md#security); HTTP Basic is off when unset. */
    credentialsFile: readableFile.optional(),
  })
  .strict();

const jwtSchema = z
  .object({
    /** HMAC secret for HS256/384/512 tokens, at least 32 characters; set it through the environment. */
    secret: z.string().min(32, 'must be at least 32 characters (256 bits)').optional(),
    /** PEM public key (or certificate) that verifies RS*, PS*, ES* or EdDSA tokens. */
    publicKeyFile: readableFile.optional(),
    /** Algorithms accepted; by default every one the key type allows. */
    algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).optional(),
    /** Required `iss` claim, when set. */
    issuer: z.string().min(1).optional(),
    /** Required `aud` claim (one of the token's audiences), when set. */
    audience: z.string().min(1).optional(),
    /** Claim holding the caller's roles (a string or a list); a dotted path reaches nested claims. @defaultValue roles */
    roleClaim: z.string().min(1).default('roles'),
    /** Claim naming the caller in the audit log and /permissions. @defaultValue sub */
    usernameClaim: z.string().min(1).default('sub'),
    /** Clock skew allowed when checking `exp` and `nbf`. @defaultValue 30000 */
    clockToleranceMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .strict()
  .refine((j) => !(j.secret !== undefined && j.publicKeyFile !== undefined), {
    message: 'set either secret (HMAC) or publicKeyFile, not both',
    path: ['publicKeyFile'],
  });

const tlsSchema = z
  .object({
    /** Serve the API over HTTPS. @defaultValue false */
    enabled: z.boolean().default(false),
    /** PEM certificate (chain) of the server. Required when TLS is enabled. */
    certFile: readableFile.optional(),
    /** PEM private key of the certificate. Required when TLS is enabled. */
    keyFile: readableFile.optional(),
  })
  .strict()
  .refine((t) => !t.enabled || (t.certFile !== undefined && t.keyFile !== undefined), {
    message: 'certFile and keyFile are required when TLS is enabled',
    path: ['certFile'],
  });

const corsSchema = z
  .object({
    /** Origins allowed to call the API from a browser; CORS is off when empty. @defaultValue [] */
    allowedOrigins: z.array(origin).default([]),
    /** Let browsers send credentials (Authorization header, cookies) cross-origin. @defaultValue false */
    allowCredentials: z.boolean().default(false),
  })
  .strict()
  .refine((c) => !(c.allowCredentials && c.allowedOrigins.includes('*')), {
    message: 'allowCredentials cannot be combined with the * origin: list the origins',
    path: ['allowedOrigins'],
  });

// A small burst covers a person mistyping a password a few times; after it, one more try every
// refill interval. Each refused try costs no bcrypt, so a flood cannot starve the event loop or
// the hashing thread, and a brute force runs at the refill rate at best.
const loginRateLimitSchema = z
  .object({
    /** Refuse a client's credentials with 429 once it has failed too often. @defaultValue true */
    enabled: z.boolean().default(true),
    /** Failed authentications a client may make in a row before it is refused. @defaultValue 10 */
    burst: z.number().int().min(1).max(10_000).default(10),
    /** One more failed attempt is allowed every this many milliseconds (6000: 10 a minute). @defaultValue 6000 */
    refillIntervalMs: z.number().int().min(10).max(3_600_000).default(6_000),
    /** Clients remembered at most; past it the least recently seen is forgotten, bounding memory. @defaultValue 10000 */
    maxClients: z.number().int().min(1).max(1_000_000).default(10_000),
  })
  .strict();

export const securitySchema = z
  .object({
    /** Authenticate and authorize every /kafkacruisecontrol/ request. @defaultValue false */
    enabled: z.boolean().default(false),
    /** Realm named in the WWW-Authenticate challenge. @defaultValue Ballast */
    realm: z
      .string()
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII only')
      .refine((r) => !/["\\]/.test(r), 'no quotes or backslashes')
      .default('Ballast'),
    basic: basicSchema.prefault({}),
    jwt: jwtSchema.prefault({}),
    tls: tlsSchema.prefault({}),
    cors: corsSchema.prefault({}),
    loginRateLimit: loginRateLimitSchema.prefault({}),
  })
  .strict()
  .refine(
    (s) =>
      !s.enabled ||
      s.basic.credentialsFile !== undefined ||
      s.jwt.secret !== undefined ||
      s.jwt.publicKeyFile !== undefined,
    {
      message:
        'security is enabled but no way to authenticate is configured: set security.basic.credentialsFile, security.jwt.secret or security.jwt.publicKeyFile',
      path: ['enabled'],
    },
  )
  .prefault({});

export type SecurityConfig = z.output<typeof securitySchema>;
