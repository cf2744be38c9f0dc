// Authentication: HTTP Basic against the credentials file (bcrypt, on password threads) and bearer
// JWTs, as configured in `security`, with failed attempts limited per client. Files and keys are
// read once, when the service is built at start-up, so a bad file stops start-up with a
// ConfigError rather than failing requests later.
import { createHmac, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { BallastConfig } from '../../config/index.js';
import { type CredentialsFile, loadCredentialsFile, MIN_RECOMMENDED_BCRYPT_COST } from './credentials-file.js';
import { JwtVerifier } from './jwt-verifier.js';
import { clientKey, LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordVerifier } from './password-verifier.js';
import type { Principal } from './principal.js';
import { AuthenticationError, TooManyFailedLoginsError } from './security.errors.js';

// bcrypt costs tens of milliseconds by design; a client polling a user task every second would
// pay it on every request. A verified user:password pair is remembered (as an HMAC under a key
// that lives only in this process) for a while instead.
const VERIFIED_CACHE_TTL_MS = 10 * 60_000;
const VERIFIED_CACHE_MAX_ENTRIES = 1_000;
// Compared against when the user is unknown, so that an unknown name costs as long as a known
// one: the hash (cost 10) of a random string nobody kept.
const DUMMY_HASH = '$2b$10$H5yARZFGlyRE17AwuKKmf.McJau1c5QODEM8zY0VG1vNEaOdAHidq';

@Injectable()
export class SecurityService implements OnModuleDestroy {
  /** Whether requests to /kafkacruisecontrol/ must authenticate. */
  readonly enabled: boolean;
  private readonly realm: string;
  private readonly credentials: CredentialsFile | undefined;
  private readonly jwt: JwtVerifier | undefined;
  private readonly verified = new Map<string, { principal: Principal; expiresMs: number }>();
  private readonly cacheKey = randomBytes(32);
  private readonly logger = new Logger('Security');
  private readonly limiter: LoginRateLimiter;
  private readonly passwords = new PasswordVerifier();

  constructor(config: BallastConfig) {
    const security = config.security;
    this.enabled = security.enabled;
    this.realm = security.realm;
    this.credentials =
      security.enabled && security.basic.credentialsFile !== undefined
        ? loadCredentialsFile(security.basic.credentialsFile)
        : undefined;
    this.jwt = security.enabled ? JwtVerifier.fromConfig(security.jwt) : undefined;
    this.limiter = new LoginRateLimiter(security.loginRateLimit);
    if (!security.enabled) return;
    // The first login should not wait for a thread to load.
    if (this.credentials) this.passwords.warmUp();
    this.logger.log({
      msg: 'API security enabled',
      basic: this.credentials ? { users: this.credentials.users.size } : false,
      jwt: this.jwt ? { algorithms: this.jwt.algorithms } : false,
    });
    if (this.credentials && this.credentials.weakHashUsers.length > 0) {
      this.logger.warn({
        msg: `bcrypt cost below ${MIN_RECOMMENDED_BCRYPT_COST}: rehash these passwords with a higher cost`,
        users: this.credentials.weakHashUsers,
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.passwords.close();
  }

  /**
   * The caller named by an Authorization header, sent from `remoteAddress`.
   * @throws AuthenticationError when there is no usable header or the credentials do not verify.
   * @throws TooManyFailedLoginsError when that client has failed too often lately; nothing is checked.
   */
  async authenticate(authorization: string | undefined, remoteAddress?: string): Promise<Principal> {
    const header = authorization?.trim() ?? '';
    // No credentials costs nothing to refuse, and browsers send none before the challenge.
    if (header === '') throw new AuthenticationError('Authentication required', 'none');
    // Refused before any check, cached credentials included: a blocked client may not test
    // guesses against the cache for free either.
    const attempt = this.limiter.attempt(clientKey(remoteAddress));
    if (!attempt.allowed) {
      if (attempt.firstRefusal) {
        this.logger.warn({
          msg: 'too many failed authentications: refusing the client for a while',
          client: remoteAddress,
          retryAfterMs: attempt.retryAfterMs,
        });
      }
      throw new TooManyFailedLoginsError(attempt.retryAfterMs);
    }
    const principal = await this.verify(header);
    attempt.succeeded();
    return principal;
  }

  private async verify(header: string): Promise<Principal> {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic' && this.credentials) return this.basic(value, this.credentials);
    if (scheme === 'bearer' && this.jwt) return this.jwt.verify(value);
    throw new AuthenticationError(
      `Authentication scheme not accepted here; use ${this.schemes().join(' or ')}`,
      'none',
    );
  }

  /** WWW-Authenticate challenges for a 401, one per configured scheme. */
  challenges(error: AuthenticationError): string[] {
    const out: string[] = [];
    if (this.credentials) out.push(`Basic realm="${this.realm}", charset="UTF-8"`);
    if (this.jwt) {
      // RFC 6750: a refused token is `invalid_token`; a missing one gets the bare challenge.
      out.push(`Bearer realm="${this.realm}"${error.scheme === 'bearer' ? ', error="invalid_token"' : ''}`);
    }
    return out;
  }

  private schemes(): string[] {
    return [...(this.credentials ? ['Basic'] : []), ...(this.jwt ? ['Bearer'] : [])];
  }

  private async basic(value: string, credentials: CredentialsFile): Promise<Principal> {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AuthenticationError('Malformed Basic credentials', 'basic');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const cacheKey = createHmac('sha256', this.cacheKey).update(decoded).digest('base64');
    const nowMs = Date.now();
    const cached = this.verified.get(cacheKey);
    if (cached !== undefined && cached.expiresMs > nowMs) return cached.principal;
    const entry = credentials.users.get(user);
    const ok = await this.passwords.verify(password, entry?.hash ?? DUMMY_HASH);
    // One message for an unknown user and a wrong password: the answer must not confirm names.
    if (!ok || entry === undefined) throw new AuthenticationError('Invalid user name or password', 'basic');
    const principal: Principal = { name: user, roles: entry.roles, scheme: 'basic' };
    this.remember(cacheKey, principal, nowMs);
    return principal;
  }

  private remember(key: string, principal: Principal, nowMs: number): void {
    if (this.verified.size >= VERIFIED_CACHE_MAX_ENTRIES) {
      for (const [k, v] of this.verified) if (v.expiresMs <= nowMs) this.verified.delete(k);
      // Still full: drop the oldest (Map keeps insertion order).
      if (this.verified.size >= VERIFIED_CACHE_MAX_ENTRIES) this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(key, { principal, expiresMs: nowMs + VERIFIED_CACHE_TTL_MS });
  }
}
