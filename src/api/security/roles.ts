// Cruise Control's roles and which endpoints each may call, as pure data and decisions. The
// mapping follows Cruise Control's DefaultRoleSecurityProvider: VIEWER may call the lightweight
// monitoring GETs, USER every GET but bootstrap and train, ADMIN everything. Roles nest: a USER
// may do what a VIEWER may, an ADMIN what a USER may (Cruise Control lists ADMIN and USER on
// every weaker endpoint's constraint, which amounts to the same).
import type { CruiseControlEndpoint } from '../endpoints.js';

/** Cruise Control's roles, weakest first. */
export const ROLES = ['VIEWER', 'USER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The weakest role that may call each endpoint. A Record over the endpoint type, so an endpoint
 * added to CRUISE_CONTROL_ENDPOINTS without a decision here does not compile.
 */
export const ENDPOINT_ROLES: Readonly<Record<CruiseControlEndpoint, Role>> = {
  // VIEWER: Cruise Control's "most lightweight" endpoints, plus permissions, which Cruise Control
  // answers to a VIEWER too (a caller may always ask what it may do).
  kafka_cluster_state: 'VIEWER',
  user_tasks: 'VIEWER',
  review_board: 'VIEWER',
  permissions: 'VIEWER',
  // USER: every other GET except bootstrap and train.
  load: 'USER',
  partition_load: 'USER',
  proposals: 'USER',
  state: 'USER',
  // ADMIN: bootstrap, train and every POST.
  bootstrap: 'ADMIN',
  train: 'ADMIN',
  add_broker: 'ADMIN',
  remove_broker: 'ADMIN',
  fix_offline_replicas: 'ADMIN',
  rebalance: 'ADMIN',
  stop_proposal_execution: 'ADMIN',
  pause_sampling: 'ADMIN',
  resume_sampling: 'ADMIN',
  demote_broker: 'ADMIN',
  admin: 'ADMIN',
  review: 'ADMIN',
  topic_configuration: 'ADMIN',
  rightsize: 'ADMIN',
  remove_disks: 'ADMIN',
};

/** Parses a role name case-insensitively; undefined for anything that is not one of ROLES. */
export function parseRole(name: string): Role | undefined {
  const upper = name.trim().toUpperCase();
  return (ROLES as readonly string[]).includes(upper) ? (upper as Role) : undefined;
}

/**
 * The weakest role that may call `endpoint`. Anything under /kafkacruisecontrol/ that is not one
 * of Cruise Control's endpoints needs ADMIN: a route added later is closed until someone decides.
 */
export function requiredRole(endpoint: string): Role {
  return Object.hasOwn(ENDPOINT_ROLES, endpoint) ? ENDPOINT_ROLES[endpoint as CruiseControlEndpoint] : 'ADMIN';
}

/** Every role the held ones imply, strongest first: ADMIN → ADMIN, USER, VIEWER. */
export function effectiveRoles(held: readonly Role[]): Role[] {
  const strongest = Math.max(-1, ...held.map((r) => ROLES.indexOf(r)));
  return ROLES.slice(0, strongest + 1).reverse();
}

/** Whether a caller holding `held` may call `endpoint`. */
export function mayCall(held: readonly Role[], endpoint: string): boolean {
  return effectiveRoles(held).includes(requiredRole(endpoint));
}

/** The endpoints a caller holding `held` may call, in CRUISE_CONTROL_ENDPOINTS order. */
export function allowedEndpoints(held: readonly Role[], endpoints: readonly CruiseControlEndpoint[]): string[] {
  return endpoints.filter((e) => mayCall(held, e));
}
