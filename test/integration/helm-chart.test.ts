// The Helm chart with a real helm binary (fetched once by scripts/tools/helm.ts): it lints, it
// renders with the default values and with several value sets into what Kubernetes needs, and
// values.schema.json refuses bad values, naming them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ensureHelm } from '../../scripts/tools/helm.js';

const CHART = resolve('helm/ballast');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Container {
  image: string;
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  securityContext: Record<string, unknown>;
  livenessProbe: { httpGet: { path: string; port: string; scheme: string } };
  readinessProbe: { httpGet: { path: string; port: string; scheme: string } };
  volumeMounts: { name: string; mountPath: string }[];
  resources: Record<string, unknown>;
}

describe('Helm chart helm/ballast', () => {
  let helm: string;
  let dir: string;

  beforeAll(() => {
    helm = ensureHelm();
    dir = mkdtempSync(join(tmpdir(), 'ballast-helm-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => spawnSync(helm, args, { encoding: 'utf8' });
  const valuesFile = (name: string, values: unknown): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, JSON.stringify(values));
    return file;
  };
  function template(values: unknown = {}): Manifest[] {
    const result = run(['template', 'demo', CHART, '--namespace', 'kafka', '-f', valuesFile('values', values)]);
    expect(result.status, result.stderr).toBe(0);
    return parseAllDocuments(result.stdout)
      .map((d) => d.toJSON() as Manifest | null)
      .filter((m): m is Manifest => m !== null);
  }
  const find = (manifests: Manifest[], kind: string, name = 'demo-ballast') =>
    manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const container = (manifests: Manifest[]): Container => {
    const pod = (find(manifests, 'Deployment')!.spec as { template: { spec: { containers: Container[] } } }).template;
    return pod.spec.containers[0]!;
  };
  const configOf = (manifests: Manifest[]) =>
    parse(find(manifests, 'ConfigMap')!.data!['ballast.yaml']!) as Record<string, Record<string, unknown>>;

  it('passes helm lint with the default values and with every optional part on', () => {
    const plain = run(['lint', CHART]);
    expect(plain.status, plain.stdout + plain.stderr).toBe(0);
    const full = run([
      'lint',
      CHART,
      '--set',
      'metrics.serviceMonitor.enabled=true,metrics.prometheusRule.enabled=true,secrets.kafkaTls.existingSecret=tls,redis.deploy.enabled=true',
    ]);
    expect(full.status, full.stdout + full.stderr).toBe(0);
  });

  it('renders one non-root, read-only Deployment with probes on /health and /ready, a Service and the configuration', () => {
    const manifests = template();
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'ConfigMap',
      'Deployment',
      'Service',
      'ServiceAccount',
    ]);
    const deployment = find(manifests, 'Deployment')!.spec as {
      replicas: number;
      strategy: { type: string };
      template: { spec: { securityContext: Record<string, unknown> } };
    };
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy.type).toBe('Recreate');
    expect(deployment.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    const c = container(manifests);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(c.image).toBe('ghcr.io/ballast-kafka/ballast:0.1.0');
    expect(c.resources).toMatchObject({ requests: { cpu: '500m', memory: '1Gi' } });
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'BALLAST_CONFIG_FILE', value: '/etc/ballast/config/ballast.yaml' },
        { name: 'BALLAST_REDIS_URL', value: 'redis://redis:6379' },
      ]),
    );
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([{ name: 'config', mountPath: '/etc/ballast/config', readOnly: true }]),
    );
    expect(configOf(manifests)).toEqual({
      kafka: { bootstrapServers: ['my-cluster-kafka-bootstrap:9092'] },
      logging: { level: 'info' },
      server: { host: '0.0.0.0', port: 9090 },
    });
  });

  it('runs hot standbys when replicaCount > 1: the leader lock on (keeping its other settings) and a RollingUpdate', () => {
    const manifests = template({
      replicaCount: 3,
      config: { kafka: { bootstrapServers: ['k1:9092'] }, leaderElection: { ttlMs: 10_000 } },
    });
    const deployment = find(manifests, 'Deployment')!.spec as {
      replicas: number;
      strategy: { type: string; rollingUpdate: Record<string, unknown> };
    };
    expect(deployment.replicas).toBe(3);
    // Standbys are never Ready: a rollout that waited for them would never finish.
    expect(deployment.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' },
    });
    expect(configOf(manifests).leaderElection).toEqual({ enabled: true, ttlMs: 10_000 });
    expect(container(manifests).readinessProbe.httpGet.path).toBe('/ready');

    // One replica: the lock stays as configured (off by default) and upgrades never overlap.
    const single = template({
      config: { kafka: { bootstrapServers: ['k1:9092'] }, leaderElection: { enabled: true } },
    });
    expect((find(single, 'Deployment')!.spec as { strategy: { type: string } }).strategy.type).toBe('Recreate');
    expect(configOf(single).leaderElection).toEqual({ enabled: true });
  });

  it('ships the four dashboards in a ConfigMap labelled for Grafana’s sidecar', () => {
    const dashboards = find(template(), 'ConfigMap', 'demo-ballast-dashboards')!;
    expect(dashboards.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    const files = readdirSync(join(CHART, 'dashboards')).sort();
    expect(files).toHaveLength(4);
    expect(Object.keys(dashboards.data!).sort()).toEqual(files);
    for (const file of files) {
      const json = JSON.parse(dashboards.data![file]!) as { uid: string; panels: unknown[] };
      expect(json).toEqual(JSON.parse(readFileSync(join(CHART, 'dashboards', file), 'utf8')));
      expect(json.panels.length).toBeGreaterThan(0);
    }
  });

  it('wires capacities, Kafka SASL and TLS, API users, the JWT secret and Redis from Secrets into the config', () => {
    const capacities = {
      brokerCapacities: [
        { brokerId: '-1', capacity: { DISK: '500000', CPU: '100', NW_IN: '50000', NW_OUT: '50000' }, doc: 'all' },
      ],
    };
    const manifests = template({
      config: { kafka: { bootstrapServers: ['k1:9093', 'k2:9093'], sasl: { mechanism: 'scram-sha-512' } } },
      capacities,
      redis: { existingSecret: 'ballast-redis', existingSecretKey: 'url' },
      secrets: {
        kafkaSasl: { existingSecret: 'kafka-user' },
        kafkaTls: { existingSecret: 'kafka-ca', caKey: 'ca.crt', certKey: 'user.crt', keyKey: 'user.key' },
        apiUsers: { existingSecret: 'api-users', key: 'credentials' },
        jwt: { existingSecret: 'jwt', key: 'hmac' },
      },
    });
    const config = configOf(manifests);
    expect(config.kafka).toEqual({
      bootstrapServers: ['k1:9093', 'k2:9093'],
      sasl: { mechanism: 'scram-sha-512' },
      tls: {
        enabled: true,
        caFile: '/etc/ballast/kafka-tls/ca.crt',
        certFile: '/etc/ballast/kafka-tls/user.crt',
        keyFile: '/etc/ballast/kafka-tls/user.key',
      },
    });
    expect(config.monitor).toEqual({ capacity: { file: '/etc/ballast/capacity/capacity.json' } });
    expect(config.security).toEqual({ basic: { credentialsFile: '/etc/ballast/api-users/credentials' } });
    expect(JSON.parse(find(manifests, 'ConfigMap')!.data!['capacity.json']!)).toEqual(capacities);
    const c = container(manifests);
    const secretEnv = (name: string) => c.env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(secretEnv('BALLAST_REDIS_URL')).toEqual({ name: 'ballast-redis', key: 'url' });
    expect(secretEnv('BALLAST_KAFKA_SASL_USERNAME')).toEqual({ name: 'kafka-user', key: 'username' });
    expect(secretEnv('BALLAST_KAFKA_SASL_PASSWORD')).toEqual({ name: 'kafka-user', key: 'password' });
    expect(secretEnv('BALLAST_SECURITY_JWT_SECRET')).toEqual({ name: 'jwt', key: 'hmac' });
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(
      expect.arrayContaining(['/etc/ballast/capacity', '/etc/ballast/kafka-tls', '/etc/ballast/api-users', '/tmp']),
    );
  });

  it('probes over HTTPS when the API serves TLS, and renders the ServiceMonitor and the PrometheusRule from the rule file', () => {
    const manifests = template({
      config: {
        kafka: { bootstrapServers: ['k1:9092'] },
        security: { tls: { enabled: true, certFile: '/etc/tls/tls.crt', keyFile: '/etc/tls/tls.key' } },
      },
      metrics: {
        serviceMonitor: { enabled: true, interval: '15s' },
        prometheusRule: { enabled: true, labels: { release: 'kps' } },
      },
    });
    expect(container(manifests).readinessProbe.httpGet.scheme).toBe('HTTPS');
    const monitor = find(manifests, 'ServiceMonitor')!;
    expect(monitor.spec).toMatchObject({
      endpoints: [{ port: 'http', path: '/metrics', scheme: 'https', interval: '15s' }],
    });
    const rule = find(manifests, 'PrometheusRule')!;
    expect(rule.metadata.labels).toMatchObject({ release: 'kps' });
    const ruleFile = parse(readFileSync(join(CHART, 'files/ballast-rules.yaml'), 'utf8')) as Record<string, unknown>;
    expect(rule.spec).toEqual(ruleFile);
  });

  it('runs its own Redis when asked: persistent, non-root, reachable from Ballast only, and Ballast pointed at it', () => {
    const manifests = template({ redis: { deploy: { enabled: true } } });
    const service = find(manifests, 'Service', 'demo-ballast-redis')!;
    const set = find(manifests, 'StatefulSet', 'demo-ballast-redis')!.spec as {
      selector: { matchLabels: Record<string, string> };
      template: { spec: { securityContext: Record<string, unknown>; containers: Container[] } };
      volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[];
    };
    const redisLabels = { 'app.kubernetes.io/name': 'ballast-redis', 'app.kubernetes.io/instance': 'demo' };
    expect(service.spec?.selector).toEqual(redisLabels);
    expect(set.selector.matchLabels).toEqual(redisLabels);
    // Ballast's own Service must not select the Redis pod, nor its ServiceMonitor the Redis Service.
    const ballastSelector = find(manifests, 'Service')!.spec?.selector as Record<string, string>;
    expect(Object.entries(ballastSelector).every(([k, v]) => redisLabels[k as keyof typeof redisLabels] === v)).toBe(
      false,
    );
    expect(service.metadata.labels?.['app.kubernetes.io/name']).toBe('ballast-redis');
    const redis = set.template.spec.containers[0]!;
    expect(redis.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(set.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect((redis as unknown as { args: string[] }).args).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(set.volumeClaimTemplates[0]!.spec.resources.requests.storage).toBe('2Gi');
    const policy = find(manifests, 'NetworkPolicy', 'demo-ballast-redis')!.spec as {
      ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
    };
    expect(policy.ingress[0]!.from[0]!.podSelector.matchLabels).toEqual(ballastSelector);
    expect(container(manifests).env).toEqual(
      expect.arrayContaining([{ name: 'BALLAST_REDIS_URL', value: 'redis://demo-ballast-redis:6379' }]),
    );
    // Without persistence the data lives in an emptyDir; by default no Redis is rendered at all.
    const ephemeral = template({ redis: { deploy: { enabled: true, persistence: { enabled: false } } } });
    const podSpec = (
      find(ephemeral, 'StatefulSet', 'demo-ballast-redis')!.spec as {
        template: { spec: { volumes: unknown[] } };
      }
    ).template.spec;
    expect(podSpec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(template().some((m) => m.metadata.name === 'demo-ballast-redis')).toBe(false);
  });

  it.each([
    ['no replica', { replicaCount: 0 }, /replicaCount/],
    [
      'several replicas with the leader lock turned off',
      { replicaCount: 2, config: { kafka: { bootstrapServers: ['k:9092'] }, leaderElection: { enabled: false } } },
      /leaderElection\/enabled/,
    ],
    [
      'a leader lease shorter than 3 s',
      { config: { kafka: { bootstrapServers: ['k:9092'] }, leaderElection: { ttlMs: 1000 } } },
      /leaderElection\/ttlMs/,
    ],
    ['no bootstrap server', { config: { kafka: { bootstrapServers: [] } } }, /bootstrapServers/],
    ['a bootstrap server without a port', { config: { kafka: { bootstrapServers: ['kafka'] } } }, /bootstrapServers/],
    ['a Redis URL of another scheme', { redis: { url: 'http://redis:6379' } }, /\/redis\/url/],
    ['a port out of range', { service: { port: 70000 } }, /\/service\/port/],
    ['an unknown top-level value', { replicas: 3 }, /replicas/],
    ['a writable root filesystem', { securityContext: { readOnlyRootFilesystem: false } }, /readOnlyRootFilesystem/],
    ['a malformed scrape interval', { metrics: { serviceMonitor: { interval: 'often' } } }, /interval/],
    [
      'the port set in config (the chart owns it)',
      { config: { kafka: { bootstrapServers: ['k:9092'] }, server: { port: 1 } } },
      /server/,
    ],
    ['a capacity file without brokerCapacities', { capacities: { brokers: [] } }, /capacities/],
    ['a malformed Redis volume size', { redis: { deploy: { persistence: { size: 'big' } } } }, /persistence\/size/],
  ])('values.schema.json refuses %s, naming the value', (_, values, named) => {
    const result = run(['template', 'demo', CHART, '-f', valuesFile('bad', values)]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(result.stderr).toMatch(named);
  });
});
