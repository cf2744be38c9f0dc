// The `executor` section of the configuration: how often an execution is stepped, its default
// concurrency limits and movement strategies (Cruise Control's names in the comments, each
// overridable per request), the default replication throttle (static or adaptive) and the
// leadership timeout, and whether cluster trouble pauses new moves.
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

/** Adaptive throttles: each broker's rate from its live network headroom, re-derived while an execution runs. */
const adaptiveThrottleSchema = z
  .object({
    /**
     * Executions started without an explicit `replication_throttle` derive each broker's rate from
     * its network headroom instead of using defaultReplicationThrottleBytesPerSecond. @defaultValue false
     */
    enabled: z.boolean().default(false),
    /** Share of a broker's headroom (network capacity minus client traffic) the moves may use. @defaultValue 0.5 */
    headroomFraction: z.number().gt(0).max(1).default(0.5),
    /** Lowest rate, so moves finish even on a busy broker (1 MiB/s). @defaultValue 1048576 */
    floorBytesPerSecond: z.number().int().min(1).default(1_048_576),
    /** Highest rate (100 MiB/s). @defaultValue 104857600 */
    ceilingBytesPerSecond: z.number().int().min(1).default(104_857_600),
    /** How often the rates are derived again while an execution runs. @defaultValue 60000 */
    recomputeIntervalMs: positiveMs.default(60_000),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.floorBytesPerSecond > a.ceilingBytesPerSecond) {
      ctx.addIssue({
        code: 'custom',
        path: ['floorBytesPerSecond'],
        message: `must not exceed ceilingBytesPerSecond (${a.ceilingBytesPerSecond}), got ${a.floorBytesPerSecond}`,
      });
    }
  })
  .prefault({});

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
    /**
     * Start no new move while a broker that was alive when the execution started is dead, or more
     * partitions are under-replicated outside the execution's moves than at its start; moves in
     * flight carry on, and new ones resume once it clears. @defaultValue true
     */
    pauseOnClusterTrouble: z.boolean().default(true),
    adaptiveThrottle: adaptiveThrottleSchema,
  })
  .strict()
  .prefault({});
