// Capacity files: Cruise Control's three JSON variants read unchanged, Ballast's YAML, strict
// validation with file + path in every problem, per-broker resolution, and the loader.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CapacityFileError,
  MissingCapacityError,
  loadCapacityFile,
  parseCapacityJson,
  parseCapacityYaml,
  resolveCapacity,
  type BrokerCapacity,
  type CapacitySet,
} from '../../../src/monitor/capacity/index.js';

const CC_DIR =
  process.env.CRUISE_CONTROL_CONFIG_DIR ??
  fileURLToPath(new URL('../../../../shared/reference/cruise-control-config/', import.meta.url));
const ccFile = (name: string) => readFileSync(join(CC_DIR, name), 'utf8');

const dirs: string[] = [];
function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-capacity-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CapacityFileError);
    expect((error as CapacityFileError).code).toBe('CAPACITY_INVALID');
    return (error as CapacityFileError).problems;
  }
  throw new Error('expected a CapacityFileError');
}

// A valid CC entry to mutate in the malformed cases.
const entry = (brokerId: unknown, capacity: Record<string, unknown> = {}) => ({
  brokerId,
  capacity: { DISK: '100', CPU: '100', NW_IN: '10', NW_OUT: '10', ...capacity },
});
const disk = (diskMb: number) => ({ diskMb, diskMbByLogDir: null });
const ccJson = (...entries: unknown[]) => JSON.stringify({ brokerCapacities: entries });

describe('parseCapacityJson: Cruise Control example files', () => {
  it('reads capacity.json (CPU percent, one disk)', () => {
    const set = parseCapacityJson(ccFile('capacity.json'), 'capacity.json');
    expect(set.format).toBe('cc-json');
    const { doc, ...rest } = set.default!;
    expect(rest).toEqual({ brokerId: -1, cpu: { percent: 100 }, nwInKBps: 10000, nwOutKBps: 10000, ...disk(100000) });
    expect(doc).toContain('default capacity');
    expect([...set.byBroker.keys()]).toEqual([0]);
    expect(set.byBroker.get(0)).toMatchObject({ cpu: { percent: 100 }, nwInKBps: 50000, diskMb: 500000 });
  });

  it('reads capacityJBOD.json (disk per log dir, total summed)', () => {
    const set = parseCapacityJson(ccFile('capacityJBOD.json'), 'capacityJBOD.json');
    expect(set.default?.diskMbByLogDir).toEqual({
      '/tmp/kafka-logs-1': 100000,
      '/tmp/kafka-logs-2': 100000,
      '/tmp/kafka-logs-3': 50000,
      '/tmp/kafka-logs-4': 50000,
      '/tmp/kafka-logs-5': 150000,
      '/tmp/kafka-logs-6': 50000,
    });
    expect(set.default?.diskMb).toBe(500000);
    expect(set.byBroker.get(0)).toMatchObject({ diskMb: 500000, diskMbByLogDir: { '/tmp/kafka-logs': 500000 } });
    expect(set.byBroker.get(1)).toMatchObject({
      brokerId: 1,
      cpu: { percent: 100 },
      nwOutKBps: 50000,
      diskMb: 500000,
      diskMbByLogDir: { '/tmp/kafka-logs-1': 250000, '/tmp/kafka-logs-2': 250000 },
    });
  });

  it('reads capacityCores.json (CPU as num.cores)', () => {
    const set = parseCapacityJson(ccFile('capacityCores.json'), 'capacityCores.json');
    expect(set.default).toMatchObject({ cpu: { cores: 16 }, diskMb: 100000, diskMbByLogDir: null });
    expect(set.byBroker.get(0)).toMatchObject({ cpu: { cores: 32 }, nwInKBps: 50000, diskMb: 500000 });
  });

  it('accepts JSON numbers as well as strings, and entries without doc', () => {
    const set = parseCapacityJson(
      ccJson({ brokerId: 3, capacity: { DISK: 1.5, CPU: { 'num.cores': 8 }, NW_IN: 1, NW_OUT: 2 } }),
      'c.json',
    );
    expect(set.default).toBeNull();
    expect(set.byBroker.get(3)).toEqual({ brokerId: 3, cpu: { cores: 8 }, nwInKBps: 1, nwOutKBps: 2, ...disk(1.5) });
  });
});

describe('parseCapacityJson: malformed files', () => {
  it('names file, path and value in the message', () => {
    expect(() => parseCapacityJson(ccJson(entry('-1'), entry('0', { NW_IN: 'fast' })), 'capacity.json')).toThrow(
      'capacity.json: brokerCapacities[1].capacity.NW_IN: expected a positive number, got "fast"',
    );
  });

  it('rejects duplicate broker ids, including two defaults and "0" vs 0', () => {
    expect(problemsOf(() => parseCapacityJson(ccJson(entry('0'), entry(0), entry(-1), entry('-1')), 'c.json'))).toEqual(
      [
        { path: 'brokerCapacities[1].brokerId', message: 'duplicate broker id 0; first given at brokerCapacities[0]' },
        {
          path: 'brokerCapacities[3].brokerId',
          message: 'duplicate default entry (broker id -1); first given at brokerCapacities[2]',
        },
      ],
    );
  });

  it.each([
    ['0', '"0"'],
    ['-5', '"-5"'],
    [0, '0'],
    ['NaN', '"NaN"'],
    ['0x10', '"0x10"'],
    ['', '""'],
    [true, 'true'],
  ])('rejects the non-positive or non-numeric value %j', (value, shown) => {
    expect(problemsOf(() => parseCapacityJson(ccJson(entry('1', { NW_OUT: value })), 'c.json'))).toEqual([
      { path: 'brokerCapacities[0].capacity.NW_OUT', message: `expected a positive number, got ${shown}` },
    ]);
  });

  it('rejects numbers that overflow to Infinity and negative JBOD / core figures', () => {
    const problems = problemsOf(() =>
      parseCapacityJson(
        `{"brokerCapacities":[{"brokerId":"1","capacity":{"DISK":{"/d":"-1"},"CPU":{"num.cores":"0"},"NW_IN":1e999,"NW_OUT":"1"}}]}`,
        'c.json',
      ),
    );
    expect(problems).toEqual([
      { path: 'brokerCapacities[0].capacity.NW_IN', message: 'expected a positive number, got Infinity' },
      { path: 'brokerCapacities[0].capacity.CPU["num.cores"]', message: 'expected a positive number, got "0"' },
      { path: 'brokerCapacities[0].capacity.DISK["/d"]', message: 'expected a positive number, got "-1"' },
    ]);
  });

  it('rejects unknown resource keys and unknown keys elsewhere', () => {
    const bad = { ...entry('1', { MEMORY: '5', CPU: { 'num.cores': '4', threads: '8' } }), extra: 1 };
    expect(
      problemsOf(() => parseCapacityJson(JSON.stringify({ brokerCapacities: [bad], other: 1 }), 'c.json')),
    ).toEqual([
      { path: 'other', message: 'unknown key' },
      { path: 'brokerCapacities[0].extra', message: 'unknown key' },
      {
        path: 'brokerCapacities[0].capacity.MEMORY',
        message: 'unknown resource; expected one of DISK, CPU, NW_IN, NW_OUT',
      },
      { path: 'brokerCapacities[0].capacity.CPU.threads', message: 'unknown key; expected "num.cores"' },
    ]);
  });

  it('rejects an empty JBOD disk map', () => {
    expect(problemsOf(() => parseCapacityJson(ccJson(entry('1', { DISK: {} })), 'c.json'))).toEqual([
      { path: 'brokerCapacities[0].capacity.DISK', message: 'a JBOD disk map must name at least one log dir' },
    ]);
  });

  it('rejects a missing resource, a missing capacity and a missing brokerId', () => {
    const noNwIn = entry('1');
    delete (noNwIn.capacity as Record<string, unknown>).NW_IN;
    expect(problemsOf(() => parseCapacityJson(ccJson(noNwIn, { brokerId: '2' }, { capacity: {} }), 'c.json'))).toEqual([
      { path: 'brokerCapacities[0].capacity.NW_IN', message: 'required: missing resource NW_IN' },
      { path: 'brokerCapacities[1].capacity', message: 'required' },
      { path: 'brokerCapacities[2].brokerId', message: 'required' },
      ...['DISK', 'CPU', 'NW_IN', 'NW_OUT'].map((r) => ({
        path: `brokerCapacities[2].capacity.${r}`,
        message: `required: missing resource ${r}`,
      })),
    ]);
  });

  it.each([['1.5'], [2.5], ['abc'], ['-2'], [null]])('rejects the broker id %j', (id) => {
    expect(problemsOf(() => parseCapacityJson(ccJson(entry(id)), 'c.json'))).toEqual([
      {
        path: 'brokerCapacities[0].brokerId',
        message: expect.stringMatching(/^expected an integer broker id \(-1 for the default\), got /),
      },
    ]);
  });

  it('rejects invalid JSON with its position', () => {
    expect(problemsOf(() => parseCapacityJson('{\n  "brokerCapacities": [,]\n}', 'c.json'))).toEqual([
      { path: '(root)', message: expect.stringMatching(/^not valid JSON: .*position 25, line 2, column 24\)$/) },
    ]);
    expect(problemsOf(() => parseCapacityJson('{"brokerCapacities": [', 'c.json'))[0]?.message).toMatch(
      /end of JSON input \(position 22, line 1, column 23\)/,
    );
  });

  it('rejects a file without entries or of the wrong shape', () => {
    expect(problemsOf(() => parseCapacityJson('{"brokerCapacities": []}', 'c.json'))).toEqual([
      { path: 'brokerCapacities', message: 'expected at least one entry' },
    ]);
    expect(problemsOf(() => parseCapacityJson('[]', 'c.json'))[0]?.path).toBe('(root)');
    expect(problemsOf(() => parseCapacityJson('{}', 'c.json'))[0]).toEqual({
      path: 'brokerCapacities',
      message: 'required: an array of broker capacity entries',
    });
  });

  it('lists every problem in one error message', () => {
    const error = (() => {
      try {
        parseCapacityJson(ccJson(entry('x'), entry('1', { DISK: '-3' })), 'capacity.json');
      } catch (e) {
        return e as CapacityFileError;
      }
    })();
    expect(error?.source).toBe('capacity.json');
    expect(error?.message).toBe(
      'Invalid capacity file capacity.json:\n' +
        '  - capacity.json: brokerCapacities[0].brokerId: expected an integer broker id (-1 for the default), got "x"\n' +
        '  - capacity.json: brokerCapacities[1].capacity.DISK: expected a positive number, got "-3"',
    );
  });
});

const YAML_EXAMPLE = `default: { cpu: { cores: 16 }, nwInKBps: 10000, nwOutKBps: 10000, diskMb: 100000, doc: fleet default }
brokers:
  0: { cpu: { percent: 100 }, nwInKBps: 50000, nwOutKBps: 50000, disks: { /data/0: 250000, /data/1: 250000 } }
  7:
    cpu: { cores: 32 }
    nwInKBps: 20000
    nwOutKBps: 30000
    diskMb: 1000000
`;

describe('parseCapacityYaml', () => {
  it('reads the default, a JBOD broker and a single-disk broker', () => {
    const set = parseCapacityYaml(YAML_EXAMPLE, 'capacity.yaml');
    expect(set.format).toBe('ballast-yaml');
    expect(set.default).toEqual({
      brokerId: -1,
      cpu: { cores: 16 },
      nwInKBps: 10000,
      nwOutKBps: 10000,
      diskMb: 100000,
      diskMbByLogDir: null,
      doc: 'fleet default',
    });
    expect(set.byBroker.get(0)).toEqual({
      brokerId: 0,
      cpu: { percent: 100 },
      nwInKBps: 50000,
      nwOutKBps: 50000,
      diskMb: 500000,
      diskMbByLogDir: { '/data/0': 250000, '/data/1': 250000 },
    });
    expect(set.byBroker.get(7)).toMatchObject({ cpu: { cores: 32 }, diskMb: 1000000, diskMbByLogDir: null });
  });

  it('reports every bad field with its path', () => {
    const text = `
default: { cpu: { cores: 16, percent: 100 }, nwInKBps: fast, nwOutKBps: -1, diskMb: .nan, memory: 5 }
brokers:
  1: { cpu: { cores: 0 }, nwInKBps: 1, disks: {} }
  2: { cpu: { percent: 1 }, nwInKBps: 1, nwOutKBps: 1, diskMb: 1, disks: { /d: 1 } }
`;
    expect(problemsOf(() => parseCapacityYaml(text, 'capacity.yaml'))).toEqual(
      expect.arrayContaining([
        { path: 'default.cpu', message: 'give exactly one of percent or cores' },
        { path: 'default.nwInKBps', message: 'expected a positive number, got "fast"' },
        { path: 'default.nwOutKBps', message: 'expected a positive number, got -1' },
        { path: 'default.diskMb', message: 'expected a positive number, got NaN' },
        { path: 'default.memory', message: 'unknown key' },
        { path: 'brokers.1.cpu.cores', message: 'expected a positive number, got 0' },
        { path: 'brokers.1.nwOutKBps', message: 'required' },
        { path: 'brokers.1.disks', message: 'a JBOD disk map must name at least one log dir' },
        { path: 'brokers.2.diskMb', message: 'give exactly one of diskMb or disks (JBOD)' },
      ]),
    );
    const ids = `
brokers:
  x: { cpu: { percent: 1 }, nwInKBps: 1, nwOutKBps: 1, diskMb: 1 }
  -1: { cpu: { percent: 1 }, nwInKBps: 1, nwOutKBps: 1, diskMb: 1 }
  1.5: { cpu: { percent: 1 }, nwInKBps: 1, nwOutKBps: 1, diskMb: 1 }
`;
    const message = 'expected a non-negative integer broker id (use "default" for the default entry)';
    expect(problemsOf(() => parseCapacityYaml(ids, 'capacity.yaml'))).toEqual([
      { path: 'brokers.x', message },
      { path: 'brokers["-1"]', message },
      { path: 'brokers["1.5"]', message },
    ]);
  });

  it('rejects duplicate broker ids, also when spelled differently', () => {
    const line = '{ cpu: { percent: 1 }, nwInKBps: 1, nwOutKBps: 1, diskMb: 1 }';
    expect(problemsOf(() => parseCapacityYaml(`brokers:\n  0: ${line}\n  "0": ${line}\n`, 'c.yaml'))).toEqual([
      { path: 'brokers.0', message: 'duplicate broker id 0' },
    ]);
    expect(problemsOf(() => parseCapacityYaml(`brokers:\n  3: ${line}\n  3: ${line}\n`, 'c.yaml'))[0]?.message).toMatch(
      /^not valid YAML: Map keys must be unique at line 3/,
    );
  });

  it('rejects unknown top-level keys, empty files and invalid YAML', () => {
    expect(problemsOf(() => parseCapacityYaml('defaults: {}\n', 'c.yaml'))).toEqual([
      { path: 'defaults', message: 'unknown key' },
    ]);
    expect(problemsOf(() => parseCapacityYaml('', 'c.yaml'))[0]?.path).toBe('(root)');
    expect(problemsOf(() => parseCapacityYaml('brokers: {}\n', 'c.yaml'))).toEqual([
      { path: '(root)', message: 'no capacity entries: give "default", "brokers" or both' },
    ]);
    expect(problemsOf(() => parseCapacityYaml('default: [\n', 'c.yaml'))[0]?.message).toMatch(
      /^not valid YAML: .*line \d+, column \d+/,
    );
  });
});

const cap = (brokerId: number, extra: Partial<BrokerCapacity> = {}): BrokerCapacity => ({
  brokerId,
  cpu: { percent: 100 },
  nwInKBps: 1,
  nwOutKBps: 1,
  diskMb: 10,
  diskMbByLogDir: null,
  ...extra,
});

describe('resolveCapacity', () => {
  const jbod = cap(1, { diskMb: 3, diskMbByLogDir: { '/d/1': 1, '/d/2': 2 } });
  const withDefault: CapacitySet = { default: cap(-1), byBroker: new Map([[1, jbod]]), format: 'cc-json' };
  const noDefault: CapacitySet = { default: null, byBroker: new Map([[1, jbod]]), format: 'ballast-yaml' };

  it('prefers the broker entry, then the default', () => {
    expect(resolveCapacity(withDefault, 1, { onMissing: 'error' })).toEqual({ capacity: jbod, source: 'broker' });
    expect(resolveCapacity(withDefault, 9, { onMissing: 'error' })).toEqual({
      capacity: withDefault.default,
      source: 'default',
    });
  });

  it('falls back to a flagged estimate, or throws naming the broker', () => {
    const estimate = cap(-1, { nwInKBps: 99 });
    expect(resolveCapacity(noDefault, 9, { onMissing: 'estimate', estimate })).toEqual({
      capacity: estimate,
      source: 'estimated',
    });
    expect(() => resolveCapacity(noDefault, 9, { onMissing: 'error' })).toThrow(MissingCapacityError);
    expect(() => resolveCapacity(noDefault, 9, { onMissing: 'error' })).toThrow(/No capacity for broker 9/);
    expect(() => resolveCapacity(noDefault, 9, { onMissing: 'estimate' })).toThrow(/no estimate was supplied/);
  });

  it('checks every JBOD log dir of the broker has a capacity', () => {
    expect(resolveCapacity(noDefault, 1, { onMissing: 'error', logDirs: ['/d/2', '/d/1'] }).source).toBe('broker');
    try {
      resolveCapacity(noDefault, 1, { onMissing: 'error', logDirs: ['/d/1', '/d/3', '/d/4'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MissingCapacityError);
      const missing = error as MissingCapacityError;
      expect(missing.code).toBe('CAPACITY_MISSING');
      expect(missing.brokerId).toBe(1);
      expect(missing.missingLogDirs).toEqual(['/d/3', '/d/4']);
      expect(missing.message).toContain('broker 1 log dirs "/d/3", "/d/4"');
    }
    // A single-disk capacity covers any log dirs.
    expect(resolveCapacity(withDefault, 5, { onMissing: 'error', logDirs: ['/x', '/y'] }).source).toBe('default');
  });
});

describe('loadCapacityFile', () => {
  it('picks the format by extension', () => {
    expect(loadCapacityFile(tempFile('capacity.json', ccFile('capacityCores.json'))).format).toBe('cc-json');
    expect(loadCapacityFile(tempFile('capacity.yaml', YAML_EXAMPLE)).format).toBe('ballast-yaml');
    expect(loadCapacityFile(tempFile('capacity.YML', YAML_EXAMPLE)).byBroker.get(7)?.nwOutKBps).toBe(30000);
  });

  it('names the file in parse problems', () => {
    const file = tempFile('capacity.json', ccJson(entry('1', { CPU: 'lots' })));
    expect(() => loadCapacityFile(file)).toThrow(
      `${file}: brokerCapacities[0].capacity.CPU: expected a positive number, got "lots"`,
    );
  });

  it('reports an unreadable file and an unknown extension', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'ballast-capacity-')), 'nope.json');
    dirs.push(join(missing, '..'));
    expect(problemsOf(() => loadCapacityFile(missing))).toEqual([
      { path: '(root)', message: expect.stringMatching(/^cannot read the file \(ENOENT: no such file/) },
    ]);
    expect(problemsOf(() => loadCapacityFile(tempFile('capacity.txt', '{}')))[0]?.message).toMatch(
      /unknown capacity file extension "\.txt"/,
    );
  });
});
