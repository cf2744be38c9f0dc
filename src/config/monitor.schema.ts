// The `monitor` section of the configuration: which sampler feeds the load monitor, the window
// layout (Cruise Control's names in the comments), completeness, capacities and persistence.
import { z } from 'zod';
import { positiveMs, readableFile } from './schema-parts.js';

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL');

/** `<brokerId>=<url>`, so per-broker endpoints fit in one environment variable. */
const brokerUrl = z
  .string()
  .regex(/^\d+=https?:\/\/\S+$/, 'expected <brokerId>=<http(s) URL>, e.g. 0=http://kafka-0:7071/metrics');

/** `<host:port>=<brokerId>`: which Prometheus `instance` is which broker. */
const instanceBroker = z.string().regex(/^\S+=\d+$/, 'expected <instance>=<brokerId>, e.g. kafka-0:7071=0');

const weight = z.number().min(0).max(1);

/** PromQL queries of the Prometheus sampler; every series must carry the `instance` label. */
const prometheusQueries = z
  .object({
    /** Broker CPU as a 0..1 share of the machine. */
    cpu: z.string().min(1).default('java_lang_OperatingSystem_ProcessCpuLoad'),
    /** Per-topic bytes in per second on each broker (a `topic` label). */
    topicBytesIn: z
      .string()
      .min(1)
      .default('rate(kafka_server_BrokerTopicMetrics_Count{name="BytesInPerSec",topic!=""}[1m])'),
    /** Per-topic bytes out per second on each broker (a `topic` label). */
    topicBytesOut: z
      .string()
      .min(1)
      .default('rate(kafka_server_BrokerTopicMetrics_Count{name="BytesOutPerSec",topic!=""}[1m])'),
    /** Per-topic messages in per second on each broker (a `topic` label). */
    topicMessagesIn: z
      .string()
      .min(1)
      .default('rate(kafka_server_BrokerTopicMetrics_Count{name="MessagesInPerSec",topic!=""}[1m])'),
    /** Size of each replica in bytes (`topic` and `partition` labels). */
    partitionSize: z.string().min(1).default('kafka_log_Log_Value{name="Size"}'),
  })
  .strict()
  .prefault({});

export const monitorSchema = z
  .object({
    /**
     * Where load comes from: `jmx-scrape` reads each broker's JMX-exporter endpoint, `prometheus`
     * queries a Prometheus server, `admin` uses only Kafka's admin API (sizes; rates from growth).
     * @defaultValue admin
     */
    sampler: z.enum(['jmx-scrape', 'prometheus', 'admin']).default('admin'),
    /** Time between two sampling rounds (CC: metric.sampling.interval.ms). @defaultValue 120000 */
    samplingIntervalMs: positiveMs.min(100).default(120_000),
    /** Length of one aggregation window (CC: partition.metrics.window.ms). @defaultValue 300000 */
    windowMs: positiveMs.min(100).default(300_000),
    /** Complete windows kept (CC: num.partition.metrics.windows). @defaultValue 5 */
    numWindows: z.number().int().min(1).max(1000).default(5),
    /** Samples a window needs to need no extrapolation (CC: min.samples.per.partition.metrics.window). @defaultValue 3 */
    minSamplesPerWindow: z.number().int().min(1).default(3),
    /** Valid windows the model needs to be ready (at most numWindows). @defaultValue 3 */
    minValidWindows: z.number().int().min(1).default(3),
    /** Share of partitions that must be valid (CC: min.valid.partition.ratio). @defaultValue 0.995 */
    minValidPartitionRatio: z.number().gt(0).max(1).default(0.995),
    /** Longest one sampler request (a scrape, a query) may take. @defaultValue 10000 */
    requestTimeoutMs: positiveMs.default(10_000),
    /** Keep the aggregated windows in Redis so a restart resumes warm. @defaultValue true */
    persistSamples: z.boolean().default(true),
    jmxScrape: z
      .object({
        /** Endpoint of every broker without an entry in `urls`; `{host}` and `{brokerId}` are filled in. @defaultValue http://{host}:7071/metrics */
        urlTemplate: z
          .string()
          .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL template')
          .default('http://{host}:7071/metrics'),
        /** Per-broker endpoints, `<brokerId>=<url>`. @defaultValue [] */
        urls: z.array(brokerUrl).default([]),
      })
      .strict()
      .prefault({}),
    prometheus: z
      .object({
        /** Base URL of the Prometheus server (required with sampler: prometheus). */
        url: httpUrl.optional(),
        /** Resolution of query_range. @defaultValue 30000 */
        stepMs: positiveMs.min(1000).default(30_000),
        /** `instance` label → broker id; unlisted instances are matched by host name. @defaultValue [] */
        instances: z.array(instanceBroker).default([]),
        queries: prometheusQueries,
      })
      .strict()
      .prefault({}),
    capacity: z
      .object({
        /** Capacity file: Cruise Control's capacity*.json or Ballast's YAML. Estimated for every broker when unset. */
        file: readableFile.optional(),
        /** A broker the file does not cover: `estimate` (flagged in /load and /state) or `error`. @defaultValue estimate */
        onMissing: z.enum(['estimate', 'error']).default('estimate'),
        /** Estimated CPU, cores. @defaultValue 1 */
        estimatedCpuCores: z.number().positive().default(1),
        /** Estimated network in, KB/s (1 Gbit/s). @defaultValue 125000 */
        estimatedNetworkInKBps: z.number().positive().default(125_000),
        /** Estimated network out, KB/s (1 Gbit/s). @defaultValue 125000 */
        estimatedNetworkOutKBps: z.number().positive().default(125_000),
        /** Estimated disk per log dir, MB, when Kafka does not report the volume size. @defaultValue 1000000 */
        estimatedDiskMbPerLogDir: z.number().positive().default(1_000_000),
      })
      .strict()
      .prefault({}),
    cpuWeights: z
      .object({
        /** CPU weight of a leader's bytes in (Cruise Control's 0.7). @defaultValue 0.7 */
        leaderBytesIn: weight.default(0.7),
        /** CPU weight of a leader's bytes out. @defaultValue 0.15 */
        leaderBytesOut: weight.default(0.15),
        /** CPU weight of a follower's replication bytes in. @defaultValue 0.15 */
        followerBytesIn: weight.default(0.15),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.minValidWindows > m.numWindows) {
      ctx.addIssue({
        code: 'custom',
        path: ['minValidWindows'],
        message: `must not exceed numWindows (${m.numWindows}), got ${m.minValidWindows}`,
      });
    }
    if (m.samplingIntervalMs > m.windowMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['samplingIntervalMs'],
        message: `must not exceed windowMs (${m.windowMs}): a window would get no sample`,
      });
    }
    if (m.sampler === 'prometheus' && m.prometheus.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['prometheus', 'url'], message: 'required when sampler is prometheus' });
    }
    const seen = new Set<string>();
    for (const entry of m.jmxScrape.urls) {
      const id = entry.slice(0, entry.indexOf('='));
      if (seen.has(id)) {
        ctx.addIssue({ code: 'custom', path: ['jmxScrape', 'urls'], message: `broker ${id} is listed twice` });
      }
      seen.add(id);
    }
  })
  .prefault({});

export type MonitorConfig = z.output<typeof monitorSchema>;
