// Cruise Control query parameters: case-insensitive names, strict values, errors that name the parameter.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/api/index.js';
import { parseBrokerLogDirs, parseQuery } from '../../../src/api/query-params.js';

const SPEC = {
  json: { kind: 'boolean', default: false },
  substates: { kind: 'enumList', values: ['executor', 'monitor'] },
  reason: { kind: 'string' },
} as const;

function rejection(query: Record<string, unknown>): InvalidParameterError {
  try {
    parseQuery('GET /x', SPEC, query);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParameterError);
    return error as InvalidParameterError;
  }
  throw new Error('expected InvalidParameterError');
}

describe('parseQuery', () => {
  it('applies defaults and reads names case-insensitively', () => {
    expect(parseQuery('GET /x', SPEC, {})).toEqual({ json: false, substates: undefined, reason: undefined });
    expect(parseQuery('GET /x', SPEC, { JSON: 'TRUE', Substates: 'Monitor,executor,monitor' })).toEqual({
      json: true,
      substates: ['monitor', 'executor'],
      reason: undefined,
    });
  });

  it('rejects a malformed boolean, naming the parameter', () => {
    const error = rejection({ json: 'yes' });
    expect(error.parameter).toBe('json');
    expect(error.message).toMatch(/true or false/);
  });

  it('rejects unknown and repeated parameters', () => {
    expect(rejection({ jsn: 'true' }).parameter).toBe('jsn');
    expect(rejection({ json: ['true', 'false'] }).parameter).toBe('json');
    expect(rejection({ json: 'true', JSON: 'false' }).parameter).toBe('JSON');
  });

  it('rejects names every object has, as unknown parameters', () => {
    // Express parses the query into an object without a prototype, so these arrive as own names.
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { constructor: '1' });
    expect(rejection(query).parameter).toBe('constructor');
    expect(
      rejection(Object.assign(Object.create(null) as Record<string, unknown>, { ['__proto__']: '1' })).parameter,
    ).toBe('__proto__');
  });

  it('rejects values outside an enumerated list', () => {
    const error = rejection({ substates: 'executor,analyser' });
    expect(error.parameter).toBe('substates');
    expect(error.message).toContain('executor, monitor');
  });
});

describe('parseQuery numbers and lists', () => {
  const NUMBERS = {
    entries: { kind: 'integer', min: 1, max: 100 },
    ratio: { kind: 'number', min: 0, max: 1 },
    brokerid: { kind: 'integerList', min: 0, max: 1000 },
    resource: { kind: 'enum', values: ['cpu', 'networkInbound'] },
  } as const;
  const reject = (query: Record<string, string>) => {
    try {
      parseQuery('GET /y', NUMBERS, query);
    } catch (error) {
      return error as InvalidParameterError;
    }
    throw new Error('expected InvalidParameterError');
  };

  it('reads integers, decimals, integer lists and enums (case-insensitive, canonical spelling back)', () => {
    expect(
      parseQuery('GET /y', NUMBERS, { entries: '7', ratio: '0.25', brokerid: '3, 1,3', resource: 'NETWORKINBOUND' }),
    ).toEqual({
      entries: 7,
      ratio: 0.25,
      brokerid: [3, 1],
      resource: 'networkInbound',
    });
  });

  it('rejects out-of-range, fractional, malformed and unknown values, naming the parameter', () => {
    expect(reject({ entries: '0' }).message).toBe("Parameter 'entries' must be an integer from 1 to 100, got '0'");
    expect(reject({ entries: '2.5' }).parameter).toBe('entries');
    expect(reject({ ratio: '1.5' }).parameter).toBe('ratio');
    expect(reject({ ratio: 'half' }).parameter).toBe('ratio');
    expect(reject({ brokerid: '1,,2' }).parameter).toBe('brokerid');
    expect(reject({ brokerid: '1,x' }).parameter).toBe('brokerid');
    expect(reject({ resource: 'disk' }).message).toContain('cpu, networkInbound');
  });
});

describe("remove_disks' brokerid_and_logdirs", () => {
  it('reads brokerId-logDir pairs; the path may itself contain dashes', () => {
    expect(parseBrokerLogDirs('1-/var/kafka/data-0, 12-/d/x-y')).toEqual([
      { brokerId: 1, logDir: '/var/kafka/data-0' },
      { brokerId: 12, logDir: '/d/x-y' },
    ]);
  });

  it.each([
    [undefined, /is required/],
    ['', /is required/],
    ['1:/data', /expected brokerId-logDir/],
    ['x-/data', /expected brokerId-logDir/],
    ['1-data', /expected brokerId-logDir/],
    ['99999999999-/data', /expected brokerId-logDir/],
    ['1-/a,1-/a', /names 1-\/a twice/],
  ])('rejects %j naming the parameter', (raw, message) => {
    let error: unknown;
    try {
      parseBrokerLogDirs(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).parameter).toBe('brokerid_and_logdirs');
    expect((error as Error).message).toMatch(message);
  });
});
