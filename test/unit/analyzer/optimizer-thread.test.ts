// The optimizer on its worker thread gives exactly what it gives on the calling thread, leaves the
// caller's model alone, lets the main thread run while it computes, brings typed errors back as
// their classes, loads the user's goal files, and recovers from being stopped mid-computation.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOALS, GOALS_BY_NAME, type Goal } from '../../../goals/index.js';
import {
  DrainError,
  GoalRegistry,
  HardGoalViolationError,
  optimize,
  OptimizerThread,
} from '../../../src/analyzer/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { BrokerState, generateSyntheticModel } from '../../../src/model/index.js';
import { smallModel } from '../../fixtures/small-models.js';

const analyzerConfig = (analyzer: Record<string, unknown> = {}) =>
  loadConfig({}, { kafka: { bootstrapServers: ['k:9092'] }, analyzer }).analyzer;

const skewed = (partitions: number) =>
  generateSyntheticModel({
    seed: 11,
    brokers: 8,
    racks: 4,
    partitions,
    skew: 'hot-broker',
    // Room for the load: these tests are about the thread, not about infeasible capacity.
    cpuCapacity: 1e6,
    diskCapacityMb: 1e12,
    nwCapacityKBps: 1e12,
  });

// Starting a thread from TypeScript sources compiles the goals in it (about a second, more on a busy machine).
describe('OptimizerThread', { timeout: 60_000 }, () => {
  const threads: OptimizerThread[] = [];
  const newThread = (config = analyzerConfig()) => {
    const thread = new OptimizerThread(config);
    threads.push(thread);
    return thread;
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((t) => t.close()));
  });

  it('proposes exactly what the calling thread proposes, and leaves the input model as it was', async () => {
    const model = skewed(600);
    const before = Array.from(model.replicaBroker);
    const options = { goals: DEFAULT_GOALS, minInsyncReplicas: 1, excludedTopics: /^topic-1$/ };
    const { model: optimized, result } = await newThread().run(model, options);
    expect(Array.from(model.replicaBroker)).toEqual(before);

    const inline = model.clone();
    const expected = optimize(inline, options);
    expect(result.replicaMoves).toBeGreaterThan(0);
    expect(result.proposals).toEqual(expected.proposals);
    expect(result.goals.map((g) => [g.name, g.after.satisfied])).toEqual(
      expected.goals.map((g) => [g.name, g.after.satisfied]),
    );
    expect(Array.from(optimized.replicaBroker)).toEqual(Array.from(inline.replicaBroker));
    expect(Array.from(optimized.partitionLeader)).toEqual(Array.from(inline.partitionLeader));
    expect(Array.from(optimized.brokerLoad)).toEqual(Array.from(inline.brokerLoad));
    // The optimized model is a working model on the caller's name tables.
    expect(optimized.tables).toBe(model.tables);
    expect(optimized.diff()).toEqual(expected.proposals);
  });

  it('lets the main thread run while it computes (the calling thread would not)', async () => {
    const model = skewed(6_000);
    const goals = DEFAULT_GOALS;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await new OptimizerThread(analyzerConfig(), false).run(model, { goals, minInsyncReplicas: 1 });
      const inlineTicks = ticks;
      ticks = 0;
      const { result } = await newThread().run(model, { goals, minInsyncReplicas: 1 });
      expect(inlineTicks).toBe(0);
      expect(result.replicaMoves).toBeGreaterThan(0);
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('brings a hard goal it cannot meet and an impossible drain back as their own errors', async () => {
    const thread = newThread();
    // Two replicas, one rack: RackAwareGoal cannot be met.
    const oneRack = smallModel(['a', 'a'], [{ replicas: [0, 1] }]);
    const rackAware = [GOALS_BY_NAME.get('RackAwareGoal')!];
    const error = await thread.run(oneRack, { goals: rackAware }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HardGoalViolationError);
    expect(error).toMatchObject({ goal: 'RackAwareGoal', code: 'HARD_GOAL_VIOLATED' });

    // Broker 1 removed, and its replica has nowhere else to go.
    const twoBrokers = smallModel(['a', 'b'], [{ replicas: [0, 1] }]);
    const drain = await thread.run(twoBrokers, { goals: [], brokersToRemove: new Set([1]) }).catch((e: unknown) => e);
    expect(drain).toBeInstanceOf(DrainError);
    expect(drain).toMatchObject({ brokers: [1], code: 'UNABLE_TO_DRAIN' });
    // The thread is still usable after errors.
    const ok = smallModel(['a', 'b'], [{ replicas: [0, 1] }]);
    expect((await thread.run(ok, { goals: rackAware })).result.replicaMoves).toBe(0);
  });

  it("runs the user's goal files, and a goal's hard/soft override from the chain", async () => {
    const config = analyzerConfig({
      goalFilesDirectory: new URL('../../fixtures/goals', import.meta.url).pathname,
      goals: ['RackAwareGoal', 'QuotaAwareGoal', 'ReplicaDistributionGoal'],
    });
    const registry = await GoalRegistry.load(config);
    // Every replica starts on brokers 0 and 1; QuotaAwareGoal then vetoes any new replica on broker 0.
    const model = smallModel(
      ['a', 'b', 'a', 'b'],
      Array.from({ length: 8 }, (_, i) => ({ replicas: i % 2 === 0 ? [0, 1] : [1, 0] })),
    );
    const soft: Goal = { ...GOALS_BY_NAME.get('RackAwareGoal')!, hard: false };
    const goals = [soft, ...registry.defaultGoals.slice(1)];
    const { model: optimized, result } = await newThread(config).run(model, { goals, minInsyncReplicas: 1 });
    expect(result.goals.map((g) => [g.name, g.hard])).toEqual([
      ['RackAwareGoal', false],
      ['QuotaAwareGoal', false],
      ['ReplicaDistributionGoal', false],
    ]);
    expect(result.replicaMoves).toBeGreaterThan(0);
    for (let r = 0; r < optimized.replicaCount; r++) {
      if (optimized.replicaBroker[r] !== optimized.originalBroker[r]) expect(optimized.replicaBroker[r]).not.toBe(0);
    }
    expect(optimized.brokerHas(0, BrokerState.ALIVE)).toBe(true);
  });

  it('fails the computation in flight when stopped, and starts a new thread for the next one', async () => {
    const thread = newThread();
    const model = skewed(6_000);
    const inFlight = thread.run(model, { goals: DEFAULT_GOALS, minInsyncReplicas: 1 }).catch((e: unknown) => e);
    await thread.close();
    expect(await inFlight).toMatchObject({ message: 'the optimizer thread was stopped' });
    const { result } = await thread.run(skewed(200), { goals: DEFAULT_GOALS, minInsyncReplicas: 1 });
    expect(result.proposals.length).toBeGreaterThan(0);
  });
});
