// Picks the metric source named by `monitor.sampler` and gives it its settings.
import type { MonitorConfig } from '../../config/index.js';
import { AdminSampler } from './admin.sampler.js';
import { JmxScrapeSampler, parseBrokerUrls } from './jmx-scrape.sampler.js';
import type { MetricSampler } from './metric-sampler.js';
import { parseInstances, PrometheusSampler } from './prometheus.sampler.js';

export function createSampler(monitor: MonitorConfig): MetricSampler {
  switch (monitor.sampler) {
    case 'jmx-scrape':
      return new JmxScrapeSampler({
        urlTemplate: monitor.jmxScrape.urlTemplate,
        urls: parseBrokerUrls(monitor.jmxScrape.urls),
        requestTimeoutMs: monitor.requestTimeoutMs,
      });
    case 'prometheus':
      return new PrometheusSampler({
        // The schema requires the URL with this sampler.
        url: monitor.prometheus.url ?? '',
        stepMs: monitor.prometheus.stepMs,
        initialLookbackMs: monitor.windowMs * monitor.numWindows,
        instances: parseInstances(monitor.prometheus.instances),
        queries: monitor.prometheus.queries,
        requestTimeoutMs: monitor.requestTimeoutMs,
      });
    case 'admin':
      return new AdminSampler();
  }
}
