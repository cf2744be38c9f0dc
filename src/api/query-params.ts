// Strict parsing of Cruise Control style query parameters: names are case-insensitive as in
// Cruise Control, but unknown names, repeated names and malformed values are rejected with a
// 400 that names the parameter (Cruise Control silently reads "json=yes" as false).
import { InvalidParameterError } from './api.errors.js';

export type ParamSpec =
  | { kind: 'boolean'; default: boolean }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'enumList'; values: readonly string[] }
  /** A whole number within [min, max] (64-bit epoch ms fit: Number is exact to 2^53). */
  | { kind: 'integer'; min: number; max: number }
  /** A decimal number within [min, max]. */
  | { kind: 'number'; min: number; max: number }
  /** A comma-separated list of whole numbers within [min, max]. */
  | { kind: 'integerList'; min: number; max: number };

type Parsed<S extends Record<string, ParamSpec>> = {
  [K in keyof S]: S[K] extends { kind: 'boolean' }
    ? boolean
    : S[K] extends { kind: 'enumList' }
      ? string[] | undefined
      : S[K] extends { kind: 'integer' | 'number' }
        ? number | undefined
        : S[K] extends { kind: 'integerList' }
          ? number[] | undefined
          : string | undefined;
};

export function parseQuery<S extends Record<string, ParamSpec>>(
  endpoint: string,
  spec: S,
  query: Record<string, unknown>,
): Parsed<S> {
  const byLowerName = new Map<string, unknown>();
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    const key = name.toLowerCase();
    // Own names only: `constructor` or `__proto__` are "in" every object literal.
    if (!Object.hasOwn(spec, key)) {
      unknown.push(name);
      continue;
    }
    if (byLowerName.has(key) || Array.isArray(value)) {
      throw new InvalidParameterError(name, `Parameter '${name}' is given more than once`);
    }
    byLowerName.set(key, value);
  }
  if (unknown.length > 0) {
    throw new InvalidParameterError(
      unknown[0]!,
      `Unrecognized parameter(s) for ${endpoint}: ${unknown.join(', ')}. Valid parameters: ${Object.keys(spec).join(', ')}`,
    );
  }
  const result: Record<string, unknown> = {};
  for (const [name, paramSpec] of Object.entries(spec)) {
    const raw = byLowerName.get(name);
    if (raw !== undefined && typeof raw !== 'string') {
      throw new InvalidParameterError(name, `Parameter '${name}' must be a plain value`);
    }
    result[name] = parseValue(name, paramSpec, raw);
  }
  return result as Parsed<S>;
}

function parseValue(name: string, spec: ParamSpec, raw: string | undefined): unknown {
  switch (spec.kind) {
    case 'boolean': {
      if (raw === undefined) return spec.default;
      const lower = raw.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new InvalidParameterError(name, `Parameter '${name}' must be true or false, got '${raw}'`);
    }
    case 'string':
      return raw;
    case 'enum': {
      if (raw === undefined) return undefined;
      const value = spec.values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      if (value === undefined) {
        throw new InvalidParameterError(
          name,
          `Parameter '${name}' must be one of ${spec.values.join(', ')}; got '${raw}'`,
        );
      }
      return value;
    }
    case 'integer':
      return raw === undefined ? undefined : parseInteger(name, raw, spec.min, spec.max);
    case 'number': {
      if (raw === undefined) return undefined;
      const text = raw.trim();
      const value = Number(text);
      if (text === '' || !Number.isFinite(value) || value < spec.min || value > spec.max) {
        throw new InvalidParameterError(
          name,
          `Parameter '${name}' must be a number from ${spec.min} to ${spec.max}, got '${raw}'`,
        );
      }
      return value;
    }
    case 'integerList': {
      if (raw === undefined) return undefined;
      const items = raw.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) {
        throw new InvalidParameterError(
          name,
          `Parameter '${name}' must be a comma-separated list of integers, got '${raw}'`,
        );
      }
      return [...new Set(items.map((item) => parseInteger(name, item, spec.min, spec.max)))];
    }
    case 'enumList': {
      if (raw === undefined) return undefined;
      // Case-insensitive, answered in the table's spelling (strategy names are CamelCase).
      const items = raw
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s.length > 0)
        .map((item) => spec.values.find((v) => v.toLowerCase() === item) ?? item);
      const bad = items.filter((item) => !spec.values.includes(item));
      if (bad.length > 0 || items.length === 0) {
        throw new InvalidParameterError(
          name,
          `Parameter '${name}' accepts a comma-separated list of ${spec.values.join(', ')}; got '${raw}'`,
        );
      }
      return [...new Set(items)];
    }
  }
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  const text = raw.trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(name, `Parameter '${name}' must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/**
 * Cruise Control's `brokerid_and_logdirs`: comma-separated `brokerId-logDir` pairs, e.g.
 * `101-/data/kafka-1,101-/data/kafka-2` (the id ends at the first '-'; the path may contain more).
 */
export function parseBrokerLogDirs(raw: string | undefined): { brokerId: number; logDir: string }[] {
  const name = 'brokerid_and_logdirs';
  if (raw === undefined || raw.trim() === '') {
    throw new InvalidParameterError(name, `Parameter '${name}' is required: brokerId-logDir pairs, comma-separated`);
  }
  const seen = new Set<string>();
  return raw.split(',').map((entry) => {
    const match = /^\s*(\d{1,10})-(\/\S*)\s*$/.exec(entry);
    const brokerId = match ? Number(match[1]) : NaN;
    if (match === null || brokerId > 2_147_483_647) {
      throw new InvalidParameterError(
        name,
        `Parameter '${name}' has '${entry}': expected brokerId-logDir with an absolute log dir path, e.g. 1-/var/kafka/data-1`,
      );
    }
    const key = `${brokerId}-${match[2]}`;
    if (seen.has(key)) throw new InvalidParameterError(name, `Parameter '${name}' names ${key} twice`);
    seen.add(key);
    return { brokerId, logDir: match[2]! };
  });
}

/**
 * A topic-name parameter as a regular expression. Cruise Control matches the whole topic name
 * (Java's Matcher.matches), so the regex is anchored; an empty value means no filter rather than
 * "match only the empty name".
 */
export function topicPattern(topic: string | undefined, parameter = 'topic'): RegExp | undefined {
  if (topic === undefined || topic === '') return undefined;
  // JavaScript regexes backtrack: a bound on the length keeps a hostile pattern from stalling the server.
  if (topic.length > MAX_TOPIC_PATTERN_LENGTH) {
    throw new InvalidParameterError(
      parameter,
      `Parameter '${parameter}' is longer than ${MAX_TOPIC_PATTERN_LENGTH} characters`,
    );
  }
  try {
    return new RegExp(`^(?:${topic})$`);
  } catch (error) {
    throw new InvalidParameterError(
      parameter,
      `Parameter '${parameter}' must be a regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const MAX_TOPIC_PATTERN_LENGTH = 1000;
