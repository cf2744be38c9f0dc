// Direct-scrape sampler, pure half: Prometheus text exposition of a broker's JMX exporter (default naming) → typed snapshot, and rates between two snapshots.

/** One sample line of the Prometheus text format. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  /** Optional exposition timestamp (ms since epoch), null when the line has none. */
  readonly timestampMs: number | null;
  /** 1-based line number in the scraped text. */
  readonly line: number;
}

/** A problem found in the text; `line` is 1-based (0 when not tied to a line). */
export interface ScrapeError {
  readonly line: number;
  readonly message: string;
}

export interface PrometheusParseResult {
  readonly samples: PrometheusSample[];
  readonly errors: ScrapeError[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d+$/;

/** Prometheus float syntax (decimal, exponent, NaN, ±Inf); null when not a number. */
function parseFloatToken(token: string): number | null {
  if (DECIMAL.test(token)) return Number(token);
  const lower = token.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return null;
}

type LineResult =
  | { ok: true; name: string; labels: Record<string, string>; value: number; timestampMs: number | null }
  | { ok: false; message: string };

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Parses one non-comment, non-blank line (already left-trimmed). */
function parseSampleLine(line: string): LineResult {
  const nameMatch = METRIC_NAME.exec(line);
  if (!nameMatch) return { ok: false, message: 'expected a metric name' };
  const name = nameMatch[0];
  let i = name.length;
  const after = line[i];
  if (after !== undefined && after !== '{' && !isBlank(after)) {
    return { ok: false, message: `unexpected character '${after}' after metric name '${name}'` };
  }
  const labels: Record<string, string> = {};
  const skipBlanks = (): void => {
    while (isBlank(line[i])) i++;
  };
  skipBlanks();
  if (line[i] === '{') {
    i++;
    for (;;) {
      skipBlanks();
      if (line[i] === '}') break;
      const labelMatch = LABEL_NAME.exec(line.slice(i));
      if (!labelMatch) return { ok: false, message: `expected a label name at column ${i + 1}` };
      const labelName = labelMatch[0];
      i += labelName.length;
      skipBlanks();
      if (line[i] !== '=') return { ok: false, message: `expected '=' after label '${labelName}'` };
      i++;
      skipBlanks();
      if (line[i] !== '"') return { ok: false, message: `expected '"' to open the value of label '${labelName}'` };
      i++;
      let value = '';
      let closed = false;
      while (i < line.length) {
        const ch = line[i];
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        if (ch === '\\') {
          const next = line[i + 1];
          if (next === '\\') value += '\\';
          else if (next === '"') value += '"';
          else if (next === 'n') value += '\n';
          else return { ok: false, message: `invalid escape '\\${next ?? ''}' in label '${labelName}'` };
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      if (!closed) return { ok: false, message: `unterminated value of label '${labelName}'` };
      if (Object.hasOwn(labels, labelName)) return { ok: false, message: `duplicate label '${labelName}'` };
      labels[labelName] = value;
      skipBlanks();
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') break;
      return { ok: false, message: `expected ',' or '}' after label '${labelName}'` };
    }
    i++; // the closing '}'
  }
  const tokens = line
    .slice(i)
    .split(/[ \t]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, message: 'missing sample value' };
  if (tokens.length > 2)
    return { ok: false, message: `unexpected text after the sample: '${tokens.slice(2).join(' ')}'` };
  const valueToken = tokens[0] ?? '';
  const value = parseFloatToken(valueToken);
  if (value === null) return { ok: false, message: `invalid sample value '${valueToken}'` };
  let timestampMs: number | null = null;
  const tsToken = tokens[1];
  if (tsToken !== undefined) {
    if (!TIMESTAMP.test(tsToken) || !Number.isSafeInteger(Number(tsToken))) {
      return { ok: false, message: `invalid timestamp '${tsToken}'` };
    }
    timestampMs = Number(tsToken);
  }
  return { ok: true, name, labels, value, timestampMs };
}

/**
 * Parses the Prometheus text exposition format (0.0.4). Comments, HELP and TYPE lines and blank
 * lines are skipped; each malformed line is reported with its 1-based number and skipped.
 */
export function parsePrometheusText(text: string): PrometheusParseResult {
  const samples: PrometheusSample[] = [];
  const errors: ScrapeError[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) return;
    const parsed = parseSampleLine(line);
    if (parsed.ok) {
      const { name, labels, value, timestampMs } = parsed;
      samples.push({ name, labels, value, timestampMs, line: index + 1 });
    } else {
      errors.push({ line: index + 1, message: parsed.message });
    }
  });
  return { samples, errors };
}

/** Typed broker measurements from one scrape; a null field means the series was missing or invalid. */
export interface BrokerScrapeSnapshot {
  readonly brokerId: number;
  /** When the scrape was taken (ms since epoch, caller's clock). */
  readonly scrapedAtMs: number;
  /** Cumulative bytes received from clients (BytesInPerSec Count, broker-wide). */
  readonly bytesInTotal: number | null;
  /** Cumulative bytes sent to consumers (BytesOutPerSec Count, broker-wide). */
  readonly bytesOutTotal: number | null;
  /** Cumulative bytes fetched from leaders as a follower (ReplicationBytesInPerSec Count). */
  readonly replicationBytesInTotal: number | null;
  /** Cumulative bytes served to followers (ReplicationBytesOutPerSec Count). */
  readonly replicationBytesOutTotal: number | null;
  /** Cumulative bytes in per topic. */
  readonly topicBytesInTotal: Map<string, number>;
  /** Cumulative bytes out per topic. */
  readonly topicBytesOutTotal: Map<string, number>;
  /** Cumulative messages in per topic. */
  readonly topicMessagesInTotal: Map<string, number>;
  /** On-disk size per partition, keyed "topic-partition". */
  readonly partitionSizeBytes: Map<string, number>;
  /** JVM process CPU load, 0..1 of all available processors. */
  readonly cpuProcessLoad: number | null;
  readonly availableProcessors: number | null;
  readonly leaderCount: number | null;
  readonly partitionCount: number | null;
  readonly offlineLogDirCount: number | null;
  /** 99.9th percentile of the log flush time (LogFlushStats LogFlushRateAndTimeMs), ms. */
  readonly logFlushTimeMs999th: number | null;
  /** 99.9th percentile of produce requests' local time (RequestMetrics LocalTimeMs, Produce), ms. */
  readonly produceLocalTimeMs999th: number | null;
  /** Descriptions of the broker-wide series that were not found. */
  readonly missing: string[];
  /** Malformed lines, duplicate series and out-of-range values. */
  readonly errors: ScrapeError[];
}

const BTM_COUNT = 'kafka_server_BrokerTopicMetrics_Count';

function describe(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}

function seriesKey(sample: PrometheusSample): string {
  const sorted = Object.keys(sample.labels)
    .sort()
    .map((k) => [k, sample.labels[k]]);
  return JSON.stringify([sample.name, sorted]);
}

/** Turns one JMX-exporter scrape (jmx_prometheus_javaagent, default naming, no rules) into broker measurements. */
export function brokerSnapshotFromScrape(
  text: string,
  opts: { readonly brokerId: number; readonly scrapedAtMs: number },
): BrokerScrapeSnapshot {
  const parsed = parsePrometheusText(text);
  const errors: ScrapeError[] = [...parsed.errors];
  const seen = new Set<string>();
  const samples: PrometheusSample[] = [];
  for (const s of parsed.samples) {
    const key = seriesKey(s);
    if (seen.has(key)) {
      errors.push({ line: s.line, message: `duplicate series ${describe(s.name, s.labels)}; first one kept` });
      continue;
    }
    seen.add(key);
    samples.push(s);
  }

  const valid = (s: PrometheusSample, ok: (v: number) => boolean, what: string): number | null => {
    if (ok(s.value)) return s.value;
    errors.push({ line: s.line, message: `${describe(s.name, s.labels)} = ${s.value} is not ${what}` });
    return null;
  };
  const isCounter = (v: number): boolean => Number.isFinite(v) && v >= 0;
  const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0;

  const missing: string[] = [];
  /** Broker-wide series: exact name, the given labels, and no topic/partition label. */
  const single = (name: string, labels: Record<string, string>, ok: (v: number) => boolean, what: string) => {
    const found = samples.find(
      (s) =>
        s.name === name &&
        !('topic' in s.labels) &&
        !('partition' in s.labels) &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    if (!found) {
      missing.push(describe(name, labels));
      return null;
    }
    return valid(found, ok, what);
  };

  const topicMap = (meter: string): Map<string, number> => {
    const out = new Map<string, number>();
    for (const s of samples) {
      const topic = s.labels.topic;
      if (s.name !== BTM_COUNT || s.labels.name !== meter || topic === undefined) continue;
      const v = valid(s, isCounter, 'a non-negative finite counter');
      if (v !== null) out.set(topic, v);
    }
    return out;
  };

  const partitionSizeBytes = new Map<string, number>();
  for (const s of samples) {
    const { topic, partition } = s.labels;
    if (s.name !== 'kafka_log_Log_Value' || s.labels.name !== 'Size') continue;
    if (topic === undefined || partition === undefined || !/^\d+$/.test(partition)) {
      errors.push({ line: s.line, message: `${describe(s.name, s.labels)} lacks a valid topic/partition` });
      continue;
    }
    const v = valid(s, isCounter, 'a non-negative finite size');
    if (v !== null) partitionSizeBytes.set(`${topic}-${partition}`, v);
  }

  /** Like `single`, for series only slow-broker detection reads: not reported when absent. */
  const optional = (name: string, labels: Record<string, string>) => {
    const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return found === undefined ? null : valid(found, (v) => Number.isFinite(v) && v >= 0, 'a non-negative time');
  };
  const counter = (meter: string) => single(BTM_COUNT, { name: meter }, isCounter, 'a non-negative finite counter');
  const count = (name: string, metric: string) => single(name, { name: metric }, isCount, 'a non-negative integer');
  return {
    brokerId: opts.brokerId,
    scrapedAtMs: opts.scrapedAtMs,
    bytesInTotal: counter('BytesInPerSec'),
    bytesOutTotal: counter('BytesOutPerSec'),
    replicationBytesInTotal: counter('ReplicationBytesInPerSec'),
    replicationBytesOutTotal: counter('ReplicationBytesOutPerSec'),
    topicBytesInTotal: topicMap('BytesInPerSec'),
    topicBytesOutTotal: topicMap('BytesOutPerSec'),
    topicMessagesInTotal: topicMap('MessagesInPerSec'),
    partitionSizeBytes,
    // The JVM reports a negative load when it is not available yet: treated as invalid.
    cpuProcessLoad: single('java_lang_OperatingSystem_ProcessCpuLoad', {}, (v) => v >= 0 && v <= 1, 'within 0..1'),
    availableProcessors: single(
      'java_lang_OperatingSystem_AvailableProcessors',
      {},
      (v) => isCount(v) && v > 0,
      'a positive integer',
    ),
    leaderCount: count('kafka_server_ReplicaManager_Value', 'LeaderCount'),
    partitionCount: count('kafka_server_ReplicaManager_Value', 'PartitionCount'),
    offlineLogDirCount: count('kafka_log_LogManager_Value', 'OfflineLogDirectoryCount'),
    logFlushTimeMs999th: optional('kafka_log_LogFlushStats_999thPercentile', { name: 'LogFlushRateAndTimeMs' }),
    produceLocalTimeMs999th: optional('kafka_network_RequestMetrics_999thPercentile', {
      name: 'LocalTimeMs',
      request: 'Produce',
    }),
    missing,
    errors,
  };
}

/** Byte rates of one broker over the interval between two of its scrapes. */
export interface BrokerRates {
  readonly brokerId: number;
  readonly intervalMs: number;
  /** Null when either scrape lacks the counter or it went backwards (reset). */
  readonly bytesInPerSec: number | null;
  readonly bytesOutPerSec: number | null;
  readonly replicationBytesInPerSec: number | null;
  readonly replicationBytesOutPerSec: number | null;
  /**
   * Topics with a non-negative delta. A topic missing from the earlier scrape counts from 0: Kafka
   * creates a topic's meters on its first traffic, so it did not exist yet.
   */
  readonly topicBytesInPerSec: Map<string, number>;
  readonly topicBytesOutPerSec: Map<string, number>;
  readonly topicMessagesInPerSec: Map<string, number>;
  /** Topics whose rate is unknown (meter gone in the later scrape, or reset): never to be taken as idle. */
  readonly unknownTopics: Set<string>;
  /** Why a rate is absent: interval, broker mismatch, counter resets, topics gone from the later scrape. */
  readonly problems: string[];
}

/** Rates (bytes/s) from two cumulative snapshots of the same broker; never invents a rate across a reset. */
export function ratesBetween(earlier: BrokerScrapeSnapshot, later: BrokerScrapeSnapshot): BrokerRates {
  const intervalMs = later.scrapedAtMs - earlier.scrapedAtMs;
  const problems: string[] = [];
  const empty: BrokerRates = {
    brokerId: later.brokerId,
    intervalMs,
    bytesInPerSec: null,
    bytesOutPerSec: null,
    replicationBytesInPerSec: null,
    replicationBytesOutPerSec: null,
    topicBytesInPerSec: new Map(),
    topicBytesOutPerSec: new Map(),
    topicMessagesInPerSec: new Map(),
    unknownTopics: new Set(),
    problems,
  };
  if (earlier.brokerId !== later.brokerId) {
    problems.push(`scrapes of different brokers (${earlier.brokerId} and ${later.brokerId})`);
    return empty;
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    problems.push(`interval ${intervalMs} ms is not positive`);
    return empty;
  }
  const seconds = intervalMs / 1000;
  const rate = (what: string, a: number | null | undefined, b: number | null | undefined): number | null => {
    if (a === null || a === undefined || b === null || b === undefined) {
      problems.push(`${what}: missing in ${a === null || a === undefined ? 'earlier' : 'later'} scrape`);
      return null;
    }
    if (b < a) {
      problems.push(`${what}: counter went from ${a} to ${b} (reset), no rate`);
      return null;
    }
    return (b - a) / seconds;
  };
  const topicRates = (what: string, a: Map<string, number>, b: Map<string, number>): Map<string, number> => {
    const out = new Map<string, number>();
    for (const topic of new Set([...a.keys(), ...b.keys()])) {
      const r = rate(`${what} of topic '${topic}'`, a.get(topic) ?? (b.has(topic) ? 0 : undefined), b.get(topic));
      if (r !== null) out.set(topic, r);
      else empty.unknownTopics.add(topic);
    }
    return out;
  };
  return {
    ...empty,
    bytesInPerSec: rate('bytesIn', earlier.bytesInTotal, later.bytesInTotal),
    bytesOutPerSec: rate('bytesOut', earlier.bytesOutTotal, later.bytesOutTotal),
    replicationBytesInPerSec: rate(
      'replicationBytesIn',
      earlier.replicationBytesInTotal,
      later.replicationBytesInTotal,
    ),
    replicationBytesOutPerSec: rate(
      'replicationBytesOut',
      earlier.replicationBytesOutTotal,
      later.replicationBytesOutTotal,
    ),
    topicBytesInPerSec: topicRates('bytesIn', earlier.topicBytesInTotal, later.topicBytesInTotal),
    topicBytesOutPerSec: topicRates('bytesOut', earlier.topicBytesOutTotal, later.topicBytesOutTotal),
    topicMessagesInPerSec: topicRates('messagesIn', earlier.topicMessagesInTotal, later.topicMessagesInTotal),
  };
}
