// Turns an anomaly into an operation, with Cruise Control's semantics per type: a broker failure is
// a remove_broker of the failed brokers and a disk failure a fix_offline_replicas (hard goals only:
// a repair moves as little as it can), a slow broker a demote_broker (a remove_broker once it has
// stayed slow, when enabled), a goal violation a rebalance, a topic anomaly a topic_configuration
// to the target replication factor. It runs on the same path as the API's operations.
import { Injectable } from '@nestjs/common';
import { OperationService, type Operation } from '../operations/index.js';
import type { Anomaly } from './anomaly.js';
import type { RunningExecution } from './self-healing.policy.js';

export type HealOutcome = { executionId: string; replicaMoves: number } | { executionId: null; reason: string };

/** A heal's optimization: every default of the API's, but hard goals only unless said otherwise. */
const REPAIR = {
  fallbackGoals: 'hard',
  allowCapacityEstimation: true,
  skipHardGoalCheck: false,
  ignoreProposalCache: true,
} as const;

@Injectable()
export class SelfHealer {
  constructor(private readonly operations: OperationService) {}

  /** The execution running now, whoever started it; null when none. */
  runningExecution(): RunningExecution | null {
    const running = this.operations.running();
    if (running === null) return null;
    const { id, operation, startedAtMs } = running;
    return { id, operation, status: running.status === 'STOPPING' ? 'STOPPING' : 'IN_PROGRESS', startedAtMs };
  }

  /** Asks the running execution to stop, so that a heal can start once it has ended; false when none runs. */
  async stopExecution(reason: string): Promise<boolean> {
    return (await this.operations.stop(reason)) !== null;
  }

  /**
   * Proposes the heal of `anomaly` and starts executing it.
   * @throws LoadMonitorNotReadyError, HardGoalViolationError, DrainError (no proposal), ExecutionInProgressError
   */
  async heal(anomaly: Anomaly): Promise<HealOutcome> {
    const { proposal, execution } = await this.operations.run(healOf(anomaly), {
      dryrun: false,
      label: `self_healing:${anomaly.type}`,
      reason: `self-healing ${anomaly.id}: ${anomaly.description}`,
      skipWhenNothingMoves: true,
    });
    if (execution === null) return { executionId: null, reason: 'the proposal moves nothing' };
    return { executionId: execution.id, replicaMoves: proposal.result.replicaMoves };
  }
}

/** The operation that heals `anomaly`. */
export function healOf(anomaly: Anomaly): Operation {
  switch (anomaly.type) {
    case 'BROKER_FAILURE':
      return { kind: 'remove_broker', brokerIds: Object.keys(anomaly.failedBrokersByTimeMs).map(Number), ...REPAIR };
    case 'DISK_FAILURE':
      return { kind: 'fix_offline_replicas', ...REPAIR };
    case 'METRIC_ANOMALY':
      if (anomaly.action === 'REMOVE') return { kind: 'remove_broker', brokerIds: anomaly.brokersToRemove, ...REPAIR };
      return {
        kind: 'demote_broker',
        brokerIds: anomaly.brokersToDemote,
        skipUrpDemotion: true,
        excludeFollowerDemotion: false,
        allowCapacityEstimation: true,
      };
    case 'GOAL_VIOLATION':
      return { kind: 'rebalance', rebalanceDisk: false, ...REPAIR, fallbackGoals: 'default' };
    case 'TOPIC_ANOMALY': {
      // One target at a time (one heal at a time); the next cycle takes the others.
      const target = anomaly.topics[0]!.targetReplicationFactor;
      const names = anomaly.topics.filter((t) => t.targetReplicationFactor === target).map((t) => t.topic);
      return {
        kind: 'topic_configuration',
        topicPattern: new RegExp(`^(?:${names.map(escapeRegExp).join('|')})$`),
        replicationFactor: target,
        allowCapacityEstimation: true,
        skipRackAwarenessCheck: false,
      };
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
