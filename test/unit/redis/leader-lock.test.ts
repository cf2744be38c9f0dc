// The leader lock's naming: the key under Ballast's prefix and an instance id no other holder shares.
import { describe, expect, it } from 'vitest';
import { leaderLockKey, newInstanceId } from '../../../src/redis/index.js';

describe('leader lock naming', () => {
  it('puts the lock under the configured key prefix', () => {
    expect(leaderLockKey('ballast')).toBe('ballast:leader');
    expect(leaderLockKey('team-a.prod')).toBe('team-a.prod:leader');
  });

  it('names the host and the pid, and tells two processes with the same host and pid apart', () => {
    expect(newInstanceId('ballast-7f9c-abcde', 1, 'cafe0123')).toBe('ballast-7f9c-abcde-1-cafe0123');
    const a = newInstanceId('pod', 1);
    const b = newInstanceId('pod', 1);
    expect(a).toMatch(/^pod-1-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});
