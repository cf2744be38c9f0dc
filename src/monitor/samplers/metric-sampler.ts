// The sampler seam: what every metric source (JMX-exporter scrape, Prometheus, admin API) hands the
// load monitor, and the abstract class the monitor depends on.
import { topicPartitionName } from '../../common/index.js';
import type { ClusterSnapshot } from '../../kafka/index.js';

/** Per-topic rates one broker measured, bytes/s and messages/s. */
export interface TopicRates {
  bytesInPerSec: number;
  bytesOutPerSec: number;
  /** Absent when the source has no message rate. */
  messagesInPerSec?: number;
}

/** A broker's latency percentiles, what slow-broker detection compares with its history and peers. */
export interface BrokerLatency {
  /** 99.9th percentile of the log flush time, ms; null when not measured. */
  logFlushTimeMs999th: number | null;
  /** 99.9th percentile of produce requests' local time (the leader's append), ms; null when not measured. */
  produceLocalTimeMs999th: number | null;
}

/** What a sampler saw of one broker at one instant. A broker that could not be read is absent. */
export interface BrokerPoint {
  brokerId: number;
  /** CPU in percent of the broker (100 = every core busy); null when not measured. */
  cpuPercent: number | null;
  /** Absent when the source does not read latencies. */
  latency?: BrokerLatency;
  /** Per topic; a topic this broker leads but that is missing here was not measured (never assumed idle). */
  topics: Map<string, TopicRates>;
}

/** One instant of measurements across brokers. */
export interface MeasurementPoint {
  /** When the measurements were taken, epoch ms; decides the window the samples fall into. */
  timeMs: number;
  brokers: BrokerPoint[];
  /**
   * Replica sizes in bytes, `topic-partition` → broker id → bytes; null when the source has none and
   * the sizes of the snapshot's log dirs (DescribeLogDirs) are to be used.
   */
  replicaSizes: Map<string, Map<number, number>> | null;
}

/** Something a sampler could not read or had to leave out; counted and reported in /state. */
export interface SamplingProblem {
  /** Short stable category, e.g. `fetch-failed`, `missing-series`, `counter-reset`. */
  kind: string;
  /** The broker concerned, when there is one. */
  brokerId: number | null;
  message: string;
}

/** The outcome of one sampling round. */
export interface SamplingRound {
  /** Zero or more instants, oldest first (a Prometheus range gives several; a scrape at most one). */
  points: MeasurementPoint[];
  problems: SamplingProblem[];
  /** True when CPU is not measured by this source and is estimated from bytes. */
  cpuEstimated: boolean;
  /** Resources this source cannot measure at all, e.g. `NW_OUT` for the admin sampler. */
  unmeasured: string[];
}

/** A metric source. Implementations keep what they need between rounds (previous counters, last time). */
export abstract class MetricSampler {
  /** The `monitor.sampler` value that selects this source. */
  abstract readonly name: 'jmx-scrape' | 'prometheus' | 'admin';

  /**
   * Reads the metrics for the brokers and partitions of `snapshot`, up to `nowMs`. Must not throw for
   * one broker's failure: that broker is left out and a problem is reported.
   */
  abstract sample(snapshot: ClusterSnapshot, nowMs: number): Promise<SamplingRound>;

  /**
   * Tells a source that can read the past (Prometheus) that samples up to `timeMs` are already in
   * the windows (restored after a restart), so it does not add them twice. Others ignore it.
   */
  resumeAfter(timeMs: number): void {
    void timeMs;
  }
}

/** `topic-partition`, the entity key of a partition in samples, windows and size maps. */
export function partitionKey(topic: string, partition: number): string {
  return topicPartitionName(topic, partition);
}
