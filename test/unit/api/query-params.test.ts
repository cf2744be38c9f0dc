// Cruise Control query parameters: case-insensitive names, strict values, errors that name the parameter.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../../src/api/index.js';
import { parseQuery } from '../../../src/api/query-params.js';

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

  it('rejects values outside an enumerated list', () => {
    const error = rejection({ substates: 'executor,analyser' });
    expect(error.parameter).toBe('substates');
    expect(error.message).toContain('executor, monitor');
  });
});
