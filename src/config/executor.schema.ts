// The `executor` section of the configuration: how often an execution is stepped, its default
// concurrency limits and movement strategies (Cruise Control's names in the comments, each
// overridable per request), the default replication throttle and the leadership timeout.
import { z } from 'zod';
import { positiveMs } from './schema-parts.js';

const STRATEGIES = [
  'PrioritizeSmallReplicaMovementStrategy',
  'PrioritizeLargeReplicaMovementStrategy',
  'PostponeUrpReplicaMovementStrategy',
  'PrioritizeMinIsrWithOfflineReplicasStrategy',
  'PrioritizeOneAboveMinIsrWithOfflineReplicasStrategy',
  'BaseReplicaMovementStrategy',
] as const;

export const executorSchema = z
  .object({
    /** Time between two steps of an execution: check progress, start what may start (`execution.progress.check.interval.ms`). @defaultValue 5000 */
    stepIntervalMs: positiveMs.default(5_000),
    /** `num.concurrent.partition.movements.per.broker` @defaultValue 5 */
    concurrentPartitionMovementsPerBroker: z.number().int().min(1).default(5),
    /** `max.num.cluster.partition.movements` @defaultValue 1250 */
    maxPartitionMovementsInCluster: z.number().int().min(1).default(1_250),
    /** `num.concurrent.intra.broker.partition.movements` @defaultValue 2 */
    concurrentIntraBrokerPartitionMovements: z.number().int().min(1).default(2),
    /** `num.concurrent.leader.movements` @defaultValue 1000 */
    concurrentLeaderMovements: z.number().int().min(1).default(1_000),
    /** `replica.movement.strategies`, chained in order; the base strategy is always last. @defaultValue [] */
    replicaMovementStrategies: z.array(z.enum(STRATEGIES)).default([]),
    /** `default.replication.throttle` in bytes per second per broker; 0 = no throttle. @defaultValue 0 */
    defaultReplicationThrottleBytesPerSecond: z.number().int().min(0).default(0),
    /** `leader.movement.timeout.ms`: a leadership move not done by then is reported DEAD. @defaultValue 180000 */
    leaderMovementTimeoutMs: positiveMs.default(180_000),
  })
  .strict()
  .prefault({});
