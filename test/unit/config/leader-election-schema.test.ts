// The leaderElection section: off by default, a lease no shorter than 3 s, read from the environment.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

const env = { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092' };

describe('leaderElection config', () => {
  it('defaults: off, a 15 s lease, a standby retrying every 2 s', () => {
    expect(loadConfig(env).leaderElection).toEqual({ enabled: false, ttlMs: 15_000, retryIntervalMs: 2_000 });
  });

  it('reads every key from the environment', () => {
    const { leaderElection } = loadConfig({
      ...env,
      BALLAST_LEADER_ELECTION_ENABLED: 'true',
      BALLAST_LEADER_ELECTION_TTL_MS: '3000',
      BALLAST_LEADER_ELECTION_RETRY_INTERVAL_MS: '500',
    });
    expect(leaderElection).toEqual({ enabled: true, ttlMs: 3_000, retryIntervalMs: 500 });
  });

  it('refuses a lease shorter than 3000 ms, naming the key and the variable', () => {
    let error: unknown;
    try {
      loadConfig({ ...env, BALLAST_LEADER_ELECTION_TTL_MS: '2999' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('leaderElection.ttlMs (BALLAST_LEADER_ELECTION_TTL_MS)');
  });

  it('refuses an unknown key in the section', () => {
    expect(() => loadConfig(env, { leaderElection: { enabled: true, lockName: 'x' } })).toThrow(/leaderElection/);
  });
});
