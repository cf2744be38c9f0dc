// Each broker's recent latency percentiles (log flush, produce local time) with its bytes-in rate,
// as the samplers measured them: what slow-broker detection compares a broker with, its own past
// and its peers. Bounded by age and count. Pure.
import type { MeasurementPoint } from './samplers/index.js';

export interface BrokerLatencySample {
  timeMs: number;
  /** 99.9th percentile of the log flush time, ms; null when not measured. */
  logFlushTimeMs999th: number | null;
  /** 99.9th percentile of produce requests' local time, ms; null when not measured. */
  produceLocalTimeMs999th: number | null;
  /** Bytes/s the broker received from clients over the sampling interval. */
  bytesInPerSecond: number;
}

export class BrokerLatencyHistory {
  private readonly byBroker = new Map<number, BrokerLatencySample[]>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxSamplesPerBroker: number,
  ) {}

  /** Adds the latencies of `point`'s brokers (those a source measured) and drops what is too old. */
  record(point: MeasurementPoint): void {
    for (const b of point.brokers) {
      if (b.latency === undefined) continue;
      let bytesInPerSecond = 0;
      for (const rates of b.topics.values()) bytesInPerSecond += rates.bytesInPerSec;
      let samples = this.byBroker.get(b.brokerId);
      if (samples === undefined) this.byBroker.set(b.brokerId, (samples = []));
      samples.push({ timeMs: point.timeMs, ...b.latency, bytesInPerSecond });
    }
    const oldestMs = point.timeMs - this.maxAgeMs;
    for (const [id, samples] of this.byBroker) {
      let drop = 0;
      while (
        drop < samples.length &&
        (samples[drop]!.timeMs < oldestMs || samples.length - drop > this.maxSamplesPerBroker)
      )
        drop++;
      if (drop === samples.length) this.byBroker.delete(id);
      else if (drop > 0) samples.splice(0, drop);
    }
  }

  /** Samples per broker, oldest first. */
  snapshot(): ReadonlyMap<number, readonly BrokerLatencySample[]> {
    return new Map([...this.byBroker].map(([id, samples]) => [id, [...samples]]));
  }
}
