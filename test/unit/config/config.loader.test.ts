// Configuration: defaults, environment names derived from keys, YAML files, and errors that
// name the bad key and where its value came from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configKeys, loadConfig } from '../../../src/config/index.js';

const BOOTSTRAP = { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2:9092' };
const dirs: string[] = [];

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-config-'));
  dirs.push(dir);
  const file = join(dir, 'ballast.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('fills documented defaults around the one required key', () => {
    const config = loadConfig(BOOTSTRAP);
    expect(config.kafka.bootstrapServers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.server.port).toBe(9090);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.logging.level).toBe('info');
    expect(config.kafka.clientId).toBe('ballast');
  });

  it('derives one environment variable per key from its path', () => {
    const names = configKeys().map((k) => k.env);
    expect(names).toContain('BALLAST_SERVER_PORT');
    expect(names).toContain('BALLAST_KAFKA_BOOTSTRAP_SERVERS');
    expect(names).toContain('BALLAST_SERVER_SHUTDOWN_TIMEOUT_MS');
    expect(new Set(names).size).toBe(names.length);
  });

  it('converts environment strings to the key type', () => {
    const config = loadConfig({ ...BOOTSTRAP, BALLAST_SERVER_PORT: '9191', BALLAST_LOG_LEVEL: 'debug' });
    expect(config.server.port).toBe(9191);
    expect(config.logging.level).toBe('debug');
  });

  it('names the variable and the key when a value is malformed', () => {
    const problems = problemsOf(() => loadConfig({ ...BOOTSTRAP, BALLAST_SERVER_PORT: 'nine' }));
    expect(problems).toEqual([expect.objectContaining({ key: 'server.port', source: 'BALLAST_SERVER_PORT' })]);
    expect(problems[0]!.message).toMatch(/number/);
  });

  it('rejects an out-of-range port', () => {
    const problems = problemsOf(() => loadConfig({ ...BOOTSTRAP, BALLAST_SERVER_PORT: '70000' }));
    expect(problems[0]).toMatchObject({ key: 'server.port', source: 'BALLAST_SERVER_PORT' });
  });

  it('says how to set a missing required key', () => {
    const problems = problemsOf(() => loadConfig({}));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe('kafka.bootstrapServers');
    expect(problems[0]!.message).toContain('BALLAST_KAFKA_BOOTSTRAP_SERVERS');
  });

  it('rejects a bootstrap entry that is not host:port, naming the variable', () => {
    const problems = problemsOf(() => loadConfig({ BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092,k2' }));
    expect(problems[0]).toMatchObject({ key: 'kafka.bootstrapServers.1', source: 'BALLAST_KAFKA_BOOTSTRAP_SERVERS' });
  });

  it('rejects unknown BALLAST_ variables so typos do not pass silently', () => {
    const problems = problemsOf(() => loadConfig({ ...BOOTSTRAP, BALLAST_SERVER_PROT: '1' }));
    expect(problems[0]).toMatchObject({ key: 'BALLAST_SERVER_PROT', message: expect.stringMatching(/unknown/) });
  });

  it('ignores the dev-tooling variables', () => {
    expect(() => loadConfig({ ...BOOTSTRAP, BALLAST_SANDBOX_KEEP: '1', BALLAST_CACHE_DIR: '/tmp/x' })).not.toThrow();
  });

  it('reads REDIS_URL, and BALLAST_REDIS_URL wins over it', () => {
    expect(loadConfig({ ...BOOTSTRAP, REDIS_URL: 'redis://a:1' }).redis.url).toBe('redis://a:1');
    expect(loadConfig({ ...BOOTSTRAP, REDIS_URL: 'redis://a:1', BALLAST_REDIS_URL: 'redis://b:2' }).redis.url).toBe(
      'redis://b:2',
    );
  });

  it('reads a YAML file, with the environment on top', () => {
    const file = yamlFile('server:\n  port: 9200\nkafka:\n  bootstrapServers: [y1:9092]\n  clientId: from-file\n');
    const config = loadConfig({ BALLAST_CONFIG_FILE: file, BALLAST_KAFKA_CLIENT_ID: 'from-env' });
    expect(config.server.port).toBe(9200);
    expect(config.kafka.bootstrapServers).toEqual(['y1:9092']);
    expect(config.kafka.clientId).toBe('from-env');
  });

  it('names unknown and invalid keys of the YAML file with the file as source', () => {
    const file = yamlFile('server:\n  port: -1\n  bogus: true\nkafka:\n  bootstrapServers: [y1:9092]\n');
    const problems = problemsOf(() => loadConfig({ BALLAST_CONFIG_FILE: file }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'server.port', source: file }),
        expect.objectContaining({ key: 'server.bogus', source: file, message: 'unknown key' }),
      ]),
    );
  });

  it('reports unreadable and malformed files', () => {
    expect(problemsOf(() => loadConfig({ BALLAST_CONFIG_FILE: '/nonexistent/ballast.yaml' }))[0]!.message).toMatch(
      /cannot read/,
    );
    const bad = yamlFile('server: [unclosed\n');
    expect(problemsOf(() => loadConfig({ BALLAST_CONFIG_FILE: bad }))[0]!.message).toMatch(/YAML/);
  });

  it('the error message lists every problem with its key and source', () => {
    try {
      loadConfig({ BALLAST_SERVER_PORT: 'x' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('server.port (BALLAST_SERVER_PORT)');
      expect(message).toContain('kafka.bootstrapServers');
    }
  });
});

describe('Kafka security settings', () => {
  it('requires a username and password once a SASL mechanism is chosen', () => {
    const problems = problemsOf(() => loadConfig({ ...BOOTSTRAP, BALLAST_KAFKA_SASL_MECHANISM: 'scram-sha-512' }));
    expect(problems[0]).toMatchObject({ key: 'kafka.sasl.username', message: expect.stringMatching(/required/) });
    const ok = loadConfig({
      ...BOOTSTRAP,
      BALLAST_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      BALLAST_KAFKA_SASL_USERNAME: 'ballast',
      BALLAST_KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(ok.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'ballast', password: 'secret' });
  });

  it('rejects an unknown mechanism and an unreadable CA file, naming each variable', () => {
    const problems = problemsOf(() =>
      loadConfig({
        ...BOOTSTRAP,
        BALLAST_KAFKA_SASL_MECHANISM: 'gssapi',
        BALLAST_KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'kafka.sasl.mechanism', source: 'BALLAST_KAFKA_SASL_MECHANISM' }),
        expect.objectContaining({
          key: 'kafka.tls.caFile',
          source: 'BALLAST_KAFKA_TLS_CA_FILE',
          message: expect.stringMatching(/not readable/),
        }),
      ]),
    );
  });

  it('reads booleans strictly', () => {
    expect(loadConfig({ ...BOOTSTRAP, BALLAST_KAFKA_TLS_ENABLED: 'true' }).kafka.tls.enabled).toBe(true);
    expect(problemsOf(() => loadConfig({ ...BOOTSTRAP, BALLAST_KAFKA_TLS_ENABLED: 'yes' }))[0]).toMatchObject({
      key: 'kafka.tls.enabled',
      source: 'BALLAST_KAFKA_TLS_ENABLED',
    });
  });
});

describe('monitor settings', () => {
  it('defaults to the admin sampler with Cruise Control’s window layout', () => {
    const config = loadConfig(BOOTSTRAP);
    expect(config.monitor).toMatchObject({
      sampler: 'admin',
      samplingIntervalMs: 120_000,
      windowMs: 300_000,
      numWindows: 5,
      minSamplesPerWindow: 3,
      minValidPartitionRatio: 0.995,
      persistSamples: true,
    });
  });

  it('reads per-broker scrape URLs from one variable', () => {
    const config = loadConfig({
      ...BOOTSTRAP,
      BALLAST_MONITOR_SAMPLER: 'jmx-scrape',
      BALLAST_MONITOR_JMX_SCRAPE_URLS: '0=http://k0:7071/metrics,1=http://k1:7071/metrics',
    });
    expect(config.monitor.jmxScrape.urls).toEqual(['0=http://k0:7071/metrics', '1=http://k1:7071/metrics']);
  });

  it('rejects inconsistent window settings and a missing Prometheus URL, naming each key', () => {
    const problems = problemsOf(() =>
      loadConfig({
        ...BOOTSTRAP,
        BALLAST_MONITOR_NUM_WINDOWS: '2',
        BALLAST_MONITOR_MIN_VALID_WINDOWS: '3',
        BALLAST_MONITOR_WINDOW_MS: '1000',
        BALLAST_MONITOR_SAMPLING_INTERVAL_MS: '5000',
        BALLAST_MONITOR_SAMPLER: 'prometheus',
      }),
    );
    expect(problems.map((p) => p.key).sort()).toEqual([
      'monitor.minValidWindows',
      'monitor.prometheus.url',
      'monitor.samplingIntervalMs',
    ]);
  });

  it('rejects a malformed or repeated broker URL entry and an unreadable capacity file', () => {
    const problems = problemsOf(() =>
      loadConfig({
        ...BOOTSTRAP,
        BALLAST_MONITOR_JMX_SCRAPE_URLS: 'kafka-0:7071',
        BALLAST_MONITOR_CAPACITY_FILE: '/nonexistent/capacity.json',
      }),
    );
    expect(problems.map((p) => [p.key, p.source])).toEqual([
      ['monitor.jmxScrape.urls.0', 'BALLAST_MONITOR_JMX_SCRAPE_URLS'],
      ['monitor.capacity.file', 'BALLAST_MONITOR_CAPACITY_FILE'],
    ]);
    const repeated = problemsOf(() =>
      loadConfig({ ...BOOTSTRAP, BALLAST_MONITOR_JMX_SCRAPE_URLS: '1=http://a/m,1=http://b/m' }),
    );
    expect(repeated).toEqual([
      { key: 'monitor.jmxScrape.urls', source: 'BALLAST_MONITOR_JMX_SCRAPE_URLS', message: 'broker 1 is listed twice' },
    ]);
  });
});
