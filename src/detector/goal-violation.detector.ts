// Goal violation: a dry run of the detection goals on the workload model. A violated goal the dry
// run satisfies is fixable (a rebalance heals it); one it cannot is alerted on only. Skipped while
// brokers or disks are down: those anomalies come first, and the goals would only restate them. Pure
// but for the dry run, which the service hands to the optimizer thread.
import type { Goal, GoalThresholds } from '../../goals/index.js';
import { balancednessScore, optimize, type OptimizationOptions, type OptimizationResult } from '../analyzer/pure.js';
import type { ClusterModel } from '../model/index.js';
import { carryFirstSeen, formatDurationMs, type GoalViolationAnomaly } from './anomaly.js';

export interface GoalViolationInput {
  model: ClusterModel;
  /** The detection goals in priority order. */
  goals: readonly Goal[];
  thresholds: GoalThresholds;
  /** min.insync.replicas per model topic index. */
  topicMinInsyncReplicas: ArrayLike<number>;
}

export interface GoalViolationDetection {
  anomaly: GoalViolationAnomaly | null;
  /** First-seen times of the goals violated now, by name. */
  firstSeen: Record<string, number>;
  /** Balancedness of the detection goals as the cluster is (100 = all satisfied). */
  balancednessScore: number;
}

/** Optimizes a copy of the model (the caller's model stays as it is). */
export type DryRun = (model: ClusterModel, options: OptimizationOptions) => Promise<OptimizationResult>;

/** The dry run on the calling thread. */
export const dryRunHere: DryRun = (model, options) => Promise.resolve(optimize(model.clone(), options));

export async function detectGoalViolations(
  input: GoalViolationInput,
  previous: Readonly<Record<string, number>>,
  nowMs: number,
  dryRun: DryRun = dryRunHere,
): Promise<GoalViolationDetection> {
  const thresholds = { ...input.thresholds, minInsyncReplicas: input.topicMinInsyncReplicas };
  const before = input.goals.map((g) => ({ goal: g, status: g.status(input.model, thresholds) }));
  const score = balancednessScore(before.map((b) => ({ hard: b.goal.hard, satisfied: b.status.satisfied })));
  const violated = before.filter((b) => !b.status.satisfied);
  const firstSeen = carryFirstSeen(
    previous,
    violated.map((v) => v.goal.name),
    nowMs,
  );
  if (violated.length === 0) return { anomaly: null, firstSeen, balancednessScore: score };
  // The dry run: the detection goals, in order, on a copy; what still fails after it is not fixable.
  const fixable = new Set<string>();
  try {
    const result = await dryRun(input.model, {
      goals: input.goals,
      thresholds,
      minInsyncReplicas: input.topicMinInsyncReplicas,
      skipHardGoalCheck: true,
    });
    for (const report of result.goals) if (!report.before.satisfied && report.after.satisfied) fixable.add(report.name);
  } catch {
    // A model the optimizer refuses (e.g. replicas that cannot leave a dead dir): nothing is fixable.
  }
  const names = violated.map((v) => v.goal.name);
  const firstSeenMs = Math.min(...Object.values(firstSeen));
  const details = violated.map((v) => `${v.goal.name}${v.status.details[0] ? ` (${v.status.details[0]})` : ''}`);
  return {
    anomaly: {
      type: 'GOAL_VIOLATION',
      id: `GOAL_VIOLATION:${names.join(',')}`,
      firstSeenMs,
      fixableViolatedGoals: names.filter((n) => fixable.has(n)),
      unfixableViolatedGoals: names.filter((n) => !fixable.has(n)),
      balancednessScore: score,
      description: `violated goals: ${details.join('; ')} (for ${formatDurationMs(nowMs - firstSeenMs)})`,
    },
    firstSeen,
    balancednessScore: score,
  };
}
