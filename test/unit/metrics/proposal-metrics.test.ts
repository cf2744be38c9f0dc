// Proposal metrics through the analyzer's computation hook: a real AnalyzerService over a
// stand-in monitor, counting computations by result and timing them; cache hits are not computations.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HardGoalViolationError } from '../../../src/analyzer/index.js';
import { registerProposalMetrics } from '../../../src/metrics/proposal.metrics.js';
import type { ClusterModel } from '../../../src/model/index.js';
import { analyzerOverModel } from '../../fixtures/analyzer.js';
import { smallModel } from '../../fixtures/small-models.js';
import { scrape } from '../../support/scrape.js';

const analyzerOver = (model: ClusterModel) => analyzerOverModel(model);

const request = {
  rebalanceDisk: false,
  allowCapacityEstimation: true,
  ignoreProposalCache: false,
  skipHardGoalCheck: false,
};

describe('proposal metrics', () => {
  it('start with every operation and result at zero', async () => {
    const registry = new Registry();
    registerProposalMetrics(registry);
    const total = (await scrape(registry)).get('ballast_proposal_computations_total')!;
    expect(total.size).toBe(6);
    expect([...total.values()].every((v) => v === 0)).toBe(true);
  });

  it('count and time successful computations, not cache hits, and keep the latest proposal', async () => {
    const registry = new Registry();
    const analyzer = analyzerOver(smallModel(['a', 'b'], [{ replicas: [0, 1] }, { replicas: [0, 1] }]));
    analyzer.onComputation(registerProposalMetrics(registry));
    expect(analyzer.latestProposal()).toBeNull();
    const proposal = await analyzer.proposals(request);
    await analyzer.proposals(request);
    expect(analyzer.latestProposal()).toBe(proposal);
    const m = await scrape(registry);
    expect(m.get('ballast_proposal_computations_total')?.get('{operation=optimize,result=success}')).toBe(1);
    expect(m.get('ballast_proposal_computation_seconds_count')?.get('{operation=optimize,result=success}')).toBe(1);
    expect(m.get('ballast_proposal_computation_seconds_sum')?.get('{operation=optimize,result=success}')).toBeCloseTo(
      proposal.result.durationMs / 1000,
    );
  });

  it('count a computation that throws as a failure', async () => {
    const registry = new Registry();
    // Two replicas on one rack: RackAwareGoal (hard) cannot be met.
    const analyzer = analyzerOver(smallModel(['a', 'a'], [{ replicas: [0, 1] }]));
    analyzer.onComputation(registerProposalMetrics(registry));
    await expect(analyzer.proposals({ ...request, goals: ['RackAwareGoal'] })).rejects.toThrow(HardGoalViolationError);
    const m = await scrape(registry);
    expect(m.get('ballast_proposal_computations_total')?.get('{operation=optimize,result=failure}')).toBe(1);
    expect(m.get('ballast_proposal_computations_total')?.get('{operation=optimize,result=success}')).toBe(0);
    expect(m.get('ballast_proposal_computation_seconds_count')?.get('{operation=optimize,result=failure}')).toBe(1);
  });
});
