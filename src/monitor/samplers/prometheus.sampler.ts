// Prometheus sampler: query_range over the time since the last round, series mapped to brokers by
// their `instance` label (explicitly, or by host name), one measurement point per step.
import { describeError, getOrInsert } from '../../common/index.js';
import type { BrokerInfo, ClusterSnapshot } from '../../kafka/index.js';
import { topicsLedBy } from './jmx-scrape.sampler.js';
import {
  MetricSampler,
  partitionKey,
  type BrokerPoint,
  type MeasurementPoint,
  type SamplingProblem,
  type SamplingRound,
  type TopicRates,
} from './metric-sampler.js';

export interface PrometheusQueries {
  cpu: string;
  topicBytesIn: string;
  topicBytesOut: string;
  topicMessagesIn: string;
  partitionSize: string;
}

export interface PrometheusSamplerOptions {
  /** Base URL of the server, e.g. http://prometheus:9090. */
  url: string;
  stepMs: number;
  /** How far back the first round looks. */
  initialLookbackMs: number;
  /** `instance` label → broker id; other instances are matched by host name. */
  instances: ReadonlyMap<string, number>;
  queries: PrometheusQueries;
  requestTimeoutMs: number;
}

/** One series of a query_range answer. */
interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Parses `monitor.prometheus.instances` entries (`<instance>=<brokerId>`, validated by the config schema). */
export function parseInstances(entries: readonly string[]): Map<string, number> {
  return new Map(entries.map((e) => [e.slice(0, e.lastIndexOf('=')), Number(e.slice(e.lastIndexOf('=') + 1))]));
}

type QueryName = keyof PrometheusQueries;

export class PrometheusSampler extends MetricSampler {
  readonly name = 'prometheus';
  private lastEndMs: number | null = null;

  constructor(private readonly options: PrometheusSamplerOptions) {
    super();
  }

  /** After windows were restored up to `timeMs`, the first range starts there, not a full lookback earlier. */
  override resumeAfter(timeMs: number): void {
    this.lastEndMs = Math.max(
      this.lastEndMs ?? -Infinity,
      Math.floor(timeMs / this.options.stepMs) * this.options.stepMs,
    );
  }

  async sample(snapshot: ClusterSnapshot, nowMs: number): Promise<SamplingRound> {
    const { stepMs } = this.options;
    const problems: SamplingProblem[] = [];
    const from = this.lastEndMs === null ? nowMs - this.options.initialLookbackMs : this.lastEndMs + stepMs;
    const startMs = Math.ceil(from / stepMs) * stepMs;
    const endMs = Math.floor(nowMs / stepMs) * stepMs;
    if (endMs < startMs) return { points: [], problems, cpuEstimated: false, unmeasured: [] };

    const names = Object.keys(this.options.queries) as QueryName[];
    const answers = new Map<QueryName, MatrixSeries[]>();
    for (const name of names) {
      try {
        answers.set(name, await this.queryRange(this.options.queries[name], startMs, endMs));
      } catch (error) {
        const message = `query ${name} (${this.options.queries[name]}) failed: ${describeError(error)}`;
        problems.push({ kind: 'query-failed', brokerId: null, message });
      }
    }
    // Without CPU or byte rates no point can be trusted; the range is asked again next round.
    if (!answers.has('cpu') || !answers.has('topicBytesIn') || !answers.has('topicBytesOut')) {
      return { points: [], problems, cpuEstimated: false, unmeasured: [] };
    }
    this.lastEndMs = endMs;

    const brokerOf = this.instanceResolver(snapshot.brokers, problems);
    const byTime = new Map<number, Map<number, BrokerPoint>>();
    const sizesByTime = new Map<number, Map<string, Map<number, number>>>();
    const pointOf = (timeMs: number, brokerId: number): BrokerPoint => {
      const brokers = getOrInsert(byTime, timeMs, () => new Map<number, BrokerPoint>());
      return getOrInsert(brokers, brokerId, () => ({
        brokerId,
        cpuPercent: null,
        topics: new Map<string, TopicRates>(),
      }));
    };
    const each = (
      name: QueryName,
      fn: (timeMs: number, brokerId: number, value: number, labels: Record<string, string>) => void,
    ) => {
      for (const series of answers.get(name) ?? []) {
        const brokerId = brokerOf(series.metric.instance);
        if (brokerId === null) continue;
        for (const [seconds, text] of series.values) {
          const value = Number(text);
          if (!Number.isFinite(value) || value < 0) {
            const message = `${name} of broker ${brokerId} at ${seconds}: ${text} is not a non-negative number`;
            problems.push({ kind: 'malformed-series', brokerId, message });
            continue;
          }
          fn(Math.round(seconds * 1000), brokerId, value, series.metric);
        }
      }
    };
    each('cpu', (t, b, v) => (pointOf(t, b).cpuPercent = v * 100));
    const topicValue =
      (field: 'bytesInPerSec' | 'bytesOutPerSec' | 'messagesInPerSec') =>
      (t: number, b: number, v: number, labels: Record<string, string>) => {
        const topic = labels.topic;
        if (topic === undefined) return;
        const topics = pointOf(t, b).topics;
        const rates = topics.get(topic) ?? { bytesInPerSec: Number.NaN, bytesOutPerSec: Number.NaN };
        rates[field] = v;
        topics.set(topic, rates);
      };
    each('topicBytesIn', topicValue('bytesInPerSec'));
    each('topicBytesOut', topicValue('bytesOutPerSec'));
    each('topicMessagesIn', topicValue('messagesInPerSec'));
    each('partitionSize', (t, b, v, labels) => {
      const { topic, partition } = labels;
      if (topic === undefined || partition === undefined || !/^\d+$/.test(partition)) return;
      const sizes = getOrInsert(sizesByTime, t, () => new Map<string, Map<number, number>>());
      getOrInsert(sizes, partitionKey(topic, Number(partition)), () => new Map<number, number>()).set(b, v);
    });

    // Brokers each direction's query answered for at all: for them a topic without a series in that
    // direction has no meter yet. Kafka creates a topic's BytesIn/BytesOut meters on first use (a
    // topic produced to but never consumed has only BytesIn), so its rate there is 0. A broker the
    // query said nothing about stays unmeasured in that direction.
    const answeredFor = (name: QueryName) =>
      new Set((answers.get(name) ?? []).map((series) => brokerOf(series.metric.instance)));
    const inAnsweredFor = answeredFor('topicBytesIn');
    const outAnsweredFor = answeredFor('topicBytesOut');

    const led = topicsLedBy(snapshot);
    const points: MeasurementPoint[] = [...byTime.keys()]
      .sort((a, b) => a - b)
      .map((timeMs) => {
        const brokers = [...(byTime.get(timeMs)?.values() ?? [])];
        for (const point of brokers) {
          // A topic with some series (but not all) was measured in part: never treated as idle below.
          const partial = new Set<string>();
          // A broker scraped at this time (its CPU is known) was up: where the query works (it answered
          // for some broker), a direction with no series on this one has no meter yet, even if the
          // broker has no series in that direction at all (one leading only topics nobody consumes
          // has no BytesOut meter). A query that answered for no broker may be misconfigured: unmeasured.
          const up = point.cpuPercent !== null;
          const inKnown = inAnsweredFor.has(point.brokerId) || (up && inAnsweredFor.size > 0);
          const outKnown = outAnsweredFor.has(point.brokerId) || (up && outAnsweredFor.size > 0);
          for (const [topic, rates] of point.topics) {
            if (Number.isNaN(rates.bytesInPerSec) && inKnown) rates.bytesInPerSec = 0;
            if (Number.isNaN(rates.bytesOutPerSec) && outKnown) rates.bytesOutPerSec = 0;
            // One direction without the other cannot be split into partitions.
            if (Number.isNaN(rates.bytesInPerSec) || Number.isNaN(rates.bytesOutPerSec)) {
              point.topics.delete(topic);
              partial.add(topic);
              const message = `broker ${point.brokerId} at ${timeMs}: topic ${topic} has bytes ${Number.isNaN(rates.bytesInPerSec) ? 'out' : 'in'} but not bytes ${Number.isNaN(rates.bytesInPerSec) ? 'in' : 'out'}`;
              problems.push({ kind: 'partial-topic', brokerId: point.brokerId, message });
            }
          }
          // A broker whose CPU was scraped was up: a topic it leads with no meter at all had no traffic.
          if (point.cpuPercent === null) continue;
          for (const topic of led.get(point.brokerId) ?? []) {
            if (!point.topics.has(topic) && !partial.has(topic))
              point.topics.set(topic, { bytesInPerSec: 0, bytesOutPerSec: 0, messagesInPerSec: 0 });
          }
        }
        return { timeMs, brokers, replicaSizes: sizesByTime.get(timeMs) ?? null };
      });
    return { points, problems, cpuEstimated: false, unmeasured: [] };
  }

  private async queryRange(query: string, startMs: number, endMs: number): Promise<MatrixSeries[]> {
    const params = new URLSearchParams({
      query,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: `${this.options.stepMs / 1000}s`,
    });
    const url = `${this.options.url.replace(/\/$/, '')}/api/v1/query_range?${params.toString()}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.options.requestTimeoutMs) });
    const body = (await response.json().catch(() => null)) as {
      status?: string;
      error?: string;
      data?: { resultType?: string; result?: MatrixSeries[] };
    } | null;
    if (!response.ok || body?.status !== 'success') {
      throw new Error(`HTTP ${response.status}${body?.error ? `: ${body.error}` : ''}`);
    }
    if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
      throw new Error(`expected a matrix result, got ${String(body.data?.resultType)}`);
    }
    return body.data.result;
  }

  /** instance label → broker id: the configured map, else the one broker on that host. */
  private instanceResolver(
    brokers: BrokerInfo[],
    problems: SamplingProblem[],
  ): (instance: string | undefined) => number | null {
    const reported = new Set<string>();
    return (instance) => {
      if (instance === undefined) return null;
      const mapped = this.options.instances.get(instance);
      if (mapped !== undefined) return mapped;
      const host = instance.replace(/:\d+$/, '');
      const onHost = brokers.filter((b) => b.host === host);
      if (onHost.length === 1) return onHost[0]!.id;
      if (!reported.has(instance)) {
        reported.add(instance);
        const why = onHost.length === 0 ? 'no broker on that host' : `${onHost.length} brokers on that host`;
        const message = `series of instance ${instance} ignored: ${why}; map it in monitor.prometheus.instances`;
        problems.push({ kind: 'unmapped-instance', brokerId: null, message });
      }
      return null;
    };
  }
}
