// The `detector` section of the configuration: how often the anomaly detectors run, per anomaly type
// whether it is detected, when it is alerted on and when it is healed (Cruise Control's
// broker.failure.alert.threshold.ms / broker.failure.self.healing.threshold.ms and
// self.healing.<type>.enabled), the N-1 failure budget, and where alerts go.
import { z } from 'zod';
import { positiveMs } from './schema-parts.js';

const durationMs = z.number().int().min(0);

/** One anomaly type's policy; `defaults` are that type's documented defaults. */
function policySchema(defaults: { alertThresholdMs: number; fixThresholdMs: number }) {
  return z.object({
    /** Detect this type at all. @defaultValue true */
    enabled: z.boolean().default(true),
    /** How long the anomaly must last before it is alerted on. */
    alertThresholdMs: durationMs.default(defaults.alertThresholdMs),
    /** How long the anomaly must last before it is healed (when self-healing is on for the type). */
    fixThresholdMs: durationMs.default(defaults.fixThresholdMs),
    /** Heal this type automatically; switchable at run time with POST /admin. @defaultValue false */
    selfHealing: z.boolean().default(false),
  });
}

/** Alert first, heal later: a fix threshold below the alert threshold would heal without warning. */
function thresholdsInOrder(p: { alertThresholdMs: number; fixThresholdMs: number }, ctx: z.RefinementCtx): void {
  if (p.fixThresholdMs < p.alertThresholdMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['fixThresholdMs'],
      message: `must not be below alertThresholdMs (${p.alertThresholdMs}), got ${p.fixThresholdMs}`,
    });
  }
}

/** `topic-regex=RF` (environment form) or `{ topicPattern, replicationFactor }` (file form). */
const replicationFactorTarget = z
  .union([
    z.object({ topicPattern: z.string().min(1), replicationFactor: z.number().int().min(1).max(32_767) }).strict(),
    z
      .string()
      .regex(/^.+=\d+$/, 'expected topic-regex=replicationFactor')
      .transform((s) => {
        const at = s.lastIndexOf('=');
        return { topicPattern: s.slice(0, at), replicationFactor: Number(s.slice(at + 1)) };
      }),
  ])
  .refine(
    (t) => {
      try {
        new RegExp(t.topicPattern);
        return t.replicationFactor >= 1;
      } catch {
        return false;
      }
    },
    { message: 'topicPattern must be a valid regular expression and replicationFactor at least 1' },
  );

/** Cruise Control's default anomaly.detection.goals, plus Ballast's N-1 check. */
export const DEFAULT_DETECTION_GOALS = [
  'RackAwareGoal',
  'MinTopicLeadersPerBrokerGoal',
  'ReplicaCapacityGoal',
  'DiskCapacityGoal',
  'FailureBudgetGoal',
] as const;

export const detectorSchema = z
  .object({
    /** Run the anomaly detector at all. @defaultValue true */
    enabled: z.boolean().default(true),
    /** How often broker failures, disk failures and topic anomalies are looked for. @defaultValue 30000 */
    intervalMs: positiveMs.default(30_000),
    /**
     * Failed brokers (and impaired ones, see countImpairedBrokers) the cluster may have while
     * Ballast still heals by itself; beyond it nothing moves automatically. @defaultValue 1
     */
    failureBudget: z.number().int().min(0).default(1),
    /** A live broker with a failed log dir counts against the failure budget. @defaultValue true */
    countImpairedBrokers: z.boolean().default(true),
    /** Cruise Control's defaults: alert after 15 min, heal after 30 min. */
    brokerFailure: policySchema({ alertThresholdMs: 900_000, fixThresholdMs: 1_800_000 })
      .strict()
      .superRefine(thresholdsInOrder)
      .prefault({}),
    diskFailure: policySchema({ alertThresholdMs: 60_000, fixThresholdMs: 300_000 })
      .strict()
      .superRefine(thresholdsInOrder)
      .prefault({}),
    goalViolation: policySchema({ alertThresholdMs: 0, fixThresholdMs: 600_000 })
      .extend({
        /** How often the detection goals are checked on the model (`goal.violation.detection.interval.ms`). @defaultValue 300000 */
        intervalMs: positiveMs.default(300_000),
        /** Goals checked (`anomaly.detection.goals`); names as in analyzer.goals. */
        goals: z
          .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a goal name'))
          .default([...DEFAULT_DETECTION_GOALS]),
      })
      .strict()
      .superRefine(thresholdsInOrder)
      .prefault({}),
    topicAnomaly: policySchema({ alertThresholdMs: 0, fixThresholdMs: 300_000 })
      .extend({
        /**
         * The replication factor topics must have, first matching pattern (whole name) wins;
         * partitions with fewer replicas are an anomaly. Empty: none checked. @defaultValue []
         */
        targets: z.array(replicationFactorTarget).default([]),
        /**
         * Partitions whose largest replica is bigger than this are an anomaly (alert only: Cruise
         * Control's partition size anomaly). Unset: sizes are not checked.
         */
        maxPartitionSizeBytes: z.number().int().positive().optional(),
      })
      .strict()
      .superRefine(thresholdsInOrder)
      .prefault({}),
    metricAnomaly: policySchema({ alertThresholdMs: 0, fixThresholdMs: 0 })
      .extend({
        /** How far back a broker's own latencies are remembered. @defaultValue 3600000 */
        historyMs: positiveMs.default(3_600_000),
        /** Samples of its own history a broker needs before it can be judged. @defaultValue 10 */
        minHistorySamples: z.number().int().min(1).default(10),
        /** A log flush 99.9th percentile below this is never slow (`slow.broker.log.flush.time.threshold.ms`). @defaultValue 1000 */
        logFlushTimeThresholdMs: z.number().positive().default(1_000),
        /** A produce local-time 99.9th percentile below this is never slow. @defaultValue 1000 */
        produceLocalTimeThresholdMs: z.number().positive().default(1_000),
        /** Brokers receiving less are not judged: their percentiles are noise (`slow.broker.bytes.in.rate.detection.threshold`). @defaultValue 1048576 */
        bytesInRateThresholdBytesPerSecond: z.number().min(0).default(1_048_576),
        /** Percentile of the broker's own history compared with (`slow.broker.metric.history.percentile.threshold`). @defaultValue 90 */
        historyPercentile: z.number().min(0).max(100).default(90),
        /** Slow when above this many times that percentile (`slow.broker.metric.history.margin`). @defaultValue 3 */
        historyMargin: z.number().min(1).default(3),
        /** Percentile of the peers' current values compared with (`slow.broker.peer.metric.percentile.threshold`). @defaultValue 50 */
        peerPercentile: z.number().min(0).max(100).default(50),
        /** And above this many times the peers' percentile (`slow.broker.peer.metric.margin`). @defaultValue 10 */
        peerMargin: z.number().min(1).default(10),
        /** Slowness score (one point per detection found slow, minus one when not) at which a broker is demoted (`slow.broker.demotion.score`). @defaultValue 5 */
        demotionScore: z.number().int().min(1).default(5),
        /** Score at which a demoted broker that stays slow is removed (`slow.broker.decommission.score`). @defaultValue 50 */
        removalScore: z.number().int().min(1).default(50),
        /** Remove, not only demote, a broker that stays slow (`self.healing.slow.broker.removal.enabled`). @defaultValue false */
        removalEnabled: z.boolean().default(false),
      })
      .strict()
      .superRefine(thresholdsInOrder)
      .superRefine((m, ctx) => {
        if (m.removalScore <= m.demotionScore)
          ctx.addIssue({
            code: 'custom',
            path: ['removalScore'],
            message: `must be above demotionScore (${m.demotionScore}), got ${m.removalScore}`,
          });
      })
      .prefault({}),
    alerts: z
      .object({
        /** Where alerts are POSTed; unset = log lines only. */
        webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
        /** `json` (Ballast's alert document) or `slack` (an incoming-webhook `text` payload). @defaultValue json */
        format: z.enum(['json', 'slack']).default('json'),
        /** Longest one webhook POST may take. @defaultValue 5000 */
        timeoutMs: positiveMs.default(5_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});
