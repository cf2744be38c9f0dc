// Errors of authentication (401, and 429 after too many failures) and authorization (403). Their
// messages name the user and the endpoint at most: never a password, a hash, a token or a key.
import { BallastError } from '../../common/index.js';

/**
 * Thrown when a request to a protected endpoint carries no credentials, or credentials that do
 * not verify (unknown user, wrong password, bad or expired token). Maps to 401 with a
 * WWW-Authenticate challenge. Not retryable with the same credentials.
 */
export class AuthenticationError extends BallastError {
  readonly code = 'UNAUTHENTICATED';

  constructor(
    message: string,
    /** Which scheme failed, for the challenge: the bearer challenge says why a token was refused. */
    readonly scheme: 'basic' | 'bearer' | 'none',
  ) {
    super(message);
  }
}

/** Thrown when an authenticated caller's roles do not allow the endpoint. Maps to 403. Not retryable. */
export class AccessDeniedError extends BallastError {
  readonly code = 'FORBIDDEN';

  constructor(
    readonly user: string,
    readonly endpoint: string,
    readonly requiredRole: string,
  ) {
    super(`User '${user}' may not call ${endpoint}: it needs the ${requiredRole} role`);
  }
}

/**
 * Thrown when a client has failed to authenticate too often (security.loginRateLimit): its
 * credentials are refused without being checked. Maps to 429 with Retry-After. Retryable after
 * `retryAfterMs`.
 */
export class TooManyFailedLoginsError extends BallastError {
  readonly code = 'TOO_MANY_FAILED_LOGINS';

  constructor(readonly retryAfterMs: number) {
    super(`Too many failed authentications from this client; try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
      retryable: true,
    });
  }
}
