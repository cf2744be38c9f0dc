// The executor section: defaults of the cluster-trouble pause and the adaptive throttle, and the
// errors that name a bad adaptive-throttle key.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

const BOOTSTRAP = { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092' };

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig({ ...BOOTSTRAP, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('executor config', () => {
  it('pauses on cluster trouble and keeps the throttle static by default', () => {
    const { executor } = loadConfig(BOOTSTRAP);
    expect(executor.pauseOnClusterTrouble).toBe(true);
    expect(executor.adaptiveThrottle).toEqual({
      enabled: false,
      headroomFraction: 0.5,
      floorBytesPerSecond: 1_048_576,
      ceilingBytesPerSecond: 104_857_600,
      recomputeIntervalMs: 60_000,
    });
  });

  it('reads the adaptive throttle from the environment', () => {
    const { executor } = loadConfig({
      ...BOOTSTRAP,
      BALLAST_EXECUTOR_PAUSE_ON_CLUSTER_TROUBLE: 'false',
      BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_ENABLED: 'true',
      BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_HEADROOM_FRACTION: '0.3',
    });
    expect(executor.pauseOnClusterTrouble).toBe(false);
    expect(executor.adaptiveThrottle).toMatchObject({ enabled: true, headroomFraction: 0.3 });
  });

  it('refuses a headroom fraction outside (0, 1] and a floor above the ceiling', () => {
    expect(problemsOf({ BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_HEADROOM_FRACTION: '1.5' })).toEqual([
      expect.objectContaining({
        key: 'executor.adaptiveThrottle.headroomFraction',
        source: 'BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_HEADROOM_FRACTION',
      }),
    ]);
    expect(problemsOf({ BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_HEADROOM_FRACTION: '0' })[0]!.key).toBe(
      'executor.adaptiveThrottle.headroomFraction',
    );
    const problems = problemsOf({
      BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_FLOOR_BYTES_PER_SECOND: '2000',
      BALLAST_EXECUTOR_ADAPTIVE_THROTTLE_CEILING_BYTES_PER_SECOND: '1000',
    });
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'executor.adaptiveThrottle.floorBytesPerSecond',
        message: 'must not exceed ceilingBytesPerSecond (1000), got 2000',
      }),
    ]);
  });
});
