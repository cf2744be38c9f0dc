// POST /admin parameter validation: anomaly types by Cruise Control's names, 400s naming the parameter.
import { describe, expect, it } from 'vitest';
import { parseAdminRequest } from '../../../src/api/admin.controller.js';
import { InvalidParameterError } from '../../../src/api/api.errors.js';

function rejection(query: Record<string, unknown>): InvalidParameterError {
  try {
    parseAdminRequest(query);
  } catch (error) {
    if (error instanceof InvalidParameterError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseAdminRequest', () => {
  it('reads comma-separated anomaly types, case-insensitively', () => {
    expect(
      parseAdminRequest({
        enable_self_healing_for: 'broker_failure, DISK_FAILURE',
        disable_self_healing_for: 'GOAL_VIOLATION',
      }),
    ).toEqual({ enable: ['BROKER_FAILURE', 'DISK_FAILURE'], disable: ['GOAL_VIOLATION'], json: false });
  });

  it('names the parameter of an unknown type', () => {
    const error = rejection({ disable_self_healing_for: 'BROKER_FAILURE,DISK_EXPLOSION' });
    expect(error.parameter).toBe('disable_self_healing_for');
    expect(error.message).toMatch(/GOAL_VIOLATION, BROKER_FAILURE, METRIC_ANOMALY, DISK_FAILURE, TOPIC_ANOMALY/);
  });

  it('switches every type the spec names, slow brokers (METRIC_ANOMALY) included', () => {
    expect(parseAdminRequest({ enable_self_healing_for: 'METRIC_ANOMALY' }).enable).toEqual(['METRIC_ANOMALY']);
    expect(parseAdminRequest({ disable_self_healing_for: 'METRIC_ANOMALY' }).disable).toEqual(['METRIC_ANOMALY']);
  });

  it('refuses a type both enabled and disabled, an empty list, and unsupported spec parameters', () => {
    expect(
      rejection({ enable_self_healing_for: 'BROKER_FAILURE', disable_self_healing_for: 'BROKER_FAILURE' }).parameter,
    ).toBe('disable_self_healing_for');
    expect(rejection({ enable_self_healing_for: ' , ' }).parameter).toBe('enable_self_healing_for');
    const unsupported = rejection({ concurrent_leader_movements: '10' });
    expect(unsupported.parameter).toBe('concurrent_leader_movements');
    expect(unsupported.message).toMatch(/not supported by this version of Ballast/);
    expect(rejection({ self_healing: 'true' }).parameter).toBe('self_healing');
  });
});
