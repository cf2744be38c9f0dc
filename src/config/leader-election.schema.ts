// The `leaderElection` section: hot standby replicas. With it on, an instance acts only while it
// holds a lock in Redis; the others wait, answering /ready with 503 until the lock is theirs.
import { z } from 'zod';

/** Shortest lease: renewal runs every ttl/3, and Redis round trips and pauses need room within that. */
export const MIN_LEADER_TTL_MS = 3_000;

export const leaderElectionSchema = z
  .object({
    /** Take the leader lock before starting; needed whenever more than one instance shares a cluster and Redis. @defaultValue false */
    enabled: z.boolean().default(false),
    /**
     * Lifetime of the lock; the leader renews it every ttl/3. A leader that cannot renew exits
     * before it runs out, and a standby takes over at most this long after a leader dies. @defaultValue 15000
     */
    ttlMs: z.number().int().min(MIN_LEADER_TTL_MS).max(600_000).default(15_000),
    /** How often a standby tries to take the lock. @defaultValue 2000 */
    retryIntervalMs: z.number().int().min(100).max(600_000).default(2_000),
  })
  .strict()
  .prefault({});

export type LeaderElectionConfig = z.output<typeof leaderElectionSchema>;
