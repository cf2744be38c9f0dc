// A seeded generator of random and malformed requests to Cruise Control's REST API, for
// test/e2e/api-fuzz.test.ts: unknown and repeated parameters, wrong types, huge and negative
// numbers, bad regexes, unicode, very long values, wrong methods and paths, random bodies and
// headers. It never gives `dryrun` the value false, in any spelling, so no proposal-executing POST
// can execute; pause_sampling and admin (which act without a dryrun) always get one invalid element.
import { CRUISE_CONTROL_ENDPOINTS, ENDPOINTS, type CruiseControlEndpoint } from '../../src/api/endpoints.js';

/** A topic the fuzzed cluster has, so some patterns match. */
export const FUZZ_TOPIC = 'fuzzed';
const TOPIC = FUZZ_TOPIC;

const GET_ENDPOINTS: readonly CruiseControlEndpoint[] = CRUISE_CONTROL_ENDPOINTS.filter(
  (e) => ENDPOINTS[e].method === 'GET',
);
/** POSTs that act without a dryrun parameter: every generated request to them carries an invalid element. */
const MUST_REJECT: readonly CruiseControlEndpoint[] = ['pause_sampling', 'admin'];

/** Parameter names of Cruise Control's endpoints, and some that no endpoint takes. */
// prettier-ignore
const KNOWN_PARAMS = [
  'json', 'verbose', 'reason', 'doAs', 'get_response_schema', 'dryrun', 'goals', 'allow_capacity_estimation',
  'stop_ongoing_execution', 'concurrent_partition_movements_per_broker', 'max_partition_movements_in_cluster',
  'concurrent_leader_movements', 'broker_concurrent_leader_movements', 'skip_hard_goal_check', 'excluded_topics',
  'use_ready_default_goals', 'data_from', 'exclude_recently_demoted_brokers', 'exclude_recently_removed_brokers',
  'replica_movement_strategies', 'kafka_assigner', 'review_id', 'replication_throttle',
  'execution_progress_check_interval_ms', 'fast_mode', 'concurrent_intra_broker_partition_movements',
  'ignore_proposal_cache', 'destination_broker_ids', 'rebalance_disk', 'brokerid', 'throttle_added_broker',
  'throttle_removed_broker', 'brokerid_and_logdirs', 'skip_urp_demotion', 'exclude_follower_demotion', 'topic',
  'replication_factor', 'skip_rack_awareness_check', 'force_stop', 'stop_external_agent', 'start', 'end', 'time',
  'allow_capacity_estimation', 'populate_disk_info', 'capacity_only', 'resource', 'entries', 'partition',
  'min_valid_partition_ratio', 'max_load', 'avg_load', 'brokerid', 'substates', 'super_verbose', 'client_ids',
  'endpoints', 'types', 'user_task_ids', 'fetch_completed_task', 'review_ids', 'approve', 'discard',
  'enable_self_healing_for', 'disable_self_healing_for', 'drop_recently_removed_brokers',
  'drop_recently_demoted_brokers', 'disable_concurrency_adjuster_for', 'enable_concurrency_adjuster_for',
  'min_isr_based_concurrency_adjustment', 'num_brokers_to_add', 'partition_count', 'mode', 'clearmetrics',
];
// prettier-ignore
const UNKNOWN_PARAMS = [
  'dry_run', 'jsn', 'foo', 'broker_id', 'Goals ', ' json', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  'a[b]', 'json[]', 'x.y', 'ünïcødé', '💥', '',
];

// prettier-ignore
const GOALS = [
  'RackAwareGoal', 'ReplicaCapacityGoal', 'DiskCapacityGoal', 'NetworkInboundCapacityGoal', 'CpuCapacityGoal',
  'ReplicaDistributionGoal', 'LeaderReplicaDistributionGoal', 'DiskUsageDistributionGoal', 'FailureBudgetGoal',
  'IntraBrokerDiskCapacityGoal', 'PreferredLeaderElectionGoal', 'NoSuchGoal', 'rackawaregoal',
];
// prettier-ignore
const REGEXES = [
  '.*', TOPIC, 'fuz.*', '(', '[', '*', '+', '?', 'a{2,1}', '(?<n>a)', '(?<n>b)|x', '\\', '\\1', '(a+)+$', '(?=x)',
  '(?<=y)z', '[^]', '.{0,100000}', 'a|b|', '^$', '\\p{L}', '(?i)x', `${TOPIC}|__consumer_offsets`, '🙂+',
];
// prettier-ignore
const ENUMISH = [
  'VALID_WINDOWS', 'VALID_PARTITIONS', 'cpu', 'disk', 'networkInbound', 'NW_IN', 'executor', 'monitor,executor',
  'analyzer,anomaly_detector', 'ACTIVE', 'completed,in_execution', 'proposals,rebalance',
  'PostponeUrpReplicaMovementStrategy', 'PrioritizeLargeReplicaMovementStrategy,BaseReplicaMovementStrategy',
  'GOAL_VIOLATION', 'BROKER_FAILURE,DISK_FAILURE', 'METRIC_ANOMALY', 'MAINTENANCE_EVENT',
];
// prettier-ignore
const NUMBERS = [
  '0', '1', '2', '3', '-1', '-0', '1.5', '1e3', '1e309', '-1e309', 'NaN', 'Infinity', '0x10', '010', '2147483647',
  '2147483648', '9007199254740991', '9007199254740993', '99999999999999999999999', ' 7 ', '+1', '1_000', '0,1,2',
  '0,,1', ',', '1,-1', '0,0,0', '3,4,5', '1 2', '١٢', '2-/tmp', '0-/nonexistent', '1-relative',
];
// prettier-ignore
const DRYRUN_VALUES = [
  'true', 'TRUE', ' true ', 'True', '1', '0', 'yes', 'no', '', 'maybe', 'tru', 'falsey', 'f', 'null', '[]',
];
// prettier-ignore
const STRINGS = [
  '', ' ', 'x', 'ünïcødé', '💥🔥', '\u202Eevil', 'a\u0000b', '<script>', "' OR 1=1 --", '../../etc/passwd', '%', '%zz',
  '{"a":1}', 'true', 'false ', '\n', '\t', '%E0%A4%A',
];

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** Built to be invalid: must be refused with a 4xx. */
  mustReject: boolean;
}

function value(r: Random, name: string): string {
  if (name.trim().toLowerCase() === 'dryrun') return r.pick(DRYRUN_VALUES);
  switch (r.int(8)) {
    case 0:
      return r.pick(['true', 'false', 'TRUE', 'False', ' true', 'yes']);
    case 1:
    case 2:
      return r.pick(NUMBERS);
    case 3:
      return r.pick(REGEXES);
    case 4:
      return Array.from({ length: 1 + r.int(4) }, () => r.pick(GOALS)).join(r.pick([',', ', ', ',,']));
    case 5:
      return r.pick(ENUMISH);
    case 6:
      return r.chance(0.15) ? r.pick(['x', '9', 'ü', '(']).repeat(2_000 + r.int(6_000)) : r.pick(STRINGS);
    default:
      return String(Math.floor((r.next() - 0.3) * 10 ** r.int(20)));
  }
}

function encodeParam(r: Random, name: string, raw: string): string {
  // Keys are always encoded (a raw escape could decode to 'dryrun'); values mostly, sometimes raw.
  const key = encodeURIComponent(name);
  if (name.trim().toLowerCase() !== 'dryrun' && r.chance(0.1)) return `${key}=${raw.replace(/[#&\s]/g, '')}`;
  return `${key}=${encodeURIComponent(raw)}`;
}

export function generate(r: Random, twoStepOn: boolean): FuzzRequest {
  const endpoint = r.pick(CRUISE_CONTROL_ENDPOINTS);
  const isGet = GET_ENDPOINTS.includes(endpoint);
  const params: [string, string][] = [];
  for (let i = r.int(6); i > 0; i--) {
    const known = r.chance(0.85);
    let name = known ? r.pick(KNOWN_PARAMS) : r.pick(UNKNOWN_PARAMS);
    if (r.chance(0.1)) name = name.toUpperCase();
    params.push([name, value(r, name)]);
    if (r.chance(0.05)) params.push([name, value(r, name)]); // repeated
  }
  if (r.chance(0.5)) params.push(['json', r.chance(0.9) ? 'true' : r.pick(['false', 'yes', ''])]);
  if (twoStepOn && r.chance(0.25)) {
    const name = r.pick(['review_id', 'approve', 'discard', 'review_ids']);
    params.push([name, r.pick(['0', '1', '2', String(r.int(40)), '0,1', '-1', 'x', '5,5'])]);
  }
  const mustReject = MUST_REJECT.includes(endpoint);
  if (mustReject) {
    const bad = r.int(3);
    if (bad === 0) params.push([`fuzz_unknown_${r.int(1000)}`, '1']);
    else if (bad === 1) params.push(['json', r.pick(['maybe', 'yes', '2', 'tru'])]);
    else params.push(['reason', 'a'], ['reason', 'b']);
  }
  // Shuffled, so the invalid element is not always last.
  for (let i = params.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [params[i], params[j]] = [params[j]!, params[i]!];
  }
  let path = `/kafkacruisecontrol/${endpoint}`;
  if (r.chance(0.05))
    path = r.pick([path.toUpperCase(), `${path}/`, path.replace('/kafkacruisecontrol/', '/kafkacruisecontrol//')]);
  if (r.chance(0.03)) {
    path = r.pick([
      '/kafkacruisecontrol/',
      '/kafkacruisecontrol/nope',
      '/kafkacruisecontrol/%E0%A4%A',
      '/kafkacruisecontrol/..%2f..%2fetc%2fpasswd',
      `/kafkacruisecontrol/${'a'.repeat(5_000)}`,
      '/kafkacruisecontrol/st%61te',
      '/',
    ]);
  }
  let method = isGet ? 'GET' : 'POST';
  if (r.chance(0.1)) method = r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
  const query = params.map(([k, v]) => encodeParam(r, k, v)).join('&');
  const headers: Record<string, string> = {};
  if (r.chance(0.08)) {
    headers['User-Task-ID'] = r.pick([
      crypto.randomUUID(),
      'not-a-uuid',
      '',
      'x'.repeat(3_000),
      '00000000-0000-0000-0000-000000000000',
    ]);
  }
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && r.chance(0.2)) {
    const kind = r.int(5);
    headers['Content-Type'] = r.pick([
      'application/json',
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
    ]);
    body =
      kind === 0
        ? JSON.stringify({ goals: r.pick(GOALS), brokerid: r.int(5), nested: { a: [1, { b: null }] } })
        : kind === 1
          ? r.pick(['{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"polluted":true}}', '\u0000'])
          : kind === 2
            ? `{"big":"${'x'.repeat(150_000)}"}`
            : kind === 3
              ? 'json=true&reason=body'
              : JSON.stringify(Array.from({ length: 50 }, () => r.next()));
  }
  // Another method cannot reach their handlers (OPTIONS even answers 200 with the allowed
  // methods), so the must-be-refused rule is checked for POSTs.
  return {
    method,
    target: query === '' ? path : `${path}?${query}`,
    headers,
    body,
    mustReject: mustReject && method === 'POST',
  };
}

/** Requests that once broke a rule (found by this fuzzer or next to what it found), sent on every run; all must be refused. */
export const REGRESSIONS: readonly FuzzRequest[] = [
  // 503 "not enough data" for a range before any window (seed 1660772720): now a 400 naming the range.
  '/kafkacruisecontrol/load?json=true&end=199442',
  '/kafkacruisecontrol/load?json=true&time=1',
  '/kafkacruisecontrol/partition_load?json=true&start=0&end=1000',
  // Each pattern compiles alone; together the same group name twice did not (500).
  `/kafkacruisecontrol/topic_configuration?json=true&replication_factor=2&topic=${encodeURIComponent(`(?<n>${FUZZ_TOPIC})`)}&excluded_topics=${encodeURIComponent('(?<n>x)')}`,
  // Names every object has ("constructor" in {}) were taken for known parameters.
  '/kafkacruisecontrol/state?constructor=1',
  '/kafkacruisecontrol/state?__proto__=1',
  '/kafkacruisecontrol/rebalance?toString=1',
].map((target) => ({
  method: target.includes('/topic_configuration') || target.includes('/rebalance') ? 'POST' : 'GET',
  target,
  headers: {},
  mustReject: true,
}));
