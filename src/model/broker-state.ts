// Bit flags describing a broker's state in `ClusterModel.brokerState`.

/**
 * Flags OR-ed into `ClusterModel.brokerState[broker]`. Bits, not an enum, because the states
 * combine: a new broker can be excluded from leadership, a demoted one is still alive.
 */
export const BrokerState = {
  /** The broker is up and can host replicas. */
  ALIVE: 1,
  /** The broker was just added; goals prefer moving replicas onto it. */
  NEW: 2,
  /** The broker is being demoted: leadership should move away from it. */
  DEMOTED: 4,
  /** The user asked that no leadership move onto this broker. */
  EXCLUDED_FOR_LEADERSHIP: 8,
  /** The user asked that no replica move onto this broker. */
  EXCLUDED_FOR_REPLICA_MOVE: 16,
} as const;

/** True when every bit of `flag` is set in `state`. */
export function hasBrokerState(state: number, flag: number): boolean {
  return (state & flag) === flag;
}
