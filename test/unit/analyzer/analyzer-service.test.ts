// AnalyzerService over a stand-in load monitor: goal names validated, proposals cached until the
// snapshot, the windows or the request change, ignore_proposal_cache honoured, the monitor's model untouched.
import { describe, expect, it } from 'vitest';
import { AnalyzerService, GoalRegistry, UnknownBrokerError, UnknownGoalError } from '../../../src/analyzer/index.js';
import { BallastConfig, loadConfig } from '../../../src/config/index.js';
import { generateSyntheticModel } from '../../../src/model/index.js';
import { LoadMonitorNotReadyError, type LoadMonitorService } from '../../../src/monitor/index.js';
import { analyzerOverModel } from '../../fixtures/analyzer.js';

function service() {
  const model = generateSyntheticModel({
    seed: 5,
    brokers: 6,
    racks: 3,
    partitions: 90,
    skew: 'hot-broker',
    cpuCapacity: 1000,
  });
  const clock = { snapshotTakenAtMs: 1, windowStartsMs: [0, 1000] };
  return {
    analyzer: analyzerOverModel(model, clock),
    model,
    newSnapshot: () => (clock.snapshotTakenAtMs += 1),
  };
}

const request = {
  rebalanceDisk: false,
  allowCapacityEstimation: true,
  ignoreProposalCache: false,
  skipHardGoalCheck: false,
};

describe('AnalyzerService', () => {
  it('optimizes a copy and serves the same request from the cache until the snapshot changes', async () => {
    const { analyzer, model, newSnapshot } = service();
    const placement = Array.from(model.replicaBroker);
    const first = await analyzer.proposals(request);
    expect(first.fromCache).toBe(false);
    expect(first.result.replicaMoves).toBeGreaterThan(0);
    expect(Array.from(model.replicaBroker)).toEqual(placement);
    expect((await analyzer.proposals(request)).fromCache).toBe(true);
    expect((await analyzer.proposals({ ...request, ignoreProposalCache: true })).fromCache).toBe(false);
    expect((await analyzer.proposals({ ...request, goals: ['RackAwareGoal'] })).fromCache).toBe(false);
    newSnapshot();
    expect((await analyzer.proposals({ ...request, goals: ['RackAwareGoal'] })).fromCache).toBe(false);
  });

  it('joins a computation of the same request already running instead of starting another', async () => {
    const { analyzer } = service();
    let computations = 0;
    analyzer.onComputation(() => computations++);
    const [a, b] = await Promise.all([analyzer.proposals(request), analyzer.proposals(request)]);
    expect(computations).toBe(1);
    expect([a.fromCache, b.fromCache]).toEqual([false, true]);
    expect(b.result).toBe(a.result);
    // ignore_proposal_cache always computes afresh.
    await Promise.all([
      analyzer.proposals({ ...request, ignoreProposalCache: true }),
      analyzer.proposals({ ...request, ignoreProposalCache: true }),
    ]);
    expect(computations).toBe(3);
  });

  it('refuses unknown goal names, naming them', async () => {
    const { analyzer } = service();
    await expect(analyzer.proposals({ ...request, goals: ['RackAwareGoal', 'Nope'] })).rejects.toThrow(
      UnknownGoalError,
    );
    await expect(analyzer.proposals({ ...request, goals: ['Nope'] })).rejects.toThrow(/Unknown goal\(s\) Nope/);
  });

  it('reports proposals ready with the default goals when the model is', () => {
    expect(service().analyzer.state()).toMatchObject({ isProposalReady: true });
  });
});

describe('AnalyzerService parameters', () => {
  it('refuses destination brokers the cluster does not have, naming them as destinations', async () => {
    const { analyzer } = service();
    await expect(analyzer.proposals({ ...request, destinationBrokerIds: [99] })).rejects.toThrow(
      /The destination brokers name broker\(s\) the cluster does not have: 99/,
    );
    await expect(analyzer.proposals({ ...request, destinationBrokerIds: [99] })).rejects.toMatchObject({
      role: 'destinationBrokers',
      brokerIds: [99],
    });
  });
});

describe('AnalyzerService bad input before readiness', () => {
  it('refuses broker ids the cluster does not have with 400-class errors even while the model is not ready', async () => {
    const monitor = {
      workload: () => {
        throw new LoadMonitorNotReadyError(['0 of 2 required windows are valid']);
      },
      state: () => ({ ready: false }),
      knownBrokerIds: () => new Set([0, 1, 2]),
    } as unknown as LoadMonitorService;
    const config = new BallastConfig(
      loadConfig({}, { kafka: { bootstrapServers: ['k:9092'] }, analyzer: { optimizerThread: false } }),
    );
    const analyzer = new AnalyzerService(monitor, config, GoalRegistry.builtIn());
    await expect(analyzer.proposals({ ...request, brokersToRemove: [2, 42] })).rejects.toThrow(
      /The brokers of the operation name broker\(s\) the cluster does not have: 42/,
    );
    await expect(analyzer.proposals({ ...request, destinationBrokerIds: [7] })).rejects.toThrow(UnknownBrokerError);
    expect(() =>
      analyzer.demotion({
        brokerIds: [9],
        skipUrpDemotion: true,
        excludeFollowerDemotion: false,
        allowCapacityEstimation: true,
      }),
    ).toThrow(/The brokers of the operation name .*: 9/);
    // Known brokers get the readiness answer.
    await expect(analyzer.proposals({ ...request, brokersToRemove: [2] })).rejects.toThrow(LoadMonitorNotReadyError);
  });
});

describe('AnalyzerService background refresh', () => {
  it('keeps the default proposal ready: recomputed once the snapshot changes, then served from the cache', async () => {
    const { analyzer, newSnapshot } = service();
    const plain = {
      rebalanceDisk: false,
      allowCapacityEstimation: true,
      ignoreProposalCache: false,
      skipHardGoalCheck: false,
    };
    await analyzer.refreshDefaultProposal();
    const first = await analyzer.proposals(plain);
    expect(first.fromCache).toBe(true);
    newSnapshot();
    await analyzer.refreshDefaultProposal();
    const second = await analyzer.proposals(plain);
    expect(second.fromCache).toBe(true);
    expect(second.computedAtMs).toBeGreaterThanOrEqual(first.computedAtMs);
    expect(second.before.snapshotTakenAtMs).not.toBe(first.before.snapshotTakenAtMs);
  });
});

describe('AnalyzerService optimality bound', () => {
  it('reports the LP lower bound for the bands the proposal met, never above the MB it moves', async () => {
    const { analyzer } = service();
    const proposal = await analyzer.proposals({
      rebalanceDisk: false,
      allowCapacityEstimation: true,
      ignoreProposalCache: true,
      skipHardGoalCheck: true,
    });
    const optimality = proposal.optimality;
    expect(optimality.status, JSON.stringify(optimality)).toBe('bounded');
    expect(optimality.movedMb).toBeCloseTo(proposal.result.dataToMoveMb, 6);
    if (optimality.status !== 'bounded') return;
    expect(optimality.lowerBoundMb).toBeLessThanOrEqual(optimality.movedMb + 1e-6);
    expect(optimality.lowerBoundMb).toBeGreaterThanOrEqual(optimality.simpleBoundMb - 1e-6);
  });
});
