// Direct-scrape sampler: reads each live broker's JMX-exporter endpoint (no Prometheus server) and
// turns two consecutive scrapes into rates.
import { describeError, getOrInsert, withTimeout } from '../../common/index.js';
import type { ClusterSnapshot } from '../../kafka/index.js';
import { brokerSnapshotFromScrape, ratesBetween, type BrokerScrapeSnapshot } from './jmx-exporter.parser.js';
import {
  MetricSampler,
  type BrokerPoint,
  type MeasurementPoint,
  type SamplingProblem,
  type SamplingRound,
  type TopicRates,
} from './metric-sampler.js';

export interface JmxScrapeOptions {
  /** Used for brokers without an entry in `urls`; `{host}` and `{brokerId}` are substituted. */
  urlTemplate: string;
  /** Per-broker endpoint by broker id. */
  urls: ReadonlyMap<number, string>;
  requestTimeoutMs: number;
  /** Injected for tests of failure handling; the global fetch otherwise. */
  fetchText?: (url: string, timeoutMs: number) => Promise<string>;
}

/** Parses `monitor.jmxScrape.urls` entries (`<brokerId>=<url>`, validated by the config schema). */
export function parseBrokerUrls(entries: readonly string[]): Map<number, string> {
  return new Map(entries.map((e) => [Number(e.slice(0, e.indexOf('='))), e.slice(e.indexOf('=') + 1)]));
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  return response.text();
}

export class JmxScrapeSampler extends MetricSampler {
  readonly name = 'jmx-scrape';
  private readonly previous = new Map<number, BrokerScrapeSnapshot>();
  private readonly fetchText: (url: string, timeoutMs: number) => Promise<string>;

  constructor(private readonly options: JmxScrapeOptions) {
    super();
    this.fetchText = options.fetchText ?? fetchText;
  }

  urlOf(brokerId: number, host: string): string {
    return (
      this.options.urls.get(brokerId) ??
      this.options.urlTemplate.replaceAll('{host}', host).replaceAll('{brokerId}', String(brokerId))
    );
  }

  async sample(snapshot: ClusterSnapshot, nowMs: number): Promise<SamplingRound> {
    const problems: SamplingProblem[] = [];
    const alive = snapshot.brokers.filter((b) => b.alive);
    const scrapes = await Promise.all(
      alive.map(async (broker) => {
        const url = this.urlOf(broker.id, broker.host);
        try {
          // The fetch's own abort signal is not enough: Node 20's fetch can miss it (its request
          // links to the caller's signal weakly, and a garbage collection can cut the link), and
          // one scrape that never settles would stall this round and every round after it (seen
          // in the self-healing e2e: the monitor stopped sampling for good after a broker restart).
          const timeoutMs = this.options.requestTimeoutMs;
          const text = await withTimeout(
            this.fetchText(url, timeoutMs),
            timeoutMs + 1_000,
            () => new Error(`no answer within ${timeoutMs} ms`),
          );
          return brokerSnapshotFromScrape(text, { brokerId: broker.id, scrapedAtMs: Date.now() });
        } catch (error) {
          const message = `scrape of broker ${broker.id} at ${url} failed: ${describeError(error)}`;
          problems.push({ kind: 'fetch-failed', brokerId: broker.id, message });
          return null;
        }
      }),
    );

    const led = topicsLedBy(snapshot);
    const brokers: BrokerPoint[] = [];
    const replicaSizes = new Map<string, Map<number, number>>();
    for (const scrape of scrapes) {
      if (scrape === null) continue;
      const id = scrape.brokerId;
      for (const line of scrape.errors) {
        problems.push({
          kind: 'malformed-series',
          brokerId: id,
          message: `broker ${id} line ${line.line}: ${line.message}`,
        });
      }
      for (const series of scrape.missing) {
        problems.push({ kind: 'missing-series', brokerId: id, message: `broker ${id} does not expose ${series}` });
      }
      for (const [key, bytes] of scrape.partitionSizeBytes) {
        getOrInsert(replicaSizes, key, () => new Map<number, number>()).set(id, bytes);
      }
      const earlier = this.previous.get(id);
      this.previous.set(id, scrape);
      if (!earlier) continue; // The first scrape of a broker only sets the base for rates.
      const rates = ratesBetween(earlier, scrape);
      for (const message of rates.problems)
        problems.push({ kind: 'rate-unavailable', brokerId: id, message: `broker ${id}: ${message}` });
      // Without broker-wide counters the scrape is not trustworthy enough to call absent topics idle.
      if (rates.bytesInPerSec === null || rates.bytesOutPerSec === null) continue;
      const topics = new Map<string, TopicRates>();
      const topicNames = new Set([...rates.topicBytesInPerSec.keys(), ...(led.get(id) ?? [])]);
      for (const topic of topicNames) {
        if (rates.unknownTopics.has(topic)) continue;
        // A topic with no meter in either scrape had no traffic on this broker since it started.
        topics.set(topic, {
          bytesInPerSec: rates.topicBytesInPerSec.get(topic) ?? 0,
          bytesOutPerSec: rates.topicBytesOutPerSec.get(topic) ?? 0,
          messagesInPerSec: rates.topicMessagesInPerSec.get(topic) ?? 0,
        });
      }
      const load = scrape.cpuProcessLoad;
      brokers.push({
        brokerId: id,
        cpuPercent: load === null ? null : load * 100,
        topics,
        latency: {
          logFlushTimeMs999th: scrape.logFlushTimeMs999th,
          produceLocalTimeMs999th: scrape.produceLocalTimeMs999th,
        },
      });
    }
    // Forget brokers that left, so a broker that comes back starts from a fresh base.
    for (const id of this.previous.keys()) if (!alive.some((b) => b.id === id)) this.previous.delete(id);

    const points: MeasurementPoint[] = brokers.length > 0 ? [{ timeMs: nowMs, brokers, replicaSizes }] : [];
    return { points, problems, cpuEstimated: false, unmeasured: [] };
  }
}

/** Topics each broker leads at least one partition of. */
export function topicsLedBy(snapshot: ClusterSnapshot): Map<number, Set<string>> {
  const led = new Map<number, Set<string>>();
  for (const p of snapshot.partitions) {
    if (p.leader < 0) continue;
    getOrInsert(led, p.leader, () => new Set<string>()).add(p.topic);
  }
  return led;
}
