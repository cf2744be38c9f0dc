// The detector service with fakes around it: a failure time survives a new instance on the same
// store, a heal starts once past the fix threshold, nothing starts beyond the budget or while a
// user's execution runs, and run-time switches persist.
import { Logger } from '@nestjs/common';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GoalRegistry, type AnalyzerService } from '../../../src/analyzer/index.js';
import { BallastConfig, loadConfig } from '../../../src/config/index.js';
import {
  DetectorRunner,
  AnomalyDetectorService,
  AnomalyNotifier,
  InMemoryDetectorStore,
  type Anomaly,
  type HealOutcome,
  type SelfHealer,
} from '../../../src/detector/index.js';
import type { ClusterSnapshot, KafkaGateway } from '../../../src/kafka/index.js';
import type { LoadMonitorService } from '../../../src/monitor/index.js';
import { snapshot } from '../../fixtures/snapshots.js';

const config = new BallastConfig(
  loadConfig(
    { BALLAST_KAFKA_BOOTSTRAP_SERVERS: 'k1:9092' },
    {
      detector: {
        brokerFailure: { alertThresholdMs: 10_000, fixThresholdMs: 20_000, selfHealing: true },
        goalViolation: { enabled: false },
      },
    },
  ),
);

class FakeHealer {
  running: { id: string; operation: string } | null = null;
  healed: Anomaly[] = [];
  runningExecution() {
    return this.running;
  }
  heal(anomaly: Anomaly): Promise<HealOutcome> {
    this.healed.push(anomaly);
    this.running = { id: `heal-${this.healed.length}`, operation: `self_healing:${anomaly.type}` };
    return Promise.resolve({ executionId: this.running.id, replicaMoves: 3 });
  }
}

function setup(store: InMemoryDetectorStore, cluster: { now: ClusterSnapshot }) {
  const gateway = { snapshot: () => Promise.resolve(cluster.now) } as unknown as KafkaGateway;
  const monitor = {
    state: () => ({ ready: false }),
    brokerLatencyHistory: () => new Map(),
  } as unknown as LoadMonitorService;
  // Goal violations are off in this config: the analyzer's dry run is never asked for.
  const analyzer = {} as AnalyzerService;
  const detection = new DetectorRunner(gateway, monitor, GoalRegistry.builtIn(), config, analyzer);
  const healer = new FakeHealer();
  const service = new AnomalyDetectorService(
    config,
    detection,
    healer as unknown as SelfHealer,
    new AnomalyNotifier(config),
    store,
  );
  return { service, healer };
}

describe('AnomalyDetectorService', () => {
  // The alerts' log lines are the notifier's business, not these tests'.
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the original failure time across a restart and heals once past the fix threshold', async () => {
    const store = new InMemoryDetectorStore();
    const cluster = { now: snapshot({ alive: [1, 2, 3], dead: [4] }) };
    const first = setup(store, cluster);
    await first.service.runCycle();
    expect(first.service.state().recentBrokerFailures[0]).toMatchObject({
      detectionMs: 1_000_000,
      status: 'CHECK_WITH_DELAY',
    });

    vi.setSystemTime(1_015_000);
    const restarted = setup(store, cluster);
    await restarted.service.runCycle();
    expect(restarted.service.state().recentBrokerFailures[0]).toMatchObject({
      detectionMs: 1_000_000,
      failedBrokersByTimeMs: { 4: 1_000_000 },
      action: 'ALERT',
    });
    expect(restarted.healer.healed).toHaveLength(0);

    vi.setSystemTime(1_021_000);
    await restarted.service.runCycle();
    expect(restarted.healer.healed.map((a) => a.id)).toEqual(['BROKER_FAILURE:4']);
    const state = restarted.service.state();
    expect(state.ongoingSelfHealingAnomaly).toBe('BROKER_FAILURE:4');
    expect(state.recentBrokerFailures[0]).toMatchObject({ status: 'FIX_STARTED', executionId: 'heal-1' });
    expect(state.metrics.numSelfHealingStarted).toBe(1);

    // Healed: the broker's replicas are gone, so is the broker from the snapshot.
    restarted.healer.running = null;
    cluster.now = snapshot({ alive: [1, 2, 3] });
    vi.setSystemTime(1_030_000);
    await restarted.service.runCycle();
    expect(restarted.service.state().recentBrokerFailures[0]).toMatchObject({
      resolvedMs: 1_030_000,
      reason: 'no longer detected after self-healing',
    });
    expect(restarted.service.state().ongoingSelfHealingAnomaly).toBeUndefined();
  });

  it('starts nothing beyond the failure budget and reports the reason in the state', async () => {
    const { service, healer } = setup(new InMemoryDetectorStore(), { now: snapshot({ alive: [1, 2], dead: [3, 4] }) });
    await service.runCycle();
    vi.setSystemTime(1_100_000);
    await service.runCycle();
    expect(healer.healed).toHaveLength(0);
    const state = service.state();
    expect(state.failureBudget).toMatchObject({ budget: 1, failedBrokers: [3, 4], withinBudget: false });
    expect(state.recentBrokerFailures[0]).toMatchObject({
      action: 'BUDGET_EXCEEDED',
      reason: '2 brokers down, failure budget 1: not healing; run fix_offline_replicas or remove_broker to act',
    });
  });

  it("waits for a user's execution, then heals", async () => {
    const { service, healer } = setup(new InMemoryDetectorStore(), { now: snapshot({ alive: [1, 2, 3], dead: [4] }) });
    healer.running = { id: 'user-1', operation: 'rebalance' };
    await service.runCycle();
    vi.setSystemTime(1_100_000);
    await service.runCycle();
    expect(healer.healed).toHaveLength(0);
    expect(service.state().recentBrokerFailures[0]).toMatchObject({ action: 'WAIT', status: 'CHECK_WITH_DELAY' });
    healer.running = null;
    vi.setSystemTime(1_130_000);
    await service.runCycle();
    expect(healer.healed).toHaveLength(1);
  });

  it('stops new heals when self-healing is switched off at run time, and the switch survives a restart', async () => {
    const store = new InMemoryDetectorStore();
    const cluster = { now: snapshot({ alive: [1, 2, 3], dead: [4] }) };
    const first = setup(store, cluster);
    const { before, after } = await first.service.switchSelfHealing({ disable: ['BROKER_FAILURE'] });
    expect([before.BROKER_FAILURE, after.BROKER_FAILURE]).toEqual([true, false]);
    await first.service.runCycle();
    vi.setSystemTime(1_100_000);
    const restarted = setup(store, cluster);
    await restarted.service.runCycle();
    expect(restarted.healer.healed).toHaveLength(0);
    expect(restarted.service.state().selfHealingDisabled).toContain('BROKER_FAILURE');
    await restarted.service.switchSelfHealing({ enable: ['BROKER_FAILURE'] });
    await restarted.service.runCycle();
    expect(restarted.healer.healed).toHaveLength(1);
  });
});
