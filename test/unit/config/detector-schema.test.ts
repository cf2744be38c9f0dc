// The detector section of the configuration: defaults as Cruise Control's, thresholds in order,
// topic targets in both the file and the environment form.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

const env = { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092' };

describe('detector config', () => {
  it('defaults: broker failure alert 15 min, heal 30 min, self-healing off, budget 1', () => {
    const { detector } = loadConfig(env);
    expect(detector.brokerFailure).toEqual({
      enabled: true,
      alertThresholdMs: 900_000,
      fixThresholdMs: 1_800_000,
      selfHealing: false,
    });
    expect(detector).toMatchObject({ failureBudget: 1, countImpairedBrokers: true, intervalMs: 30_000 });
    expect(detector.goalViolation.goals).toEqual([
      'RackAwareGoal',
      'MinTopicLeadersPerBrokerGoal',
      'ReplicaCapacityGoal',
      'DiskCapacityGoal',
      'FailureBudgetGoal',
    ]);
    expect(detector.topicAnomaly.targets).toEqual([]);
    expect(detector.alerts).toEqual({ format: 'json', timeoutMs: 5_000 });
  });

  it('reads second-scale thresholds and topic targets from the environment', () => {
    const { detector } = loadConfig({
      ...env,
      BALLAST_DETECTOR_BROKER_FAILURE_ALERT_THRESHOLD_MS: '5000',
      BALLAST_DETECTOR_BROKER_FAILURE_FIX_THRESHOLD_MS: '20000',
      BALLAST_DETECTOR_BROKER_FAILURE_SELF_HEALING: 'true',
      BALLAST_DETECTOR_TOPIC_ANOMALY_TARGETS: 'orders.*=3,audit=4',
    });
    expect(detector.brokerFailure).toMatchObject({
      alertThresholdMs: 5_000,
      fixThresholdMs: 20_000,
      selfHealing: true,
    });
    expect(detector.topicAnomaly.targets).toEqual([
      { topicPattern: 'orders.*', replicationFactor: 3 },
      { topicPattern: 'audit', replicationFactor: 4 },
    ]);
  });

  it('refuses a fix threshold below the alert threshold, naming the key', () => {
    expect(() =>
      loadConfig(env, { detector: { diskFailure: { alertThresholdMs: 10_000, fixThresholdMs: 5_000 } } }),
    ).toThrow(ConfigError);
    try {
      loadConfig(env, { detector: { diskFailure: { alertThresholdMs: 10_000, fixThresholdMs: 5_000 } } });
    } catch (error) {
      expect((error as ConfigError).problems[0]!.key).toBe('detector.diskFailure.fixThresholdMs');
    }
  });

  it('refuses a target with an invalid pattern or replication factor', () => {
    expect(() => loadConfig(env, { detector: { topicAnomaly: { targets: ['(unclosed=3'] } } })).toThrow(ConfigError);
    expect(() => loadConfig(env, { detector: { topicAnomaly: { targets: ['x=0'] } } })).toThrow(ConfigError);
  });
});
