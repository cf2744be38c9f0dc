// Ballast's Prometheus registry. Each application instance owns one (not prom-client's global
// default), so two instances in one process (tests) never collide.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ScrapeCache } from './pull-gauge.js';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  /** Readings shared by several pull gauges are taken once per render. */
  readonly scrapeCache = new ScrapeCache();

  constructor() {
    // Process and Node.js runtime metrics under their standard names (process_*, nodejs_*).
    collectDefaultMetrics({ register: this.registry });
    // The application runs only on the instance that leads (or the only one): a standby's own
    // small server answers /metrics with 0 (src/leader/standby-server.ts).
    new Gauge({
      name: 'ballast_leader',
      help: '1 on the instance that holds the leader lock and acts, 0 on a standby.',
      registers: [this.registry],
    }).set(1);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    this.scrapeCache.next();
    return this.registry.metrics();
  }
}
