// Turns an anomaly into an execution, with Cruise Control's semantics per type: a broker failure is
// a remove_broker of the failed brokers and a disk failure a fix_offline_replicas (hard goals only:
// a repair moves as little as it can), a slow broker a demote_broker (a remove_broker once it has
// stayed slow, when enabled), a goal violation a rebalance, a topic anomaly a topic_configuration
// to the target replication factor.
import { Injectable } from '@nestjs/common';
import { AnalyzerService, type Proposal } from '../analyzer/index.js';
import { ExecutorService } from '../executor/index.js';
import type { Anomaly } from './anomaly.js';
import type { RunningExecution } from './self-healing.policy.js';

export type HealOutcome = { executionId: string; replicaMoves: number } | { executionId: null; reason: string };

@Injectable()
export class SelfHealer {
  constructor(
    private readonly analyzer: AnalyzerService,
    private readonly executor: ExecutorService,
  ) {}

  /** The execution running now, whoever started it; null when none. */
  runningExecution(): RunningExecution | null {
    const last = this.executor.lastKnown();
    if (last === null || (last.status !== 'IN_PROGRESS' && last.status !== 'STOPPING')) return null;
    return { id: last.id, operation: last.operation, status: last.status, startedAtMs: last.startedAtMs };
  }

  /** Asks the running execution to stop, so that a heal can start once it has ended; false when none runs. */
  async stopExecution(reason: string): Promise<boolean> {
    return (await this.executor.stop(reason)) !== null;
  }

  /**
   * Proposes the heal of `anomaly` and starts executing it.
   * @throws LoadMonitorNotReadyError, HardGoalViolationError, DrainError (no proposal), ExecutionInProgressError
   */
  async heal(anomaly: Anomaly): Promise<HealOutcome> {
    await this.analyzer.refreshClusterView();
    const proposal = await this.propose(anomaly);
    const moves = proposal.result.proposals.length;
    if (moves === 0) return { executionId: null, reason: 'the proposal moves nothing' };
    const record = await this.executor.executeProposal({
      operation: `self_healing:${anomaly.type}`,
      reason: `self-healing ${anomaly.id}: ${anomaly.description}`,
      proposal,
    });
    return { executionId: record.id, replicaMoves: proposal.result.replicaMoves };
  }

  private propose(anomaly: Anomaly): Proposal | Promise<Proposal> {
    const base = {
      rebalanceDisk: false,
      allowCapacityEstimation: true,
      ignoreProposalCache: true,
      skipHardGoalCheck: false,
    } as const;
    switch (anomaly.type) {
      case 'BROKER_FAILURE':
        return this.analyzer.proposals({
          ...base,
          brokersToRemove: Object.keys(anomaly.failedBrokersByTimeMs).map(Number),
          defaultGoals: 'hard',
        });
      case 'DISK_FAILURE':
        return this.analyzer.proposals({ ...base, defaultGoals: 'hard' });
      case 'METRIC_ANOMALY':
        if (anomaly.action === 'REMOVE')
          return this.analyzer.proposals({ ...base, brokersToRemove: anomaly.brokersToRemove, defaultGoals: 'hard' });
        return this.analyzer.demotion({
          brokerIds: anomaly.brokersToDemote,
          skipUrpDemotion: true,
          excludeFollowerDemotion: false,
          allowCapacityEstimation: true,
        });
      case 'GOAL_VIOLATION':
        return this.analyzer.proposals({ ...base, defaultGoals: 'all' });
      case 'TOPIC_ANOMALY': {
        // One target at a time (one heal at a time); the next cycle takes the others.
        const target = anomaly.topics[0]!.targetReplicationFactor;
        const names = anomaly.topics.filter((t) => t.targetReplicationFactor === target).map((t) => t.topic);
        return this.analyzer.replicationFactor({
          topicPattern: new RegExp(`^(?:${names.map(escapeRegExp).join('|')})$`),
          replicationFactor: target,
          allowCapacityEstimation: true,
          skipRackAwarenessCheck: false,
        });
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
