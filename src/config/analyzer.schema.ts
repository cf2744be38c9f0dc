// The `analyzer` section of the configuration: one ordered goal list (with a per-goal hard/soft
// override), a directory of the user's own goal files, and the goals' thresholds under Cruise
// Control's names (in the comments). Goal names are checked against the known goals at start-up.
import { accessSync, constants, statSync } from 'node:fs';
import { z } from 'zod';
import { readableFile } from './schema-parts.js';

/** `GoalName` or `GoalName:hard` / `GoalName:soft`. */
const goalEntry = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(:(hard|soft))?$/, 'expected a goal name, optionally with :hard or :soft');

const readableDirectory = z.string().refine((path) => {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}, 'directory does not exist or is not readable');

const regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const share = z.number().gt(0).max(1);
const balance = z.number().min(1);

export const analyzerSchema = z
  .object({
    /**
     * Goals in priority order (Cruise Control's `default.goals`, with `:hard`/`:soft` instead of a
     * separate `hard.goals`). Empty: Ballast's default chain.
     */
    goals: z.array(goalEntry).default([]),
    /** Directory of the user's own goal files (`*.goal.js`/`*.goal.mjs`, each exporting goals), loaded at start-up. */
    goalFilesDirectory: readableDirectory.optional(),
    capacityThreshold: z
      .object({
        /** `cpu.capacity.threshold` @defaultValue 0.7 */
        cpu: share.default(0.7),
        /** `network.inbound.capacity.threshold` @defaultValue 0.8 */
        networkInbound: share.default(0.8),
        /** `network.outbound.capacity.threshold` @defaultValue 0.8 */
        networkOutbound: share.default(0.8),
        /** `disk.capacity.threshold` @defaultValue 0.8 */
        disk: share.default(0.8),
      })
      .strict()
      .prefault({}),
    balanceThreshold: z
      .object({
        /** `cpu.balance.threshold` @defaultValue 1.1 */
        cpu: balance.default(1.1),
        /** `network.inbound.balance.threshold` @defaultValue 1.1 */
        networkInbound: balance.default(1.1),
        /** `network.outbound.balance.threshold` @defaultValue 1.1 */
        networkOutbound: balance.default(1.1),
        /** `disk.balance.threshold` @defaultValue 1.1 */
        disk: balance.default(1.1),
      })
      .strict()
      .prefault({}),
    /** `replica.count.balance.threshold` @defaultValue 1.1 */
    replicaCountBalanceThreshold: balance.default(1.1),
    /** `leader.replica.count.balance.threshold` @defaultValue 1.1 */
    leaderReplicaCountBalanceThreshold: balance.default(1.1),
    /** `max.replicas.per.broker` @defaultValue 10000 */
    maxReplicasPerBroker: z.number().int().positive().default(10_000),
    topicReplicaCountBalance: z
      .object({
        /** `topic.replica.count.balance.threshold` @defaultValue 3 */
        threshold: balance.default(3),
        /** `topic.replica.count.balance.min.gap` @defaultValue 2 */
        minGap: z.number().int().min(0).default(2),
        /** `topic.replica.count.balance.max.gap` @defaultValue 40 */
        maxGap: z.number().int().min(0).default(40),
      })
      .strict()
      .refine((t) => t.minGap <= t.maxGap, { message: 'minGap must not exceed maxGap', path: ['minGap'] })
      .prefault({}),
    minTopicLeadersPerBroker: z
      .object({
        /** `topics.with.min.leaders.per.broker`: topics (regex, whole name) that need leaders on every broker; empty = none. */
        topicPattern: regex.default(''),
        /** `min.topic.leaders.per.broker` @defaultValue 1 */
        minLeaders: z.number().int().min(1).default(1),
      })
      .strict()
      .prefault({}),
    /**
     * How often the default proposal is recomputed in the background when the model changed, so a
     * plain GET /proposals is served from the cache; 0 turns it off. @defaultValue 60000
     */
    proposalRefreshIntervalMs: z.number().int().min(0).default(60_000),
    /**
     * Run the goals on a worker thread, so the HTTP API, health checks, metrics and the leader lock
     * keep answering while a large cluster's proposal is computed (a minute at 2.8M replicas);
     * false runs them on the main thread. @defaultValue true
     */
    optimizerThread: z.boolean().default(true),
    /** Cruise Control's brokerSets.json (`broker.set.config.file`), for BrokerSetAwareGoal. */
    brokerSetsFile: readableFile.optional(),
  })
  .strict()
  .prefault({});
