// Bearer tokens: JWTs verified with jose against the configured key (an HMAC secret or a PEM
// public key), with exp required, nbf checked, and iss/aud when configured. The caller's roles
// come from a configured claim; roles Ballast does not know (an identity provider's others) are ignored.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ConfigError, type SecurityConfig } from '../../config/index.js';
import type { Principal } from './principal.js';
import { parseRole, type Role } from './roles.js';
import { AuthenticationError } from './security.errors.js';

type JwtConfig = SecurityConfig['jwt'];

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
// Larger than any sane token; a bigger header is refused before any crypto runs.
const MAX_TOKEN_CHARS = 16_384;

export class JwtVerifier {
  private constructor(
    private readonly key: KeyObject | Uint8Array,
    /** The algorithms accepted: the configured ones, or all the key allows. */
    readonly algorithms: readonly string[],
    private readonly config: JwtConfig,
  ) {}

  /** The verifier for the configured key, or undefined when no JWT key is set. @throws ConfigError for an unusable key file. */
  static fromConfig(config: JwtConfig): JwtVerifier | undefined {
    if (config.secret !== undefined) {
      return new JwtVerifier(
        new TextEncoder().encode(config.secret),
        checkAlgorithms(config, HMAC_ALGORITHMS, 'an HMAC secret'),
        config,
      );
    }
    if (config.publicKeyFile === undefined) return undefined;
    const key = readPublicKey(config.publicKeyFile);
    const allowed = algorithmsFor(key);
    return new JwtVerifier(key, checkAlgorithms(config, allowed, `this ${key.asymmetricKeyType} key`), config);
  }

  /** The caller the token names. @throws AuthenticationError saying why the token is refused, never quoting it. */
  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_CHARS) throw refused('the token is too long');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [...this.algorithms],
        ...(this.config.issuer !== undefined ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience !== undefined ? { audience: this.config.audience } : {}),
        clockTolerance: this.config.clockToleranceMs / 1000,
        // A token without an expiry would be valid for ever once leaked.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      // jose's messages name the failed check ("exp" claim timestamp check failed), not values.
      if (error instanceof joseErrors.JOSEError) throw refused(error.message);
      throw refused('the token could not be verified');
    }
    const name = claimAt(payload, this.config.usernameClaim);
    if (typeof name !== 'string' || name === '') {
      throw refused(`the token has no '${this.config.usernameClaim}' claim naming the caller`);
    }
    return { name, roles: rolesFrom(claimAt(payload, this.config.roleClaim)), scheme: 'bearer' };
  }
}

function refused(reason: string): AuthenticationError {
  return new AuthenticationError(`Bearer token refused: ${reason}`, 'bearer');
}

/** Follows a dotted path (`realm_access.roles`) into the claims. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** A list of names, or one string of names separated by spaces or commas (as `scope` is). */
function rolesFrom(claim: unknown): Role[] {
  const names =
    typeof claim === 'string'
      ? claim.split(/[\s,]+/)
      : Array.isArray(claim)
        ? claim.filter((c): c is string => typeof c === 'string')
        : [];
  const roles: Role[] = [];
  for (const name of names) {
    const role = parseRole(name);
    if (role !== undefined && !roles.includes(role)) roles.push(role);
  }
  return roles;
}

function readPublicKey(path: string): KeyObject {
  const problem = (message: string) => new ConfigError([{ key: 'security.jwt.publicKeyFile', source: path, message }]);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw problem(`cannot read the file (${(error as NodeJS.ErrnoException).code})`);
  }
  // Node derives a public key from a private one; refuse it, the private key belongs to the issuer.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw problem('the file holds a private key; give the public key (openssl pkey -in key.pem -pubout)');
  }
  try {
    return createPublicKey(pem);
  } catch {
    throw problem('not a PEM public key or certificate');
  }
}

function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg =
        curve === 'prime256v1'
          ? 'ES256'
          : curve === 'secp384r1'
            ? 'ES384'
            : curve === 'secp521r1'
              ? 'ES512'
              : undefined;
      return alg ? [alg] : [];
    }
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

function checkAlgorithms(config: JwtConfig, allowed: readonly string[], keyName: string): string[] {
  const key = config.secret !== undefined ? 'security.jwt.secret' : 'security.jwt.publicKeyFile';
  if (allowed.length === 0) {
    throw new ConfigError([{ key, source: 'key', message: `${keyName} cannot verify any supported JWT algorithm` }]);
  }
  if (config.algorithms === undefined) return [...allowed];
  const unusable = config.algorithms.filter((a) => !allowed.includes(a));
  if (unusable.length > 0) {
    throw new ConfigError([
      {
        key: 'security.jwt.algorithms',
        source: 'configuration',
        message: `${unusable.join(', ')} cannot be verified with ${keyName} (it allows ${allowed.join(', ')})`,
      },
    ]);
  }
  return [...config.algorithms];
}
