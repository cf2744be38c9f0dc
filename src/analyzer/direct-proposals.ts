// Proposals built directly, without running goals: demote_broker (leadership off brokers) and
// topic_configuration (a new replication factor). Each is told in the shape the optimizer's
// proposals have, so the API, the executor and the metrics take them alike.
import type { GoalThresholds } from '../../goals/index.js';
import type { ClusterModel, PartitionMove } from '../model/index.js';
import type { Workload } from '../monitor/index.js';
import { balancednessScore } from './balancedness.js';
import { failureBudgetReport } from './failure-budget.js';
import { demotionProposals, replicationFactorProposals, type DemotionResult } from './operations/index.js';
import type { OptimizationResult } from './optimizer.js';
import type { DemotionRequest, Proposal, ReplicationFactorRequest } from './proposal.js';

export type DirectOperation = 'demote_broker' | 'topic_configuration';

/**
 * Moves leadership off `request.brokerIds` and puts them last in every replica list: no data
 * moves. Partitions that cannot be demoted are listed in `demotion.skipped`.
 */
export function demotionProposal(
  workload: Workload,
  request: DemotionRequest,
  thresholds: GoalThresholds,
): Proposal & { demotion: DemotionResult } {
  const started = performance.now();
  const demotion = demotionProposals(workload.model, request.brokerIds, {
    skipUrpDemotion: request.skipUrpDemotion,
    excludeFollowerDemotion: request.excludeFollowerDemotion,
    excludedTopics: request.excludedTopics,
  });
  // The model cannot hold a replica order, but it holds leadership: the "after" shows the new leaders.
  const after = workload.model.clone();
  for (const p of demotion.proposals) {
    for (let r = after.replicaStart(p.partition); r < after.replicaEnd(p.partition); r++) {
      if (after.brokerKafkaId(after.replicaBroker[r]!) === p.newLeader && after.partitionLeader[p.partition] !== r)
        after.moveLeadership(p.partition, r);
    }
  }
  return { ...directProposal(workload, after, demotion.proposals, started, 'demote_broker', thresholds), demotion };
}

/**
 * Adds or drops replicas so every partition of the matching topics has the requested replication
 * factor. New replicas go rack-aware onto the least-used brokers; dropped ones are never the leader.
 */
export function replicationFactorProposal(
  workload: Workload,
  request: ReplicationFactorRequest,
  thresholds: GoalThresholds,
): Proposal & { topics: string[] } {
  const started = performance.now();
  const model = workload.model;
  const { proposals, topics } = replicationFactorProposals(model, {
    topicPattern: request.topicPattern,
    replicationFactor: request.replicationFactor,
    minInsyncReplicas: (topic) => {
      const t = model.topicIndex(topic);
      return t < 0 ? undefined : workload.topicMinInsyncReplicas[t];
    },
    excludedBrokers: request.excludedBrokers ? new Set(request.excludedBrokers) : undefined,
    skipRackAwarenessCheck: request.skipRackAwarenessCheck,
  });
  // The model's replica slots are fixed, so the "after" load is the "before" one: the proposal
  // and its data to move are exact, the per-broker load after is not shown changed.
  return {
    ...directProposal(workload, model.clone(), proposals, started, 'topic_configuration', thresholds),
    topics,
  };
}

/** A proposal built directly (no goal ran), in the shape the optimizer's proposals have. */
function directProposal(
  workload: Workload,
  after: ClusterModel,
  proposals: PartitionMove[],
  startedMs: number,
  operation: DirectOperation,
  thresholds: GoalThresholds,
): Proposal {
  const model = workload.model;
  let replicaMoves = 0;
  let dataToMoveMb = 0;
  const receivedMb = new Map<number, number>();
  for (const p of proposals) {
    const sizeMb = model.partitionSizeMb(p.partition);
    for (const b of p.newReplicas) {
      if (p.oldReplicas.includes(b)) continue;
      replicaMoves++;
      dataToMoveMb += sizeMb;
      receivedMb.set(b, (receivedMb.get(b) ?? 0) + sizeMb);
    }
  }
  const busiest = [...receivedMb].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  const result: OptimizationResult = {
    proposals,
    goals: [],
    replicaMoves,
    leaderMoves: proposals.filter((p) => p.oldLeader !== p.newLeader).length,
    dataToMoveMb,
    balancednessBefore: balancednessScore([]),
    balancednessAfter: balancednessScore([]),
    transfer: { busiestBroker: busiest?.[0] ?? -1, busiestBrokerMb: busiest?.[1] ?? 0 },
    failureBudgetBefore: failureBudgetReport(model, thresholds, workload.topicMinInsyncReplicas),
    failureBudgetAfter: failureBudgetReport(after, thresholds, workload.topicMinInsyncReplicas),
    durationMs: performance.now() - startedMs,
  };
  return {
    before: workload,
    after: { ...workload, model: after },
    result,
    optimality: {
      status: 'skipped',
      simpleBoundMb: 0,
      reason: `${operation} is not an optimization`,
      movedMb: dataToMoveMb,
      resources: [],
    },
    goals: [],
    computedAtMs: Date.now(),
    fromCache: false,
  };
}
