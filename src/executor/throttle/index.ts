// Replication throttles for the moves in flight, as incremental config changes (pure).
export {
  adaptiveRate,
  clearChanges,
  FOLLOWER_THROTTLED_RATE,
  FOLLOWER_THROTTLED_REPLICAS,
  LEADER_THROTTLED_RATE,
  LEADER_THROTTLED_REPLICAS,
  LOG_DIR_MOVE_RATE,
  participatingBrokers,
  throttleChanges,
  throttledReplicas,
  type AdaptiveThrottleOptions,
  type ThrottledReplicas,
} from './throttle-plan.js';
