// Parses capacity files: Cruise Control's JSON (plain, JBOD and num.cores variants) and Ballast's YAML.
import { isMap, isScalar, parseDocument } from 'yaml';
import { z } from 'zod';
import { CapacityFileError, type CapacityProblem } from './capacity.errors.js';
import { DEFAULT_BROKER_ID, type BrokerCapacity, type CapacitySet, type CpuCapacity } from './capacity.types.js';
import {
  expectedPositive,
  formatPath,
  isRecord,
  jsonErrorOffset,
  lineAndColumn,
  positiveNumber,
  show,
} from './capacity.values.js';

type Path = (string | number)[];

const RESOURCES = ['DISK', 'CPU', 'NW_IN', 'NW_OUT'] as const;
const ENTRY_KEYS = ['brokerId', 'capacity', 'doc'];
const NUM_CORES = 'num.cores';

/**
 * Parses a Cruise Control capacity file (`capacity.json`, `capacityJBOD.json`, `capacityCores.json`
 * accepted unchanged). Throws one {@link CapacityFileError} listing every problem, each with the
 * JSON path of the field, so an operator fixes the file in one pass.
 */
export function parseCapacityJson(text: string, source: string): CapacitySet {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new CapacityFileError(source, [{ path: '(root)', message: `not valid JSON: ${jsonError(text, error)}` }], {
      cause: error,
    });
  }
  const problems: CapacityProblem[] = [];
  const add = (path: Path, message: string): void => void problems.push({ path: formatPath(path), message });
  const set: CapacitySet = { default: null, byBroker: new Map(), format: 'cc-json' };

  if (!isRecord(root)) {
    add([], `expected an object with "brokerCapacities", got ${show(root)}`);
  } else {
    for (const key of Object.keys(root)) if (key !== 'brokerCapacities') add([key], 'unknown key');
    const list = root.brokerCapacities;
    if (list === undefined) add(['brokerCapacities'], 'required: an array of broker capacity entries');
    else if (!Array.isArray(list)) add(['brokerCapacities'], `expected an array, got ${show(list)}`);
    else if (list.length === 0) add(['brokerCapacities'], 'expected at least one entry');
    else {
      const seen = new Map<number, string>();
      list.forEach((entry: unknown, i) => {
        const before = problems.length;
        const capacity = parseCcEntry(entry, ['brokerCapacities', i], add);
        if (capacity && problems.length === before) addEntry(set, capacity, ['brokerCapacities', i], seen, add);
      });
    }
  }
  if (problems.length > 0) throw new CapacityFileError(source, problems);
  return set;
}

function parseCcEntry(entry: unknown, path: Path, add: (p: Path, m: string) => void): BrokerCapacity | undefined {
  if (!isRecord(entry)) return void add(path, `expected an object, got ${show(entry)}`);
  for (const key of Object.keys(entry)) if (!ENTRY_KEYS.includes(key)) add([...path, key], 'unknown key');

  const brokerId = ccBrokerId(entry.brokerId);
  if (brokerId === undefined) add([...path, 'brokerId'], brokerIdMessage(entry.brokerId));
  if (entry.doc !== undefined && typeof entry.doc !== 'string')
    add([...path, 'doc'], `expected a string, got ${show(entry.doc)}`);

  const capPath = [...path, 'capacity'];
  const cap = entry.capacity;
  if (!isRecord(cap)) return void add(capPath, cap === undefined ? 'required' : `expected an object, got ${show(cap)}`);
  for (const key of Object.keys(cap))
    if (!(RESOURCES as readonly string[]).includes(key))
      add([...capPath, key], `unknown resource; expected one of ${RESOURCES.join(', ')}`);
  for (const key of RESOURCES) if (cap[key] === undefined) add([...capPath, key], `required: missing resource ${key}`);

  const nwIn = ccFigure(cap.NW_IN, [...capPath, 'NW_IN'], add);
  const nwOut = ccFigure(cap.NW_OUT, [...capPath, 'NW_OUT'], add);
  const cpu = ccCpu(cap.CPU, [...capPath, 'CPU'], add);
  const disk = ccDisk(cap.DISK, [...capPath, 'DISK'], add);
  if (brokerId === undefined || !nwIn || !nwOut || !cpu || !disk) return undefined;
  return {
    brokerId,
    cpu,
    nwInKBps: nwIn,
    nwOutKBps: nwOut,
    ...disk,
    ...(typeof entry.doc === 'string' ? { doc: entry.doc } : {}),
  };
}

// Cruise Control writes ids as strings ("-1", "0"); JSON numbers are accepted as well.
function ccBrokerId(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= DEFAULT_BROKER_ID ? n : undefined;
}

function brokerIdMessage(value: unknown): string {
  if (value === undefined) return 'required';
  return `expected an integer broker id (-1 for the default), got ${show(value)}`;
}

function ccFigure(value: unknown, path: Path, add: (p: Path, m: string) => void): number | undefined {
  if (value === undefined) return undefined; // already reported as a missing resource
  const n = positiveNumber(value);
  if (n === undefined) add(path, expectedPositive(value));
  return n;
}

function ccCpu(value: unknown, path: Path, add: (p: Path, m: string) => void): CpuCapacity | undefined {
  if (!isRecord(value)) {
    const percent = ccFigure(value, path, add);
    return percent === undefined ? undefined : { percent };
  }
  for (const key of Object.keys(value))
    if (key !== NUM_CORES) add([...path, key], `unknown key; expected "${NUM_CORES}"`);
  if (value[NUM_CORES] === undefined) return void add([...path, NUM_CORES], 'required');
  const cores = ccFigure(value[NUM_CORES], [...path, NUM_CORES], add);
  return cores === undefined ? undefined : { cores };
}

function ccDisk(
  value: unknown,
  path: Path,
  add: (p: Path, m: string) => void,
): Pick<BrokerCapacity, 'diskMb' | 'diskMbByLogDir'> | undefined {
  if (!isRecord(value)) {
    const diskMb = ccFigure(value, path, add);
    return diskMb === undefined ? undefined : { diskMb, diskMbByLogDir: null };
  }
  const dirs = Object.entries(value);
  if (dirs.length === 0) return void add(path, 'a JBOD disk map must name at least one log dir');
  const byDir: Record<string, number> = {};
  let ok = true;
  for (const [dir, figure] of dirs) {
    const n =
      dir.trim() === ''
        ? void add([...path, dir], 'log dir must be a non-empty path')
        : ccFigure(figure, [...path, dir], add);
    if (n === undefined) ok = false;
    else byDir[dir] = n;
  }
  return ok ? jbod(byDir) : undefined;
}

function jbod(byDir: Record<string, number>): Pick<BrokerCapacity, 'diskMb' | 'diskMbByLogDir'> {
  return { diskMb: Object.values(byDir).reduce((a, b) => a + b, 0), diskMbByLogDir: byDir };
}

function addEntry(
  set: CapacitySet,
  capacity: BrokerCapacity,
  path: Path,
  seen: Map<number, string>,
  add: (p: Path, m: string) => void,
): void {
  const first = seen.get(capacity.brokerId);
  if (first !== undefined) {
    const what =
      capacity.brokerId === DEFAULT_BROKER_ID
        ? 'duplicate default entry (broker id -1)'
        : `duplicate broker id ${capacity.brokerId}`;
    return add([...path, 'brokerId'], `${what}; first given at ${first}`);
  }
  seen.set(capacity.brokerId, formatPath(path));
  if (capacity.brokerId === DEFAULT_BROKER_ID) set.default = capacity;
  else set.byBroker.set(capacity.brokerId, capacity);
}

// Node names the position only for some errors; the scan fills in the rest. Line and column let
// an editor jump to the spot.
function jsonError(text: string, error: unknown): string {
  // V8 quotes a snippet of the file, newlines included; keep the problem on one line.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  const at = /at position (\d+)/.exec(message)?.[1];
  const offset = at === undefined ? jsonErrorOffset(text) : Number(at);
  if (offset < 0) return message;
  return `${message} (${at === undefined ? `position ${offset}, ` : ''}${lineAndColumn(text, offset)})`;
}

// ---- Ballast YAML ----------------------------------------------------------------------------

const figure = z.number({ error: (iss) => expectedPositive(iss.input) }).positive({
  error: (iss) => expectedPositive(iss.input),
});

const cpuSchema = z
  .strictObject({ percent: figure.optional(), cores: figure.optional() })
  .refine((cpu) => (cpu.percent === undefined) !== (cpu.cores === undefined), {
    error: 'give exactly one of percent or cores',
  });

const entrySchema = z
  .strictObject({
    cpu: cpuSchema,
    nwInKBps: figure,
    nwOutKBps: figure,
    diskMb: figure.optional(),
    // Refined on the record itself so an empty map is reported even when sibling fields are bad.
    disks: z
      .record(z.string().trim().min(1, { error: 'log dir must be a non-empty path' }), figure)
      .refine((disks) => Object.keys(disks).length > 0, { error: 'a JBOD disk map must name at least one log dir' })
      .optional(),
    doc: z.string({ error: (iss) => `expected a string, got ${show(iss.input)}` }).optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.diskMb === undefined) === (entry.disks === undefined))
      ctx.addIssue({ code: 'custom', path: ['diskMb'], message: 'give exactly one of diskMb or disks (JBOD)' });
  });

const fileSchema = z.strictObject({
  default: entrySchema.optional(),
  brokers: z.record(z.string(), entrySchema).optional(),
});

type YamlEntry = z.infer<typeof entrySchema>;

/**
 * Parses Ballast's capacity YAML: an optional `default` entry and a `brokers` map keyed by broker
 * id. Each entry has `cpu: { percent }` or `cpu: { cores }`, `nwInKBps`, `nwOutKBps`, and either
 * `diskMb` or `disks: { <logDir>: <MB> }` (JBOD), plus an optional `doc`.
 */
export function parseCapacityYaml(text: string, source: string): CapacitySet {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({ path: '(root)', message: `not valid YAML: ${e.message.trimEnd()}` }));
    throw new CapacityFileError(source, problems, { cause: doc.errors[0] });
  }
  const problems: CapacityProblem[] = [];
  const add = (path: Path, message: string): void => void problems.push({ path: formatPath(path), message });
  const root: unknown = doc.toJS();

  // `0` and `"0"` are different YAML keys but the same broker: catch that before toJS merges them.
  const brokersNode = doc.get('brokers', true);
  if (isMap(brokersNode)) {
    const seen = new Set<string>();
    for (const item of brokersNode.items) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key === undefined) continue;
      if (seen.has(key)) add(['brokers', key], `duplicate broker id ${key}`);
      seen.add(key);
    }
  }

  const set: CapacitySet = { default: null, byBroker: new Map(), format: 'ballast-yaml' };
  if (!isRecord(root)) add([], `expected a mapping with "default" and/or "brokers", got ${show(root)}`);
  else {
    const result = fileSchema.safeParse(root);
    if (!result.success) {
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys')
          for (const key of issue.keys) add([...pathOf(issue.path), key], 'unknown key');
        else add(pathOf(issue.path), issue.message);
      }
    } else {
      const { default: fallback, brokers = {} } = result.data;
      if (fallback) set.default = fromYaml(DEFAULT_BROKER_ID, fallback);
      for (const [key, entry] of Object.entries(brokers)) {
        if (!/^\d+$/.test(key) || !Number.isSafeInteger(Number(key)))
          add(['brokers', key], 'expected a non-negative integer broker id (use "default" for the default entry)');
        else set.byBroker.set(Number(key), fromYaml(Number(key), entry));
      }
      if (!fallback && Object.keys(brokers).length === 0)
        add([], 'no capacity entries: give "default", "brokers" or both');
    }
  }
  if (problems.length > 0) throw new CapacityFileError(source, problems);
  return set;
}

function pathOf(path: readonly PropertyKey[]): Path {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function fromYaml(brokerId: number, entry: YamlEntry): BrokerCapacity {
  // The schema guarantees exactly one of each pair; the fallbacks only satisfy the compiler.
  const { percent, cores } = entry.cpu;
  const cpu: CpuCapacity = percent !== undefined ? { percent } : { cores: cores ?? Number.NaN };
  return {
    brokerId,
    cpu,
    nwInKBps: entry.nwInKBps,
    nwOutKBps: entry.nwOutKBps,
    ...(entry.disks ? jbod(entry.disks) : { diskMb: entry.diskMb ?? Number.NaN, diskMbByLogDir: null }),
    ...(entry.doc === undefined ? {} : { doc: entry.doc }),
  };
}
