// What the goal tests share: a default goal by name, and the seeded property checks several goals
// run alike (holds or fails by name; never worse on its own terms under later goals).
import { expect } from 'vitest';
import { diskUsageDistributionGoal } from '../../goals/disk-usage-distribution.goal.js';
import { GOALS_BY_NAME } from '../../goals/index.js';
import { leaderReplicaDistributionGoal } from '../../goals/leader-replica-distribution.goal.js';
import { networkOutboundUsageDistributionGoal } from '../../goals/network-outbound-usage-distribution.goal.js';
import { replicaDistributionGoal } from '../../goals/replica-distribution.goal.js';
import { DEFAULT_THRESHOLDS, type Goal, type GoalThresholds } from '../../goals/support/goal.js';
import { DrainError, HardGoalViolationError, optimize } from '../../src/analyzer/index.js';
import { generateSyntheticModel, type ClusterModel } from '../../src/model/index.js';
import { randomModel } from '../fixtures/random-model.js';
import { expectInvariants } from './model-invariants.js';

/** The default goal of that name. */
export const goal = (name: string): Goal => GOALS_BY_NAME.get(name)!;

/**
 * Seeded random models: after optimizing with `goal` (then ReplicaDistributionGoal, which it must
 * constrain) the goal holds, or optimization failed naming it; the model stays consistent.
 */
export function expectHoldsOrFailsByName(goal: Goal, thresholds: (m: ClusterModel) => GoalThresholds): void {
  let held = 0;
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const m = randomModel(seed, { brokers: 8, racks: 3, partitions: 80, maxReplicationFactor: 4 });
    const t = thresholds(m);
    try {
      const result = optimize(m, { goals: [goal, replicaDistributionGoal], thresholds: t });
      expect(result.goals[0]!.after.satisfied, `seed ${seed}`).toBe(true);
      expect(goal.status(m, t).satisfied, `seed ${seed} after ReplicaDistributionGoal`).toBe(true);
      held++;
    } catch (error) {
      // Some seeds have replicas on failed disks with too few live brokers to re-home them.
      if (!(error instanceof DrainError)) {
        expect(error).toBeInstanceOf(HardGoalViolationError);
        expect((error as HardGoalViolationError).goal).toBe(goal.name);
      }
    }
    expectInvariants(m);
  }
  // The generator must yield feasible models too, or the test would prove nothing.
  expect(held).toBeGreaterThan(0);
}

const LATER_GOALS = [
  replicaDistributionGoal,
  diskUsageDistributionGoal,
  networkOutboundUsageDistributionGoal,
  leaderReplicaDistributionGoal,
];
const SEEDED_MODELS: [string, () => ClusterModel][] = [
  ...[1, 2, 3, 4].map((seed): [string, () => ClusterModel] => [
    `random ${seed}`,
    () => randomModel(seed, { brokers: 8, partitions: 120 }),
  ]),
  ...(['hot-broker', 'new-empty-broker'] as const).map((skew, i): [string, () => ClusterModel] => [
    `synthetic ${skew}`,
    () =>
      generateSyntheticModel({
        seed: 11 + i,
        brokers: 9,
        racks: 3,
        partitions: 300,
        topics: 12,
        skew,
        cpuCapacity: 1000,
        nwCapacityKBps: 40_000,
      }),
  ]),
];
// A tighter topic band than Cruise Control's default, so the generated topics have something to fix.
const TIGHT_TOPIC_THRESHOLDS = {
  ...DEFAULT_THRESHOLDS,
  topicReplicaCountBalance: { threshold: 1.5, minGap: 1, maxGap: 40 },
};

/**
 * On seeded random and synthetic models, `goal` then four distribution goals: the goal never gets
 * worse on its own pass nor under the later goals, the model stays consistent, the sums it tracked
 * through accepted moves equal a fresh count, and the excluded topic never moves.
 */
export function expectNeverWorseOnSeededModels(goal: Goal): void {
  const thresholds = TIGHT_TOPIC_THRESHOLDS;
  for (const [name, make] of SEEDED_MODELS) {
    const m = make();
    const result = optimize(m, { goals: [goal, ...LATER_GOALS], thresholds, excludedTopics: /^topic-1$/ });
    expectInvariants(m);
    const own = result.goals[0]!;
    expect(own.after.violations, `${name}: its own pass`).toBeLessThanOrEqual(own.before.violations);
    const scope = (p: number) => m.tables.topicNames[m.partitionTopic[p]!] !== 'topic-1';
    const end = goal.status(m, thresholds, scope);
    expect(end.violations, `${name}: after later goals`).toBeLessThanOrEqual(own.after.violations);
    // A clone is a new model to the goal's caches: its status is computed from scratch.
    expect(goal.status(m.clone(), thresholds, scope), name).toEqual(end);
    for (const proposal of result.proposals) expect(proposal.topic).not.toBe('topic-1');
  }
}
