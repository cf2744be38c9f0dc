// Ballast's Prometheus registry. Each application instance owns one (not prom-client's global
// default), so two instances in one process (tests) never collide.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor() {
    // Process and Node.js runtime metrics under their standard names (process_*, nodejs_*).
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
