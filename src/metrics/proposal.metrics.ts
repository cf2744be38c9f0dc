// Proposal computation metrics, pushed by the analyzer's computation hook: how long each
// computation took and whether it succeeded.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ProposalComputation } from '../analyzer/index.js';

const OPERATIONS: readonly ProposalComputation['operation'][] = ['optimize', 'demote_broker', 'topic_configuration'];
const RESULTS = ['success', 'failure'] as const;

/** Seconds: from a small cluster's few milliseconds to a very large one's minutes. */
export const PROPOSAL_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Registers the metrics and returns what the analyzer's hook calls. */
export function registerProposalMetrics(registry: Registry): (computation: ProposalComputation) => void {
  const duration = new Histogram({
    name: 'ballast_proposal_computation_seconds',
    help: 'Time to compute a proposal (goals run, or a direct demotion or replication-factor change), successful or not.',
    labelNames: ['operation', 'result'],
    buckets: PROPOSAL_SECONDS_BUCKETS,
    registers: [registry],
  });
  const computations = new Counter({
    name: 'ballast_proposal_computations_total',
    help: 'Proposal computations (cache hits excluded) by operation and result; a failure is a hard goal that cannot be met or another error while optimizing.',
    labelNames: ['operation', 'result'],
    registers: [registry],
  });
  // Every series exists from the start, so an alert can compare failures with zero successes.
  for (const operation of OPERATIONS) for (const result of RESULTS) computations.inc({ operation, result }, 0);
  return (c) => {
    const labels = { operation: c.operation, result: c.proposal === undefined ? 'failure' : 'success' };
    duration.observe(labels, c.durationMs / 1000);
    computations.inc(labels);
  };
}
