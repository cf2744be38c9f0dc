// Pull-style gauges: each scrape reads the current state from a stage's service and sets the
// gauge from it, so the stages need no metric calls of their own. A reading shared by several
// gauges is taken once per scrape (ScrapeCache), not once per gauge.
import { Gauge, type Registry } from 'prom-client';

/** One sample: label values (bounded sets only) and the value. */
export type Sample<L extends string> = [labels: Partial<Record<L, string | number>>, value: number];

/** Memoizes readings for the duration of one scrape; {@link next} starts a new scrape. */
export class ScrapeCache {
  private generation = 0;

  /** Called by the /metrics handler before the registry renders. */
  next(): void {
    this.generation++;
  }

  /** `read` at most once per scrape. */
  memo<T>(read: () => T): () => T {
    let seen = -1;
    let value: T;
    return () => {
      if (seen !== this.generation) {
        value = read();
        seen = this.generation;
      }
      return value;
    };
  }
}

/**
 * A gauge whose series are exactly what `samples` returns at scrape time: series of brokers or
 * anomalies that are gone disappear instead of keeping their last value, and an unlabelled one
 * with no sample is absent (prom-client would otherwise report 0, a plausible but false value).
 */
class PullGauge<L extends string> extends Gauge<L> {
  private empty = false;

  constructor(
    registry: Registry,
    name: string,
    help: string,
    labelNames: readonly L[],
    samples: () => Iterable<Sample<L>>,
  ) {
    super({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        const self = this as PullGauge<L>;
        self.reset();
        self.empty = true;
        for (const [labels, value] of samples()) {
          self.empty = false;
          if (labelNames.length === 0) self.set(value);
          else self.set(labels, value);
        }
      },
    });
  }

  override async get(): ReturnType<Gauge<L>['get']> {
    const metric = await super.get();
    return this.empty ? { ...metric, values: [] } : metric;
  }
}

/** Registers a {@link PullGauge}. */
export function pullGauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  samples: () => Iterable<Sample<L>>,
): Gauge<L> {
  return new PullGauge(registry, name, help, labelNames, samples);
}

/** A gauge with one unlabelled value, absent while `value` returns null. */
export function pullValue(registry: Registry, name: string, help: string, value: () => number | null): Gauge {
  return pullGauge(registry, name, help, [], () => {
    const v = value();
    return v === null ? [] : [[{}, v]];
  });
}

export const bool = (b: boolean): number => (b ? 1 : 0);
export const seconds = (ms: number): number => ms / 1000;
