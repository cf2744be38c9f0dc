// Builds the configuration once at boot: optional YAML file, then environment variables on top,
// then validation against the schema. Every problem names its key and where the value came from.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config.errors.js';
import { configSchema, type BallastConfigValues } from './config.schema.js';

/** Points at the YAML config file. Not a config key itself. */
export const CONFIG_FILE_ENV = 'BALLAST_CONFIG_FILE';
const ENV_PREFIX = 'BALLAST_';
// Variables under the prefix that belong to the dev tooling, not to the service.
const TOOLING_ENV = [CONFIG_FILE_ENV, 'BALLAST_CACHE_DIR'];
const TOOLING_ENV_PREFIXES = ['BALLAST_SANDBOX_'];
// Conventional names accepted as aliases; the BALLAST_ name wins when both are set.
const ENV_ALIASES: Record<string, string> = {
  REDIS_URL: 'BALLAST_REDIS_URL',
  BALLAST_LOG_LEVEL: 'BALLAST_LOGGING_LEVEL',
};

type LeafKind = 'string' | 'number' | 'boolean' | 'array' | 'enum';
interface Leaf {
  path: string[];
  env: string;
  kind: LeafKind;
}

type Tree = Record<string, unknown>;

/** Reads, merges and validates; throws {@link ConfigError} listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Tree = {}): BallastConfigValues {
  const sources = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const merged: Tree = {};

  const file = env[CONFIG_FILE_ENV]?.trim();
  if (file) mergeInto(merged, readConfigFile(file, problems), file, sources);

  const fromEnv = readEnv(env, problems);
  for (const [key, { value, name }] of fromEnv) setPath(merged, key.split('.'), value, sources, name);
  mergeInto(merged, overrides, 'override', sources);

  if (problems.length === 0) {
    const result = configSchema.safeParse(merged);
    if (result.success) return result.data;
    for (const issue of result.error.issues) problems.push(...describeIssue(issue, merged, sources));
  }
  throw new ConfigError(problems);
}

/** Every leaf key of the schema with the environment variable that sets it. */
export function configKeys(): Leaf[] {
  const leaves: Leaf[] = [];
  walk(configSchema, [], leaves);
  return leaves;
}

function walk(schema: z.ZodType, path: string[], out: Leaf[]): void {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };
  if (def.innerType) return walk(def.innerType, path, out);
  if (def.type === 'object') {
    for (const [key, child] of Object.entries((schema as z.ZodObject).shape))
      walk(child as z.ZodType, [...path, key], out);
    return;
  }
  const env = ENV_PREFIX + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
  out.push({ path, env, kind: def.type as LeafKind });
}

function readConfigFile(file: string, problems: ConfigProblem[]): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      key: CONFIG_FILE_ENV,
      source: file,
      message: `cannot read the file (${(error as Error).message})`,
    });
    return {};
  }
  try {
    const parsed: unknown = parseYaml(text) ?? {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push({ key: '(root)', source: file, message: 'the file must hold a YAML mapping' });
      return {};
    }
    return parsed as Tree;
  } catch (error) {
    problems.push({ key: '(root)', source: file, message: `not valid YAML: ${(error as Error).message}` });
    return {};
  }
}

function readEnv(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Map<string, { value: unknown; name: string }> {
  const leaves = new Map(configKeys().map((leaf) => [leaf.env, leaf]));
  const values = new Map<string, { value: unknown; name: string }>();
  const names = Object.keys(env).filter((n) => n.startsWith(ENV_PREFIX) || n in ENV_ALIASES);
  // Aliases first so that the canonical name, read later, wins.
  names.sort((a, b) => Number(b in ENV_ALIASES) - Number(a in ENV_ALIASES));
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (TOOLING_ENV.includes(name) || TOOLING_ENV_PREFIXES.some((p) => name.startsWith(p))) continue;
    const leaf = leaves.get(ENV_ALIASES[name] ?? name);
    if (!leaf) {
      problems.push({ key: name, source: 'environment', message: 'unknown setting (no config key has this name)' });
      continue;
    }
    values.set(leaf.path.join('.'), { value: fromString(raw, leaf.kind), name });
  }
  return values;
}

// Converts only what clearly has the target type; anything else stays a string, so the
// schema rejects it with a message that names the variable.
function fromString(raw: string, kind: LeafKind): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    default:
      return text;
  }
}

function mergeInto(
  target: Tree,
  source: Tree,
  sourceName: string,
  sources: Map<string, string>,
  path: string[] = [],
): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...path, key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const existing = target[key];
      const child: Tree =
        existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Tree) : {};
      target[key] = child;
      mergeInto(child, value as Tree, sourceName, sources, here);
    } else {
      target[key] = value;
      sources.set(here.join('.'), sourceName);
    }
  }
}

function setPath(target: Tree, path: string[], value: unknown, sources: Map<string, string>, sourceName: string): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Tree;
  }
  node[path.at(-1)!] = value;
  sources.set(path.join('.'), sourceName);
}

function describeIssue(issue: z.core.$ZodIssue, merged: Tree, sources: Map<string, string>): ConfigProblem[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const full = [...base, key].join('.');
      return { key: full, source: sourceOf(full, sources), message: 'unknown key' };
    });
  }
  // Array elements report as `kafka.bootstrapServers.0`; the source is the array's.
  const key = base.join('.') || '(root)';
  const arrayKey = base.filter((p) => !/^\d+$/.test(p)).join('.');
  const source = sources.get(key) ?? sources.get(arrayKey) ?? sourceOf(key, sources);
  const missing = issue.code === 'invalid_type' && valueAt(merged, base) === undefined;
  const message = missing ? `required: ${requiredHint(key)}` : issue.message;
  return [{ key, source, message }];
}

function valueAt(tree: Tree, path: string[]): unknown {
  let node: unknown = tree;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Tree)[segment];
  }
  return node;
}

function sourceOf(key: string, sources: Map<string, string>): string {
  for (const [k, source] of sources) if (k === key || k.startsWith(`${key}.`)) return source;
  return 'default';
}

function requiredHint(key: string): string {
  const leaf = configKeys().find((l) => l.path.join('.') === key);
  return leaf ? `set ${leaf.env} or ${key} in the file named by ${CONFIG_FILE_ENV}` : 'missing';
}
