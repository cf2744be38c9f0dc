// The command line of `ballast`: parsed with node:util's parseArgs, checked, and turned into the one
// Cruise Control request each command sends. Pure: argv and environment in, a plan out.
import { parseArgs } from 'node:util';
import { CliUsageError } from './cli.errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:9090';

export const COMMANDS = [
  'state',
  'load',
  'proposals',
  'rebalance',
  'add-broker',
  'remove-broker',
  'demote-broker',
  'stop',
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The commands that can start an execution (dry run unless --execute). */
const EXECUTING: readonly CommandName[] = ['rebalance', 'add-broker', 'remove-broker', 'demote-broker'];
const WITH_BROKERS: readonly CommandName[] = ['add-broker', 'remove-broker', 'demote-broker'];
const WITH_GOALS: readonly CommandName[] = ['proposals', 'rebalance', 'add-broker', 'remove-broker'];

export const USAGE = `Usage: ballast <command> [options]

Commands:
  state                       Monitor, executor, analyzer and anomaly detector state
  load                        Load and capacity per broker
  proposals                   The current proposal (always a dry run)
  rebalance                   Rebalance the cluster (dry run unless --execute)
  add-broker <ids>            Move replicas onto new brokers (dry run unless --execute)
  remove-broker <ids>         Move every replica off brokers (dry run unless --execute)
  demote-broker <ids>         Move leadership off brokers (dry run unless --execute)
  stop                        Stop the running execution

Options:
  --url <url>                 Ballast's address (default $BALLAST_URL or ${DEFAULT_URL})
  --user <name>               HTTP Basic user (password from --password or $BALLAST_PASSWORD)
  --password <password>       HTTP Basic password
  --token <jwt>               Bearer token (or $BALLAST_TOKEN)
  --json                      Print Ballast's JSON answer as it is
  --execute                   Really move replicas (rebalance, add/remove/demote-broker)
  --no-wait                   With --execute: return once the execution has started
  --goals <names>             Comma-separated goals, in priority order
  --replication-throttle <n>  Replication throttle, bytes per second
  --reason <text>             Why; recorded with the request and the execution
  --substates <list>          state: executor, analyzer, monitor, anomaly_detector
  --verbose                   More detail
  --review-id <id>            Submit a request approved under two-step verification
  --param <name=value>        Any other Cruise Control parameter (repeatable)
  --poll-interval-ms <ms>     How often to poll user tasks and executions (default 1000)
  -h, --help                  This help

Broker ids are comma- or space-separated: ballast remove-broker 3,4 --execute
`;

export type Auth =
  { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export interface CliRequest {
  method: 'GET' | 'POST';
  /** The Cruise Control endpoint name under /kafkacruisecontrol/. */
  endpoint: string;
  /** Query parameters; json=true is always added by the client. */
  params: Record<string, string>;
}

export interface CliPlan {
  command: CommandName;
  url: string;
  auth: Auth;
  json: boolean;
  /** True when the request really executes (follow the execution unless `wait` is false). */
  execute: boolean;
  wait: boolean;
  pollIntervalMs: number;
  request: CliRequest;
}

export type CliInvocation = { kind: 'help' } | { kind: 'run'; plan: CliPlan };

const OPTIONS = {
  url: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  execute: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  goals: { type: 'string' },
  'replication-throttle': { type: 'string' },
  reason: { type: 'string' },
  'review-id': { type: 'string' },
  substates: { type: 'string' },
  verbose: { type: 'boolean' },
  param: { type: 'string', multiple: true },
  'poll-interval-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * What to do for `argv` (the arguments after the program name).
 * @throws CliUsageError naming the bad argument; nothing is sent then.
 */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliInvocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values: o, positionals } = parsed;
  if (o.help || positionals.length === 0 || positionals[0] === 'help') return { kind: 'help' };
  const name = positionals[0]!;
  if (!(COMMANDS as readonly string[]).includes(name)) {
    throw new CliUsageError(`Unknown command '${name}'. Commands: ${COMMANDS.join(', ')}`);
  }
  const command = name as CommandName;
  const rest = positionals.slice(1);

  const only = (option: string, allowed: readonly CommandName[], given: unknown) => {
    if (given !== undefined && !allowed.includes(command)) {
      throw new CliUsageError(`Option --${option} does not apply to '${command}' (only to ${allowed.join(', ')})`);
    }
  };
  only('execute', EXECUTING, o.execute);
  only('no-wait', EXECUTING, o['no-wait']);
  only('goals', WITH_GOALS, o.goals);
  only('replication-throttle', [...EXECUTING, 'proposals'], o['replication-throttle']);
  only('substates', ['state'], o.substates);
  only('review-id', [...EXECUTING, 'stop'], o['review-id']);
  if (o['no-wait'] && !o.execute) throw new CliUsageError('Option --no-wait goes with --execute');

  const brokerIds = WITH_BROKERS.includes(command) ? parseBrokerIds(command, rest) : undefined;
  if (brokerIds === undefined && rest.length > 0) {
    throw new CliUsageError(`'${command}' takes no arguments, got '${rest.join(' ')}'`);
  }

  const params: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) params[key] = value;
  };
  set('brokerid', brokerIds?.join(','));
  if (EXECUTING.includes(command)) params.dryrun = o.execute ? 'false' : 'true';
  set('goals', o.goals);
  set(
    'replication_throttle',
    o['replication-throttle'] && String(positiveInteger('replication-throttle', o['replication-throttle'])),
  );
  set('reason', o.reason);
  set('review_id', o['review-id'] && String(nonNegativeInteger('review-id', o['review-id'])));
  set('substates', o.substates);
  if (o.verbose) params.verbose = 'true';
  for (const entry of o.param ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`Option --param wants name=value, got '${entry}'`);
    const key = entry.slice(0, eq).trim().toLowerCase();
    if (key === 'json' || key in params) {
      throw new CliUsageError(`Option --param ${key}: set by the command or another option already`);
    }
    params[key] = entry.slice(eq + 1);
  }

  return {
    kind: 'run',
    plan: {
      command,
      url: baseUrl(o.url ?? env.BALLAST_URL ?? DEFAULT_URL),
      // A --user on the command line wins over a token in the environment.
      auth: auth(
        o.user,
        o.password ?? env.BALLAST_PASSWORD,
        o.token ?? (o.user === undefined ? env.BALLAST_TOKEN : undefined),
      ),
      json: o.json ?? false,
      execute: o.execute ?? false,
      wait: !(o['no-wait'] ?? false),
      pollIntervalMs: o['poll-interval-ms'] ? positiveInteger('poll-interval-ms', o['poll-interval-ms']) : 1000,
      request: {
        method: command === 'state' || command === 'load' || command === 'proposals' ? 'GET' : 'POST',
        endpoint: ENDPOINTS[command],
        params,
      },
    },
  };
}

const ENDPOINTS: Record<CommandName, string> = {
  state: 'state',
  load: 'load',
  proposals: 'proposals',
  rebalance: 'rebalance',
  'add-broker': 'add_broker',
  'remove-broker': 'remove_broker',
  'demote-broker': 'demote_broker',
  stop: 'stop_proposal_execution',
};

function parseBrokerIds(command: string, args: readonly string[]): number[] {
  const items = args
    .flatMap((a) => a.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new CliUsageError(`'${command}' needs broker ids, e.g. ballast ${command} 3,4`);
  const bad = items.find((s) => !/^\d{1,10}$/.test(s) || Number(s) > 2_147_483_647);
  if (bad !== undefined) throw new CliUsageError(`'${command}': '${bad}' is not a broker id (a whole number)`);
  return [...new Set(items.map(Number))];
}

function positiveInteger(option: string, raw: string): number {
  const value = nonNegativeInteger(option, raw);
  if (value < 1) throw new CliUsageError(`Option --${option} must be a positive whole number, got '${raw}'`);
  return value;
}

function nonNegativeInteger(option: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new CliUsageError(`Option --${option} must be a whole number, got '${raw}'`);
  }
  return value;
}

function baseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliUsageError(`--url '${raw}' is not a URL, e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(`--url '${raw}' must be http:// or https://`);
  }
  return url.href.replace(/\/+$/, '');
}

function auth(user: string | undefined, password: string | undefined, token: string | undefined): Auth {
  if (user !== undefined && token !== undefined) {
    throw new CliUsageError('Give either --user (Basic) or --token (Bearer), not both');
  }
  if (token !== undefined) return { kind: 'bearer', token };
  if (user === undefined) return { kind: 'none' };
  if (password === undefined) throw new CliUsageError('Option --user needs --password or $BALLAST_PASSWORD');
  return { kind: 'basic', user, password };
}

/** The Authorization header for `auth`, if any. */
export function authorizationHeader(value: Auth): string | undefined {
  if (value.kind === 'bearer') return `Bearer ${value.token}`;
  if (value.kind === 'basic')
    return `Basic ${Buffer.from(`${value.user}:${value.password}`, 'utf8').toString('base64')}`;
  return undefined;
}
