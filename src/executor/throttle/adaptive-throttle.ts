// Adaptive replication throttles: each broker's rate from its live network headroom (capacity minus
// client traffic, times a fraction, within a floor and a ceiling), and which brokers' rates moved
// enough to be worth re-applying. Pure; the engine gets the traffic from an injected provider.

/** One broker's network capacity and the client (non-replication) traffic it carries, bytes per second. */
export interface BrokerTraffic {
  networkInCapacityBytesPerSecond: number;
  networkOutCapacityBytesPerSecond: number;
  /** Produced bytes the broker receives as a leader (replication fetches excluded). */
  clientBytesInPerSecond: number;
  /** Consumed bytes the broker sends as a leader (replication fetches excluded). */
  clientBytesOutPerSecond: number;
}

/** Live traffic by Kafka broker id, or null while it is not known (no load model yet). */
export type BrokerTrafficProvider = () => Map<number, BrokerTraffic> | null;

export interface AdaptiveThrottleOptions {
  /** Share of a broker's network headroom replication may use. */
  headroomFraction: number;
  /** Never throttle below this, so moves finish even on a busy broker. */
  floorBytesPerSecond: number;
  /** Never allow more than this. */
  ceilingBytesPerSecond: number;
}

export interface AdaptiveThrottleSettings extends AdaptiveThrottleOptions {
  /** How often the rates are derived again while an execution runs. */
  recomputeIntervalMs: number;
}

/**
 * A new rate replaces the one set only when it differs by more than this share of it: measured
 * traffic jitters, and every change is a config write on the broker.
 */
export const MIN_RELATIVE_RATE_CHANGE = 0.1;

/**
 * Adaptive rate of one broker: its network capacity minus the traffic that is not replication
 * (producers and consumers), times the headroom fraction, within the floor and ceiling. The
 * smaller of the inbound and outbound headroom decides, as a broker both sends and receives.
 */
export function adaptiveRate(broker: BrokerTraffic, options: AdaptiveThrottleOptions): number {
  const headroom = Math.min(
    broker.networkInCapacityBytesPerSecond - broker.clientBytesInPerSecond,
    broker.networkOutCapacityBytesPerSecond - broker.clientBytesOutPerSecond,
  );
  const rate = Math.max(0, headroom) * options.headroomFraction;
  return Math.floor(Math.min(options.ceilingBytesPerSecond, Math.max(options.floorBytesPerSecond, rate)));
}

/**
 * The brokers of `current` (rate set, bytes per second by Kafka id) whose adaptive rate under
 * `traffic` moved by more than {@link MIN_RELATIVE_RATE_CHANGE}, with their new rate. A broker
 * whose traffic is unknown keeps its rate.
 */
export function changedRates(
  current: ReadonlyMap<number, number>,
  traffic: ReadonlyMap<number, BrokerTraffic>,
  options: AdaptiveThrottleOptions,
): Map<number, number> {
  const changed = new Map<number, number>();
  for (const [broker, rate] of current) {
    const t = traffic.get(broker);
    if (t === undefined) continue;
    const next = adaptiveRate(t, options);
    if (Math.abs(next - rate) > rate * MIN_RELATIVE_RATE_CHANGE) changed.set(broker, next);
  }
  return changed;
}
