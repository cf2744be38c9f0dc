// Cruise Control's OptimizationResult (GET /proposals, responses/optimizationResult.yaml) from a
// proposal, plus Ballast's failure-budget report, and its plain-text summary.
import { estimatedExecutionMs, type FailureBudgetReport, type Proposal } from '../analyzer/index.js';
import type { ClusterModelStats } from '../analyzer/index.js';
import { topicPartitionName } from '../common/index.js';
import { brokerStats, type BrokerStats } from './broker-stats.js';

/** One partition move as Cruise Control answers it (its schema's `ExecutionProposal`). */
export interface PartitionMoveJson {
  topicPartition: string;
  oldLeader: number;
  oldReplicas: number[];
  newReplicas: number[];
  /** Ballast: the leader after (Cruise Control puts it first in `newReplicas`). */
  newLeader: number;
}

export interface GoalStatusJson {
  goal: string;
  status: 'VIOLATED' | 'FIXED' | 'NO-ACTION';
  clusterModelStats: ClusterModelStats;
  optimizationTimeMs: number;
}

export interface OptimizationResultJson {
  version: 1;
  proposals?: PartitionMoveJson[];
  loadBeforeOptimization?: BrokerStats;
  loadAfterOptimization: BrokerStats;
  summary: {
    numReplicaMovements: number;
    dataToMoveMB: number;
    numIntraBrokerReplicaMovements: number;
    intraBrokerDataToMoveMB: number;
    numLeaderMovements: number;
    recentWindows: number;
    monitoredPartitionsPercentage: number;
    excludedTopics: string[];
    excludedBrokersForReplicaMove: number[];
    excludedBrokersForLeadership: number[];
    onDemandBalancednessScoreBefore: number;
    onDemandBalancednessScoreAfter: number;
    provisionStatus: 'UNDECIDED';
    provisionRecommendation: string;
  };
  goalSummary: GoalStatusJson[];
  /** Ballast: whether the cluster survives the loss of any one broker, before and after. */
  failureBudget: { before: FailureBudgetReport; after: FailureBudgetReport };
  /**
   * Ballast: the broker with the most MB to send or receive, which sets the pace, and (with
   * `replication_throttle`) the least time the moves take at that per-broker rate.
   */
  /** Ballast: MB moved against the LP lower bound for the bands met (`gap` = moved / bound). */
  optimality: Record<string, unknown>;
  execution: { busiestBroker: number; busiestBrokerMB: number; replicationThrottle?: number; estimatedTimeMs?: number };
  /** Ballast: served from the proposal cache. */
  cached: boolean;
}

export function optimizationResult(
  proposal: Proposal,
  options: { verbose: boolean; excludedTopics: string[]; replicationThrottle?: number },
): OptimizationResultJson {
  const { result, before, after } = proposal;
  // Cruise Control lists the new leader first among the new replicas; Ballast keeps Kafka's order
  // (the executor reorders when it applies the move) and states the leader separately.
  const proposals: PartitionMoveJson[] = result.proposals.map((p) => ({
    topicPartition: topicPartitionName(p.topic, p.partitionNumber),
    oldLeader: p.oldLeader,
    oldReplicas: [...p.oldReplicas],
    newReplicas: [...p.newReplicas],
    newLeader: p.newLeader,
  }));
  let intraBrokerMoves = 0;
  let intraBrokerMb = 0;
  const m = after.model;
  for (let r = 0; r < m.replicaCount; r++) {
    if (m.replicaBroker[r] === m.originalBroker[r] && m.replicaDisk[r] !== m.originalDisk[r]) {
      intraBrokerMoves++;
      intraBrokerMb += m.followerLoad[m.replicaPartition[r]! * 4 + 3]!;
    }
  }
  const total = before.model.partitionCount;
  return {
    version: 1,
    proposals,
    ...(options.verbose
      ? { loadBeforeOptimization: brokerStats(before, { populateDiskInfo: false, capacityOnly: false }) }
      : {}),
    loadAfterOptimization: brokerStats(after, { populateDiskInfo: false, capacityOnly: false }),
    summary: {
      numReplicaMovements: result.replicaMoves,
      dataToMoveMB: Math.round(result.dataToMoveMb),
      numIntraBrokerReplicaMovements: intraBrokerMoves,
      intraBrokerDataToMoveMB: Math.round(intraBrokerMb),
      numLeaderMovements: result.leaderMoves,
      recentWindows: before.windowStartsMs.length,
      monitoredPartitionsPercentage: total === 0 ? 0 : ((total - before.partitionsWithoutLoad) * 100) / total,
      excludedTopics: options.excludedTopics,
      excludedBrokersForReplicaMove: [],
      excludedBrokersForLeadership: [],
      onDemandBalancednessScoreBefore: result.balancednessBefore,
      onDemandBalancednessScoreAfter: result.balancednessAfter,
      provisionStatus: 'UNDECIDED',
      provisionRecommendation: '',
    },
    goalSummary: result.goals.map((g) => ({
      goal: g.name,
      status: !g.after.satisfied ? 'VIOLATED' : g.before.satisfied ? 'NO-ACTION' : 'FIXED',
      clusterModelStats: g.statsAfter,
      optimizationTimeMs: Math.round(g.durationMs),
    })),
    failureBudget: { before: result.failureBudgetBefore, after: result.failureBudgetAfter },
    optimality: {
      ...proposal.optimality,
      ...(proposal.optimality.status === 'bounded' && proposal.optimality.lowerBoundMb > 0
        ? { gap: proposal.optimality.movedMb / proposal.optimality.lowerBoundMb }
        : {}),
    },
    execution: {
      busiestBroker: result.transfer.busiestBroker,
      busiestBrokerMB: Math.round(result.transfer.busiestBrokerMb),
      ...(options.replicationThrottle === undefined
        ? {}
        : {
            replicationThrottle: options.replicationThrottle,
            estimatedTimeMs: estimatedExecutionMs(result.transfer, options.replicationThrottle),
          }),
    },
    cached: proposal.fromCache,
  };
}

export function optimizationResultText(json: OptimizationResultJson): string {
  const s = json.summary;
  const lines = [
    `Optimization has ${s.numReplicaMovements} inter-broker replica (${s.dataToMoveMB} MB) moves, ` +
      `${s.numIntraBrokerReplicaMovements} intra-broker replica (${s.intraBrokerDataToMoveMB} MB) moves and ` +
      `${s.numLeaderMovements} leadership moves with a cluster model of ${s.recentWindows} recent windows and ` +
      `${s.monitoredPartitionsPercentage.toFixed(3)}% of the partitions covered.`,
    `On-demand balancedness score before (${s.onDemandBalancednessScoreBefore.toFixed(3)}) after (${s.onDemandBalancednessScoreAfter.toFixed(3)}).`,
    `Survives the loss of any one broker: before ${json.failureBudget.before.survivesAnySingleBrokerLoss ? 'yes' : 'no'}, after ${json.failureBudget.after.survivesAnySingleBrokerLoss ? 'yes' : 'no'}` +
      (json.failureBudget.after.worstCase ? ` (worst case: ${json.failureBudget.after.worstCase.detail})` : '') +
      '.',
    json.optimality.status === 'bounded'
      ? `Data to move ${Number(json.optimality.movedMb).toFixed(0)} MB; no plan meeting the ${(json.optimality.resources as string[]).join(' and ')} bands moves less than ${Number(json.optimality.lowerBoundMb).toFixed(0)} MB.`
      : `Optimality bound: ${String(json.optimality.status)} (${typeof json.optimality.reason === 'string' ? json.optimality.reason : ''}).`,
    ...(json.execution.estimatedTimeMs === undefined
      ? []
      : [
          `At ${json.execution.replicationThrottle} B/s per broker the moves take at least ${(json.execution.estimatedTimeMs / 1000).toFixed(0)} s (broker ${json.execution.busiestBroker} moves ${json.execution.busiestBrokerMB} MB).`,
        ]),
    ...json.goalSummary.map((g) => `${g.goal}: ${g.status} (${g.optimizationTimeMs} ms)`),
  ];
  return `${lines.join('\n')}\n`;
}
