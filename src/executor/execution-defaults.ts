// The execution options a request starts from, read off the configuration's executor section.
import type { BallastConfig } from '../config/index.js';
import type { ExecutionOptions } from './execution-record.js';

/** Options of a request before its overrides; also what an execution recovered from Kafka runs with. */
export function executionDefaultsOf(c: BallastConfig['executor']): ExecutionOptions {
  return {
    limits: {
      concurrentPartitionMovementsPerBroker: c.concurrentPartitionMovementsPerBroker,
      maxPartitionMovementsInCluster: c.maxPartitionMovementsInCluster,
      concurrentIntraBrokerPartitionMovements: c.concurrentIntraBrokerPartitionMovements,
      concurrentLeaderMovements: c.concurrentLeaderMovements,
    },
    strategies: [...c.replicaMovementStrategies],
    replicationThrottleBytesPerSecond:
      c.defaultReplicationThrottleBytesPerSecond === 0 ? null : c.defaultReplicationThrottleBytesPerSecond,
    leaderMovementTimeoutMs: c.leaderMovementTimeoutMs,
    // A request that names its replication_throttle, or turns the throttle off, is to run 'static':
    // the API overrides this default for it.
    throttleMode: c.adaptiveThrottle.enabled ? 'adaptive' : 'static',
  };
}
