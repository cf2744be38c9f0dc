// What the brokers themselves say, for tests that check Ballast's load figures: their own
// counters (JMX exporter) and the bytes of their log segments on disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { brokerSnapshotFromScrape, type BrokerScrapeSnapshot } from '../../src/monitor/index.js';
import type { BrokerStats } from '../../src/api/broker-stats.js';
import type { KafkaSandbox } from '../../scripts/sandbox/index.js';

/** One scrape of a sandbox broker's JMX exporter. */
export async function scrapeBroker(kafka: KafkaSandbox, id: number): Promise<BrokerScrapeSnapshot> {
  const text = await (await fetch(kafka.broker(id).metricsUrl)).text();
  return brokerSnapshotFromScrape(text, { brokerId: id, scrapedAtMs: Date.now() });
}

/** Bytes of every segment file in a broker's log dirs: what DescribeLogDirs adds up. */
export function logDirBytes(logDirs: string[]): number {
  let total = 0;
  for (const dir of logDirs) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/-\d+$/.test(entry.name)) continue;
      for (const file of readdirSync(join(dir, entry.name))) {
        if (file.endsWith('.log')) total += statSync(join(dir, entry.name, file)).size;
      }
    }
  }
  return total;
}

/** Agreement within 15%, or within `floor` for values too small for a percentage to mean anything. */
export function expectClose(what: string, ballast: number, broker: number, floor: number): void {
  const tolerance = Math.max(0.15 * Math.abs(broker), floor);
  expect(
    Math.abs(ballast - broker),
    `${what}: Ballast ${ballast.toFixed(1)} vs broker ${broker.toFixed(1)}`,
  ).toBeLessThanOrEqual(tolerance);
}

/**
 * Checks every broker of a /load answer against the brokers' own counters between two scrapes
 * (NW_IN = bytes in + replication bytes in, NW_OUT = bytes out, KB/s) and their log dirs (MB).
 */
export function expectLoadMatchesBrokers(
  kafka: KafkaSandbox,
  stats: BrokerStats,
  before: Map<number, BrokerScrapeSnapshot>,
  after: Map<number, BrokerScrapeSnapshot>,
): void {
  for (const b of stats.brokers) {
    const earlier = before.get(b.Broker)!;
    const later = after.get(b.Broker)!;
    const seconds = (later.scrapedAtMs - earlier.scrapedAtMs) / 1000;
    const rate = (x: number | null, y: number | null) => ((y ?? 0) - (x ?? 0)) / seconds / 1024;
    const nwIn =
      rate(earlier.bytesInTotal, later.bytesInTotal) +
      rate(earlier.replicationBytesInTotal, later.replicationBytesInTotal);
    expectClose(`broker ${b.Broker} NW_IN KB/s`, b.LeaderNwInRate + b.FollowerNwInRate, nwIn, 8);
    expectClose(`broker ${b.Broker} NW_OUT KB/s`, b.NwOutRate, rate(earlier.bytesOutTotal, later.bytesOutTotal), 8);
    expectClose(`broker ${b.Broker} DISK MB`, b.DiskMB, logDirBytes(kafka.broker(b.Broker).logDirs) / 2 ** 20, 1);
  }
}
