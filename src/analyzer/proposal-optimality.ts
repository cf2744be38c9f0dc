// How close a proposal's moved bytes are to the least any plan must move: the LP bound, for the
// DISK and NW_IN distribution bands the proposal met (a bound is only a bound for bands a plan meets).
import type { GoalThresholds } from '../../goals/index.js';
import { Resource, type ClusterModel } from '../model/index.js';
import { optimalityBound } from './optimality-bound.js';
import type { OptimizationResult } from './optimizer.js';
import type { Proposal } from './proposal.js';

export function proposalOptimality(
  model: ClusterModel,
  result: OptimizationResult,
  thresholds: GoalThresholds,
  excludedTopics: RegExp | undefined,
): Proposal['optimality'] {
  const met = (name: string) => result.goals.some((g) => g.name === name && g.after.satisfied);
  const resources = [
    ...(met('DiskUsageDistributionGoal') ? [Resource.DISK] : []),
    ...(met('NetworkInboundUsageDistributionGoal') ? [Resource.NW_IN] : []),
  ];
  const names = resources.map((r) => (r === Resource.DISK ? 'DISK' : 'NW_IN'));
  const movedMb = result.dataToMoveMb;
  if (resources.length === 0) {
    return {
      status: 'skipped',
      simpleBoundMb: 0,
      reason: 'the proposal meets no DISK or NW_IN distribution band',
      movedMb,
      resources: names,
    };
  }
  const bound = optimalityBound(model, {
    thresholds,
    resources,
    canMovePartition: excludedTopics ? (p) => !excludedTopics.test(model.topicNameOf(p)) : undefined,
  });
  return { ...bound, movedMb, resources: names };
}
