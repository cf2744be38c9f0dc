// Who made a request, as the guard established it, kept on the request for the controllers and the audit log.
import type { Request } from 'express';
import type { Role } from './roles.js';

export interface Principal {
  /** The user name (Basic) or the token's username claim (bearer). */
  readonly name: string;
  /** Roles as the credentials file or the token grant them, before nesting. */
  readonly roles: readonly Role[];
  readonly scheme: 'basic' | 'bearer';
}

/** What the guard concluded about a request, for the audit line. */
export interface AuthOutcome {
  principal?: Principal;
  /** Why authentication or authorization failed, when it did. */
  failure?: string;
}

const OUTCOME = Symbol('ballast.auth');
type WithOutcome = Request & { [OUTCOME]?: AuthOutcome };

export function setAuthOutcome(request: Request, outcome: AuthOutcome): void {
  (request as WithOutcome)[OUTCOME] = outcome;
}

export function authOutcomeOf(request: Request): AuthOutcome | undefined {
  return (request as WithOutcome)[OUTCOME];
}

/** The authenticated caller, or undefined when security is off or the request was refused. */
export function principalOf(request: Request): Principal | undefined {
  return authOutcomeOf(request)?.principal;
}
