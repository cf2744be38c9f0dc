// Reads a registry the way a scrape does, for the metrics tests: one value per series, keyed by
// its labels (`{}` for an unlabelled series).
import type { Registry } from 'prom-client';
import type { ScrapeCache } from '../../src/metrics/pull-gauge.js';

export type Series = Map<string, number>;

const key = (labels: Record<string, string | number>): string =>
  `{${Object.entries(labels)
    .filter(([name]) => name !== 'le')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(',')}}`;

/** Every metric of the registry after one scrape: name → series. Histograms give `_count` and `_sum`. */
export async function scrape(registry: Registry, cache?: ScrapeCache): Promise<Map<string, Series>> {
  cache?.next();
  const out = new Map<string, Series>();
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values as {
      value: number;
      labels: Record<string, string | number>;
      metricName?: string;
    }[]) {
      const name = v.metricName ?? metric.name;
      if (name.endsWith('_bucket')) continue;
      const series = out.get(name) ?? new Map<string, number>();
      series.set(key(v.labels), v.value);
      out.set(name, series);
    }
  }
  return out;
}
