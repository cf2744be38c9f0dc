// Replication and log-dir throttles for the moves in flight, as incremental config changes, and
// adaptive per-broker rates (pure).
export {
  adaptiveRate,
  changedRates,
  MIN_RELATIVE_RATE_CHANGE,
  type AdaptiveThrottleOptions,
  type AdaptiveThrottleSettings,
  type BrokerTraffic,
  type BrokerTrafficProvider,
} from './adaptive-throttle.js';
export {
  clearChanges,
  FOLLOWER_THROTTLED_RATE,
  FOLLOWER_THROTTLED_REPLICAS,
  LEADER_THROTTLED_RATE,
  LEADER_THROTTLED_REPLICAS,
  LOG_DIR_MOVE_RATE,
  logDirClearChanges,
  logDirMoveBrokers,
  logDirThrottleChanges,
  participatingBrokers,
  rateChanges,
  rateClearChanges,
  throttleChanges,
  throttledReplicas,
  type ThrottledReplicas,
} from './throttle-plan.js';
export { brokerTrafficOf } from './broker-traffic.js';
export { ExecutionThrottles, type ExecutionThrottlesOptions } from './execution-throttles.js';
