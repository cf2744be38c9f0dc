// Small helpers the two parsers share: problem paths, value descriptions, positive numbers.

// A plain decimal, as Cruise Control writes capacities ("100000", "1.5"); no hex, no "Infinity".
const DECIMAL = /^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const PLAIN_KEY = /^[A-Za-z0-9_$]+$/;

/** `['brokerCapacities', 1, 'capacity', 'DISK', '/data/0']` → `brokerCapacities[1].capacity.DISK["/data/0"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** A short description of a bad value for a message: strings quoted, containers named. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A capacity figure: a finite number above zero, given as a JSON number or, as Cruise Control
 * files do, a decimal string. Undefined when it is not one.
 */
export function positiveNumber(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return undefined;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The message for a value that should have been a capacity figure. */
export function expectedPositive(value: unknown): string {
  return value === undefined ? 'required' : `expected a positive number, got ${show(value)}`;
}

/** `line L, column C` for a character offset, so a JSON error points into the file. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

// Carries the failing offset out of the recursive scan below.
class JsonStop extends Error {
  constructor(readonly at: number) {
    super('json stop');
  }
}

/**
 * The offset of the first syntax error in `text`, or -1 if there is none. Node's JSON.parse names
 * the position for some errors but not for "Unexpected token", so the file is scanned again.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const stop = (): never => {
    throw new JsonStop(i);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') return void i++;
      if (c < ' ') stop();
      i += c === '\\' ? 2 : 1;
    }
    stop();
  };
  const container = (close: string, member: () => void): void => {
    i++;
    ws();
    if (text.charAt(i) === close) return void i++;
    for (;;) {
      member();
      ws();
      const c = text.charAt(i);
      if (c === close) return void i++;
      if (c !== ',') stop();
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      return container('}', () => {
        ws();
        if (text.charAt(i) !== '"') stop();
        string();
        ws();
        if (text.charAt(i) !== ':') stop();
        i++;
        value();
      });
    }
    if (c === '[') return container(']', value);
    if (c === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) stop();
    i += literal?.[0].length ?? 0;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (error) {
    if (error instanceof JsonStop) return error.at;
    throw error;
  }
}
