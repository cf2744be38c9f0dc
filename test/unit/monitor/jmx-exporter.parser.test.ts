// JMX-exporter direct scrape, pure half: Prometheus text parsing, broker snapshot from a hand-written
// fixture (exact values, missing series, malformed line) and rates between two scrapes with a reset.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brokerSnapshotFromScrape,
  parsePrometheusText,
  ratesBetween,
  type BrokerScrapeSnapshot,
} from '../../../src/monitor/index.js';

const FIXTURE = readFileSync(new URL('../../fixtures/jmx-exporter-broker.txt', import.meta.url), 'utf8');
const PAYMENTS = 'pay"ments\\eu';

describe('parsePrometheusText', () => {
  it('parses labels, escapes, exponents, special floats and timestamps; skips comments and blanks', () => {
    const text = [
      '# HELP a_total help text with "quotes"',
      '# TYPE a_total counter',
      '',
      'a_total 1.5E3',
      '  b{x="1",y="a\\"b\\\\c\\nd",} -2.5e-1 1700000000000',
      'c { x = "1" } NaN',
      'd +Inf',
      'e{} -Inf',
      'f:g_h 7\r',
    ].join('\n');
    const { samples, errors } = parsePrometheusText(text);
    expect(errors).toEqual([]);
    expect(samples.map((s) => [s.name, s.labels, s.value, s.timestampMs, s.line])).toEqual([
      ['a_total', {}, 1500, null, 4],
      ['b', { x: '1', y: 'a"b\\c\nd' }, -0.25, 1700000000000, 5],
      ['c', { x: '1' }, NaN, null, 6],
      ['d', {}, Infinity, null, 7],
      ['e', {}, -Infinity, null, 8],
      ['f:g_h', {}, 7, null, 9],
    ]);
  });

  it('reports each malformed line with its number and never invents a sample', () => {
    const bad = [
      'ok 1',
      '9bad 1',
      'x{a="1" 2',
      'x{a="1} 2',
      'x{a=1} 2',
      'x{a="\\t"} 2',
      'x{a="1",a="2"} 2',
      'x 0x10',
      'x',
      'x 1 2 3',
      'x 1 1.5',
      'x{a="1"}',
      'x 1,',
      'x ',
      'x-1 2',
    ];
    const { samples, errors } = parsePrometheusText(bad.join('\n'));
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ name: 'ok', value: 1, line: 1 });
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(errors[1]?.message).toBe("expected ',' or '}' after label 'a'");
    expect(errors[2]?.message).toBe("unterminated value of label 'a'");
    expect(errors[4]?.message).toBe("invalid escape '\\t' in label 'a'");
    expect(errors[5]?.message).toBe("duplicate label 'a'");
    expect(errors[6]?.message).toBe("invalid sample value '0x10'");
    expect(errors[9]?.message).toBe("invalid timestamp '1.5'");
    expect(errors[13]?.message).toBe("unexpected character '-' after metric name 'x'");
  });
});

describe('brokerSnapshotFromScrape', () => {
  const snap = brokerSnapshotFromScrape(FIXTURE, { brokerId: 1, scrapedAtMs: 1_700_000_000_000 });

  it('reads the exact broker-wide values', () => {
    expect(snap).toMatchObject({
      brokerId: 1,
      scrapedAtMs: 1_700_000_000_000,
      bytesInTotal: 18_138_911,
      bytesOutTotal: 3_500_000,
      replicationBytesInTotal: 500_000,
      replicationBytesOutTotal: null,
      cpuProcessLoad: 0.12,
      availableProcessors: 2,
      leaderCount: 21,
      partitionCount: 40,
      offlineLogDirCount: 0,
    });
  });

  it('reads per-topic counters (escaped topic names) and partition sizes, ignoring rates', () => {
    expect([...snap.topicBytesInTotal]).toEqual([
      ['orders', 12_000_000],
      [PAYMENTS, 6_138_911],
    ]);
    expect([...snap.topicBytesOutTotal]).toEqual([
      ['orders', 3_000_000],
      [PAYMENTS, 500_000],
    ]);
    expect([...snap.partitionSizeBytes]).toEqual([
      ['orders-0', 6576],
      ['orders-1', 1024],
      ['__consumer_offsets-0', 0],
    ]);
  });

  it('reports missing series and the malformed line', () => {
    expect(snap.missing).toEqual(['kafka_server_BrokerTopicMetrics_Count{name="ReplicationBytesOutPerSec"}']);
    expect(snap.errors).toEqual([{ line: 31, message: "expected ',' or '}' after label 'topic'" }]);
  });

  it('reads the log flush and produce local-time percentiles slow-broker detection uses, never reporting them missing', () => {
    const text = [
      'kafka_log_LogFlushStats_999thPercentile{name="LogFlushRateAndTimeMs",} 1234.5',
      'kafka_log_LogFlushStats_99thPercentile{name="LogFlushRateAndTimeMs",} 99.0',
      'kafka_network_RequestMetrics_999thPercentile{name="LocalTimeMs",request="Fetch",} 7.0',
      'kafka_network_RequestMetrics_999thPercentile{name="LocalTimeMs",request="Produce",} 42.0',
    ].join('\n');
    const latency = brokerSnapshotFromScrape(text, { brokerId: 3, scrapedAtMs: 0 });
    expect(latency).toMatchObject({ logFlushTimeMs999th: 1234.5, produceLocalTimeMs999th: 42 });
    expect(snap).toMatchObject({ logFlushTimeMs999th: null, produceLocalTimeMs999th: null });
    expect(snap.missing.join()).not.toMatch(/LogFlush|LocalTime/);
  });

  it('reports everything missing for an empty scrape', () => {
    const empty = brokerSnapshotFromScrape('', { brokerId: 2, scrapedAtMs: 0 });
    expect(empty.missing).toHaveLength(9);
    expect(empty.bytesInTotal).toBeNull();
    expect(empty.cpuProcessLoad).toBeNull();
    expect(empty.topicBytesInTotal.size).toBe(0);
  });

  it('refuses out-of-range values and duplicate series instead of using them', () => {
    const text = [
      'java_lang_OperatingSystem_ProcessCpuLoad -1.0',
      'kafka_server_ReplicaManager_Value{name="LeaderCount"} 2.5',
      'kafka_server_BrokerTopicMetrics_Count{name="BytesInPerSec"} NaN',
      'kafka_server_ReplicaManager_Value{name="PartitionCount"} 4.0',
      'kafka_server_ReplicaManager_Value{name="PartitionCount"} 5.0',
    ].join('\n');
    const s = brokerSnapshotFromScrape(text, { brokerId: 3, scrapedAtMs: 0 });
    expect(s.cpuProcessLoad).toBeNull();
    expect(s.leaderCount).toBeNull();
    expect(s.bytesInTotal).toBeNull();
    expect(s.partitionCount).toBe(4);
    expect(s.errors.map((e) => e.line)).toEqual([5, 3, 1, 2]);
  });
});

describe('ratesBetween', () => {
  const earlier = brokerSnapshotFromScrape(FIXTURE, { brokerId: 1, scrapedAtMs: 1_000_000 });
  const laterText = FIXTURE.replace('{name="BytesInPerSec"} 1.8138911E7', '{name="BytesInPerSec"} 1.8238911E7')
    .replace('{name="BytesOutPerSec"} 3.5E6', '{name="BytesOutPerSec"} 1.0E3')
    .replace('{name="BytesInPerSec",topic="orders"} 1.2E7', '{name="BytesInPerSec",topic="orders"} 1.21E7')
    .replace('{name="ReplicationBytesInPerSec"} 5.0E5', '{name="ReplicationBytesInPerSec"} 5.0E5')
    .replace('{name="BytesOutPerSec",topic="orders"} 3.0E6', '{name="BytesOutPerSec",topic="fresh"} 3.0E6');
  const later = brokerSnapshotFromScrape(laterText, { brokerId: 1, scrapedAtMs: 1_010_000 });

  it('computes bytes/s per broker and per topic and refuses a counter reset', () => {
    const r = ratesBetween(earlier, later);
    expect(r.intervalMs).toBe(10_000);
    expect(r.bytesInPerSec).toBe(10_000);
    expect(r.bytesOutPerSec).toBeNull();
    expect(r.replicationBytesInPerSec).toBe(0);
    expect(r.replicationBytesOutPerSec).toBeNull();
    expect([...r.topicBytesInPerSec]).toEqual([
      ['orders', 10_000],
      [PAYMENTS, 0],
    ]);
    // 'fresh' appeared between the scrapes: its meter was created, so it counts from 0.
    expect([...r.topicBytesOutPerSec]).toEqual([
      [PAYMENTS, 0],
      ['fresh', 300_000],
    ]);
    expect([...r.unknownTopics]).toEqual(['orders']);
    expect(r.problems).toEqual([
      'bytesOut: counter went from 3500000 to 1000 (reset), no rate',
      'replicationBytesOut: missing in earlier scrape',
      "bytesOut of topic 'orders': missing in later scrape",
    ]);
  });

  it('refuses zero or negative intervals and different brokers', () => {
    const same: BrokerScrapeSnapshot = { ...later, scrapedAtMs: earlier.scrapedAtMs };
    const zero = ratesBetween(earlier, same);
    expect(zero.bytesInPerSec).toBeNull();
    expect(zero.topicBytesInPerSec.size).toBe(0);
    expect(zero.problems).toEqual(['interval 0 ms is not positive']);
    expect(ratesBetween(later, earlier).problems).toEqual(['interval -10000 ms is not positive']);
    const other: BrokerScrapeSnapshot = { ...later, brokerId: 2 };
    expect(ratesBetween(earlier, other).problems).toEqual(['scrapes of different brokers (1 and 2)']);
  });
});
