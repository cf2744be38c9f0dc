// The shapes of broker capacities once read from a file, in Cruise Control's units.

/** Broker id Cruise Control uses for the default capacity entry. */
export const DEFAULT_BROKER_ID = -1;

/**
 * CPU capacity exactly as the file gave it: a percentage of the broker (Cruise Control's classic
 * `"CPU": "100"`) or a core count (`"CPU": { "num.cores": "16" }`). Kept apart on purpose: turning
 * one into the other needs the broker's real core count, which the file does not know.
 */
export type CpuCapacity = { percent: number } | { cores: number };

/** What one broker can carry. Units as Cruise Control: disk in MB, network in KB/s. */
export interface BrokerCapacity {
  /** The broker this entry is for; {@link DEFAULT_BROKER_ID} (-1) for the default entry. */
  brokerId: number;
  cpu: CpuCapacity;
  /** Inbound network throughput, KB/s. */
  nwInKBps: number;
  /** Outbound network throughput, KB/s. */
  nwOutKBps: number;
  /** Total disk, MB; for JBOD, the sum of {@link diskMbByLogDir}. */
  diskMb: number;
  /** Disk per log directory (JBOD), MB; null when the file gave one disk figure. */
  diskMbByLogDir: Record<string, number> | null;
  /** Free text the file attached to the entry. */
  doc?: string;
}

/** Every capacity entry of one file. */
export interface CapacitySet {
  /** The entry for brokers without one of their own; null when the file has none. */
  default: BrokerCapacity | null;
  /** Per-broker entries by broker id (never holds the default). */
  byBroker: Map<number, BrokerCapacity>;
  /** Which file format the set came from. */
  format: 'cc-json' | 'ballast-yaml';
}
