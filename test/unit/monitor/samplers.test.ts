// The three metric sources on in-memory clusters: JMX-exporter scrape (fetch injected), admin-only
// (log growth) and Prometheus (a local HTTP server answering query_range as Prometheus does).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import {
  AdminSampler,
  createSampler,
  JmxScrapeSampler,
  parseBrokerUrls,
  parseInstances,
  PrometheusSampler,
  type MeasurementPoint,
} from '../../../src/monitor/index.js';

function gateway(): InMemoryGateway {
  return new InMemoryGateway({
    brokers: [
      { id: 0, host: 'kafka-0', logDirs: ['/d0'] },
      { id: 1, host: 'kafka-1', logDirs: ['/d0'] },
    ],
    topics: [
      {
        name: 'orders',
        partitions: [
          { replicas: [0, 1], sizeBytes: 1000 },
          { replicas: [0, 1], sizeBytes: 3000 },
        ],
      },
      { name: 'idle', partitions: [{ replicas: [1, 0], sizeBytes: 10 }] },
    ],
  });
}

interface ScrapeSpec {
  bytesIn: number;
  bytesOut: number;
  cpu?: number;
  topics?: Record<string, [number, number, number]>;
  sizes?: Record<string, number>;
}

/** A JMX-exporter text page with the series the sampler reads. */
function scrapeText(spec: ScrapeSpec): string {
  const lines = [
    `kafka_server_BrokerTopicMetrics_Count{name="BytesInPerSec"} ${spec.bytesIn}`,
    `kafka_server_BrokerTopicMetrics_Count{name="BytesOutPerSec"} ${spec.bytesOut}`,
    `kafka_server_BrokerTopicMetrics_Count{name="ReplicationBytesInPerSec"} 0`,
    `kafka_server_BrokerTopicMetrics_Count{name="ReplicationBytesOutPerSec"} 0`,
    `java_lang_OperatingSystem_AvailableProcessors 4`,
    `kafka_server_ReplicaManager_Value{name="LeaderCount"} 1`,
    `kafka_server_ReplicaManager_Value{name="PartitionCount"} 3`,
    `kafka_log_LogManager_Value{name="OfflineLogDirectoryCount"} 0`,
  ];
  if (spec.cpu !== undefined) lines.push(`java_lang_OperatingSystem_ProcessCpuLoad ${spec.cpu}`);
  for (const [topic, [i, o, m]] of Object.entries(spec.topics ?? {})) {
    lines.push(`kafka_server_BrokerTopicMetrics_Count{name="BytesInPerSec",topic="${topic}"} ${i}`);
    lines.push(`kafka_server_BrokerTopicMetrics_Count{name="BytesOutPerSec",topic="${topic}"} ${o}`);
    lines.push(`kafka_server_BrokerTopicMetrics_Count{name="MessagesInPerSec",topic="${topic}"} ${m}`);
  }
  for (const [key, bytes] of Object.entries(spec.sizes ?? {})) {
    const at = key.lastIndexOf('-');
    lines.push(
      `kafka_log_Log_Value{name="Size",partition="${key.slice(at + 1)}",topic="${key.slice(0, at)}"} ${bytes}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('JmxScrapeSampler', () => {
  it('needs two scrapes for a rate, then reports per-topic rates, CPU and sizes, idle topics as 0', async () => {
    const pages = new Map<string, string>();
    const sampler = new JmxScrapeSampler({
      urlTemplate: 'http://{host}:7071/metrics?b={brokerId}',
      urls: parseBrokerUrls(['1=http://special:9999/m']),
      requestTimeoutMs: 1000,
      fetchText: (url) => {
        const page = pages.get(url);
        return page === undefined ? Promise.reject(new Error('connection refused')) : Promise.resolve(page);
      },
    });
    const snapshot = await gateway().snapshot();
    pages.set(
      'http://kafka-0:7071/metrics?b=0',
      scrapeText({ bytesIn: 0, bytesOut: 0, cpu: 0.1, topics: { orders: [0, 0, 0] } }),
    );
    pages.set('http://special:9999/m', scrapeText({ bytesIn: 0, bytesOut: 0, cpu: 0.2 }));
    const first = await sampler.sample(snapshot, 1_000);
    expect(first.points).toEqual([]);
    expect(first.problems).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 20));
    pages.set(
      'http://kafka-0:7071/metrics?b=0',
      scrapeText({
        bytesIn: 4000,
        bytesOut: 2000,
        cpu: 0.25,
        topics: { orders: [4000, 2000, 40] },
        sizes: { 'orders-0': 1500 },
      }),
    );
    pages.set('http://special:9999/m', scrapeText({ bytesIn: 0, bytesOut: 0, cpu: 0.05, sizes: { 'orders-0': 1400 } }));
    const second = await sampler.sample(snapshot, 2_000);
    expect(second.problems).toEqual([]);
    expect(second.points).toHaveLength(1);
    const point = second.points[0]!;
    expect(point.timeMs).toBe(2_000);
    const b0 = point.brokers.find((b) => b.brokerId === 0)!;
    expect(b0.cpuPercent).toBeCloseTo(25, 9);
    const orders = b0.topics.get('orders')!;
    // The rate is over the scrapes' own clock, about 20 ms apart here: only its ratio is checked.
    expect(orders.bytesOutPerSec / orders.bytesInPerSec).toBeCloseTo(0.5, 9);
    expect(orders.messagesInPerSec! / orders.bytesInPerSec).toBeCloseTo(0.01, 9);
    // Broker 1 leads `idle` and has no meter for it: no traffic, a measured 0, not a gap.
    expect(point.brokers.find((b) => b.brokerId === 1)!.topics.get('idle')).toEqual({
      bytesInPerSec: 0,
      bytesOutPerSec: 0,
      messagesInPerSec: 0,
    });
    expect(point.replicaSizes?.get('orders-0')).toEqual(
      new Map([
        [0, 1500],
        [1, 1400],
      ]),
    );
  });

  it('reports a broker it cannot scrape and a missing series, and leaves that broker out', async () => {
    const sampler = new JmxScrapeSampler({
      urlTemplate: 'http://{host}/m',
      urls: new Map(),
      requestTimeoutMs: 1000,
      fetchText: (url) =>
        url.includes('kafka-1')
          ? Promise.reject(new Error('timeout'))
          : Promise.resolve(scrapeText({ bytesIn: 1, bytesOut: 1 })),
    });
    const round = await sampler.sample(await gateway().snapshot(), 1_000);
    expect(round.problems.map((p) => [p.kind, p.brokerId])).toEqual([
      ['fetch-failed', 1],
      ['missing-series', 0],
    ]);
    expect(round.problems[0]!.message).toBe('scrape of broker 1 at http://kafka-1/m failed: timeout');
    expect(round.problems[1]!.message).toContain('java_lang_OperatingSystem_ProcessCpuLoad');
  });

  it('gives up on a scrape that never settles, so the round still ends', async () => {
    const sampler = new JmxScrapeSampler({
      urlTemplate: 'http://{host}/m',
      urls: new Map(),
      requestTimeoutMs: 50,
      // A fetch that missed its abort signal: it never resolves nor rejects.
      fetchText: (url) =>
        url.includes('kafka-1')
          ? new Promise<string>(() => {})
          : Promise.resolve(scrapeText({ bytesIn: 1, bytesOut: 1 })),
    });
    const round = await sampler.sample(await gateway().snapshot(), 1_000);
    expect(round.problems.filter((p) => p.kind === 'fetch-failed').map((p) => p.message)).toEqual([
      'scrape of broker 1 at http://kafka-1/m failed: no answer within 50 ms',
    ]);
  });
});

describe('AdminSampler', () => {
  it('turns leader log growth into bytes-in per topic, estimates CPU and flags bytes-out as unmeasured', async () => {
    const cluster = gateway();
    const sampler = new AdminSampler();
    expect((await sampler.sample(await cluster.snapshot(), 10_000)).points).toEqual([]);
    cluster.setPartitionSize({ topic: 'orders', partition: 0 }, 1000 + 20_000);
    cluster.setPartitionSize({ topic: 'orders', partition: 1 }, 3000 + 10_000);
    const round = await sampler.sample(await cluster.snapshot(), 20_000);
    expect(round.cpuEstimated).toBe(true);
    expect(round.unmeasured).toEqual(['NW_OUT']);
    const [point] = round.points as [MeasurementPoint];
    expect(point.replicaSizes).toBeNull();
    const byBroker = new Map(point.brokers.map((b) => [b.brokerId, b]));
    expect(byBroker.get(0)!.cpuPercent).toBeNull();
    expect(byBroker.get(0)!.topics.get('orders')).toEqual({ bytesInPerSec: 3000, bytesOutPerSec: 0 });
    expect(byBroker.get(1)!.topics.get('idle')).toEqual({ bytesInPerSec: 0, bytesOutPerSec: 0 });
  });

  it('leaves a topic out on a broker that just became the leader of one of its partitions', async () => {
    const cluster = gateway();
    const sampler = new AdminSampler();
    await sampler.sample(await cluster.snapshot(), 10_000);
    // Broker 0 fails and returns: the orders partitions are now led by broker 1, with no growth known there.
    cluster.killBroker(0);
    cluster.restartBroker(0);
    const snapshot = await cluster.snapshot();
    expect(snapshot.partitions.filter((p) => p.topic === 'orders').map((p) => p.leader)).toEqual([1, 1]);
    const round = await sampler.sample(snapshot, 20_000);
    const onOne = round.points[0]!.brokers.find((b) => b.brokerId === 1)!;
    // `idle` was led by broker 1 in both rounds and is measured; `orders` is not invented.
    expect([...onOne.topics.keys()]).toEqual(['idle']);
  });

  it('reports a log trimmed by retention and leaves its topic unmeasured on that broker for the round', async () => {
    const cluster = gateway();
    const sampler = new AdminSampler();
    await sampler.sample(await cluster.snapshot(), 10_000);
    cluster.setPartitionSize({ topic: 'orders', partition: 0 }, 500);
    cluster.setPartitionSize({ topic: 'orders', partition: 1 }, 4000);
    const round = await sampler.sample(await cluster.snapshot(), 20_000);
    expect(round.problems).toEqual([
      {
        kind: 'log-shrank',
        brokerId: 0,
        message: 'orders-0 shrank by 500 bytes (retention): bytes-in unknown this round',
      },
    ]);
    expect(round.points[0]!.brokers.find((b) => b.brokerId === 0)!.topics.has('orders')).toBe(false);
  });
});

describe('PrometheusSampler', () => {
  let server: Server;
  let url: string;
  const requests: URLSearchParams[] = [];
  /** What the fake server answers per query (the `query` parameter). */
  const answers = new Map<string, unknown>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      requests.push(params);
      const answer = answers.get(params.get('query') ?? '');
      res.setHeader('content-type', 'application/json');
      if (answer === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
        return;
      }
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: answer } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const queries = {
    cpu: 'cpu',
    topicBytesIn: 'in',
    topicBytesOut: 'out',
    topicMessagesIn: 'msgs',
    partitionSize: 'size',
  };
  const series = (metric: Record<string, string>, values: [number, string][]) => ({ metric, values });

  it('asks query_range for the range since the last round and builds one point per step', async () => {
    answers.set('cpu', [
      series({ instance: 'kafka-0:7071' }, [
        [100, '0.2'],
        [130, '0.4'],
      ]),
      series({ instance: 'kafka-1:7071' }, [[130, '0.1']]),
      series({ instance: 'elsewhere:7071' }, [[130, '0.9']]),
    ]);
    answers.set('in', [series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '2048']])]);
    answers.set('out', [series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '1024']])]);
    answers.set('msgs', []);
    answers.set('size', [series({ instance: 'b1', topic: 'orders', partition: '1' }, [[130, '777']])]);
    const sampler = new PrometheusSampler({
      url,
      stepMs: 30_000,
      initialLookbackMs: 60_000,
      instances: parseInstances(['b1=1']),
      queries,
      requestTimeoutMs: 1000,
    });
    const round = await sampler.sample(await gateway().snapshot(), 145_000);
    const asked = requests.at(-1)!;
    expect([asked.get('start'), asked.get('end'), asked.get('step')]).toEqual(['90', '120', '30s']);
    expect(round.problems.map((p) => p.kind)).toEqual(['unmapped-instance']);
    expect(round.problems[0]!.message).toContain('elsewhere:7071');
    expect(round.points.map((p) => p.timeMs)).toEqual([100_000, 130_000]);
    const last = round.points[1]!;
    const b0 = last.brokers.find((b) => b.brokerId === 0)!;
    expect(b0.cpuPercent).toBeCloseTo(40, 9);
    expect(b0.topics.get('orders')).toEqual({ bytesInPerSec: 2048, bytesOutPerSec: 1024 });
    expect(last.brokers.find((b) => b.brokerId === 1)!.topics.get('idle')).toEqual({
      bytesInPerSec: 0,
      bytesOutPerSec: 0,
      messagesInPerSec: 0,
    });
    expect(last.replicaSizes?.get('orders-1')).toEqual(new Map([[1, 777]]));

    // The next round starts one step after the last one answered.
    await sampler.sample(await gateway().snapshot(), 205_000);
    expect(requests.at(-1)!.get('start')).toBe('150');
  });

  /** A sampler with 30 s steps and no explicit instance map (instances matched by host). */
  const prometheusSampler = (initialLookbackMs = 60_000) =>
    new PrometheusSampler({
      url,
      stepMs: 30_000,
      initialLookbackMs,
      instances: new Map(),
      queries,
      requestTimeoutMs: 1000,
    });

  it('reports a topic measured in one direction only and never fills it in as idle', async () => {
    answers.set('out', []);
    answers.set('in', [series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '2048']])]);
    answers.set('cpu', [series({ instance: 'kafka-0:7071' }, [[130, '0.2']])]);
    const sampler = prometheusSampler();
    const round = await sampler.sample(await gateway().snapshot(), 145_000);
    const b0 = round.points.at(-1)!.brokers.find((b) => b.brokerId === 0)!;
    expect(b0.topics.has('orders')).toBe(false);
    expect(round.problems.map((p) => p.kind)).toContain('partial-topic');
  });

  it('takes a missing direction as 0 when the query answered for that broker (Kafka creates topic meters on first use)', async () => {
    answers.set('in', [
      series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '2048']]),
      series({ instance: 'kafka-0:7071', topic: '__consumer_offsets' }, [[130, '64']]),
    ]);
    answers.set('out', [series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '1024']])]);
    answers.set('cpu', [series({ instance: 'kafka-0:7071' }, [[130, '0.2']])]);
    const sampler = prometheusSampler();
    const round = await sampler.sample(await gateway().snapshot(), 145_000);
    const b0 = round.points.at(-1)!.brokers.find((b) => b.brokerId === 0)!;
    expect(b0.topics.get('__consumer_offsets')).toEqual({ bytesInPerSec: 64, bytesOutPerSec: 0 });
    expect(round.problems.map((p) => p.kind)).not.toContain('partial-topic');
  });

  it('takes a missing direction as 0 on a broker that was up even when the query has nothing for it', async () => {
    // Broker 1 leads only __consumer_offsets, which nobody consumes here: no BytesOut series at all
    // on it, while the query answered for broker 0. Seen in CI: broker 1 was never measured.
    answers.set('in', [
      series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '2048']]),
      series({ instance: 'kafka-1:7071', topic: '__consumer_offsets' }, [[130, '64']]),
    ]);
    answers.set('out', [series({ instance: 'kafka-0:7071', topic: 'orders' }, [[130, '1024']])]);
    answers.set('cpu', [
      series({ instance: 'kafka-0:7071' }, [[130, '0.2']]),
      series({ instance: 'kafka-1:7071' }, [[130, '0.1']]),
    ]);
    const round = await prometheusSampler().sample(await gateway().snapshot(), 145_000);
    const b1 = round.points.at(-1)!.brokers.find((b) => b.brokerId === 1)!;
    expect(b1.topics.get('__consumer_offsets')).toEqual({ bytesInPerSec: 64, bytesOutPerSec: 0 });
    expect(round.problems.map((p) => p.kind)).not.toContain('partial-topic');
  });

  it('after restored windows, starts its first range where they end', async () => {
    answers.set('out', []);
    const sampler = prometheusSampler(600_000);
    sampler.resumeAfter(100_000);
    await sampler.sample(await gateway().snapshot(), 145_000);
    expect(requests.at(-1)!.get('start')).toBe('120');
  });

  it('reports a failing query and makes no point without CPU and byte rates', async () => {
    answers.delete('out');
    const sampler = prometheusSampler();
    const round = await sampler.sample(await gateway().snapshot(), 145_000);
    expect(round.points).toEqual([]);
    expect(round.problems).toEqual([
      { kind: 'query-failed', brokerId: null, message: 'query topicBytesOut (out) failed: HTTP 400: parse error' },
    ]);
  });
});

describe('createSampler', () => {
  it('builds the source named by monitor.sampler', () => {
    const base = {
      jmxScrape: { urlTemplate: 'http://{host}:7071/metrics', urls: [] },
      prometheus: { url: 'http://p:9090', stepMs: 30_000, instances: [], queries },
      requestTimeoutMs: 1000,
      windowMs: 60_000,
      numWindows: 5,
    };
    const make = (sampler: 'admin' | 'jmx-scrape' | 'prometheus') =>
      createSampler({ ...base, sampler } as unknown as Parameters<typeof createSampler>[0]).name;
    expect([make('admin'), make('jmx-scrape'), make('prometheus')]).toEqual(['admin', 'jmx-scrape', 'prometheus']);
  });
});

const queries = { cpu: 'c', topicBytesIn: 'i', topicBytesOut: 'o', topicMessagesIn: 'm', partitionSize: 's' };
