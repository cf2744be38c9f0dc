// The self-healing policy: thresholds, the N-1 failure budget, one heal at a time, never while
// another execution runs; and the records that show a broker back before its fix as a cancelled heal.
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_TYPES,
  decide,
  detectBrokerFailures,
  failureBudgetStatus,
  recordCycle,
  withOutcome,
  type Anomaly,
  type AnomalyType,
  type PolicyInput,
  type TypePolicy,
} from '../../../src/detector/index.js';
import { snapshot } from '../../fixtures/snapshots.js';

const MIN = 60_000;
const policy: TypePolicy = { enabled: true, alertThresholdMs: 15 * MIN, fixThresholdMs: 30 * MIN };
const healingOn = Object.fromEntries(ANOMALY_TYPES.map((t) => [t, true])) as Record<AnomalyType, boolean>;

function brokerDown(ids: number[], sinceMs: number): Anomaly {
  const failed = Object.fromEntries(ids.map((id) => [id, sinceMs]));
  return {
    type: 'BROKER_FAILURE',
    id: `BROKER_FAILURE:${ids.join(',')}`,
    firstSeenMs: sinceMs,
    failedBrokersByTimeMs: failed,
    description: 'down',
  };
}

function input(nowMs: number, anomalies: Anomaly[], over: Partial<PolicyInput> = {}): PolicyInput {
  const failed = anomalies.flatMap((a) => (a.type === 'BROKER_FAILURE' ? Object.keys(a.failedBrokersByTimeMs) : []));
  return {
    nowMs,
    anomalies,
    policies: {
      BROKER_FAILURE: policy,
      DISK_FAILURE: policy,
      METRIC_ANOMALY: policy,
      GOAL_VIOLATION: policy,
      TOPIC_ANOMALY: policy,
    },
    selfHealing: healingOn,
    budget: failureBudgetStatus({
      budget: 1,
      countImpairedBrokers: true,
      failedBrokers: failed.map(Number),
      impairedBrokers: [],
    }),
    runningExecution: null,
    healing: null,
    ...over,
  };
}

describe('decide', () => {
  it('waits before the alert threshold, alerts after it, heals after the fix threshold', () => {
    const a = brokerDown([3], 0);
    expect(decide(input(10 * MIN, [a]))[0]).toMatchObject({ action: 'WAIT', status: 'CHECK_WITH_DELAY' });
    expect(decide(input(15 * MIN, [a]))[0]).toMatchObject({
      action: 'ALERT',
      reason: expect.stringMatching(/heal after 30 min/),
    });
    expect(decide(input(30 * MIN, [a]))[0]).toMatchObject({ action: 'FIX', anomalyId: 'BROKER_FAILURE:3' });
  });

  it('makes no move beyond the failure budget and says why', () => {
    const [d] = decide(input(60 * MIN, [brokerDown([2, 3], 0)]));
    expect(d).toMatchObject({ action: 'BUDGET_EXCEEDED' });
    expect(d!.reason).toBe(
      '2 brokers down, failure budget 1: not healing; run fix_offline_replicas or remove_broker to act',
    );
  });

  it('counts a broker with a failed disk against the budget unless told not to', () => {
    const counted = failureBudgetStatus({
      budget: 1,
      countImpairedBrokers: true,
      failedBrokers: [3],
      impairedBrokers: [1],
    });
    expect(counted).toMatchObject({ withinBudget: false, countedBrokers: 2 });
    expect(counted.reason).toMatch(
      /^1 broker down, 1 impaired \(failed disk on broker 1\), failure budget 1: not healing/,
    );
    const notCounted = failureBudgetStatus({
      budget: 1,
      countImpairedBrokers: false,
      failedBrokers: [3],
      impairedBrokers: [1],
    });
    expect(notCounted).toMatchObject({ withinBudget: true, countedBrokers: 1 });
  });

  it('alerts only when self-healing is off for the type', () => {
    const [d] = decide(input(60 * MIN, [brokerDown([3], 0)], { selfHealing: { ...healingOn, BROKER_FAILURE: false } }));
    expect(d).toMatchObject({
      action: 'ALERT',
      reason: expect.stringMatching(/self-healing is off for BROKER_FAILURE/),
    });
  });

  it("waits while a user's execution that began after the failure runs, and while its own heal runs", () => {
    const a = brokerDown([3], 0);
    const started = { id: 'e1', operation: 'rebalance', status: 'IN_PROGRESS', startedAtMs: 5 * MIN } as const;
    const [user] = decide(input(60 * MIN, [a], { runningExecution: started }));
    expect(user).toMatchObject({
      action: 'WAIT',
      reason: expect.stringMatching(/execution e1 \(rebalance\) is running/),
    });
    const [own] = decide(input(60 * MIN, [a], { healing: { anomalyId: a.id, executionId: 'e2' } }));
    expect(own).toMatchObject({ action: 'WAIT', status: 'FIX_STARTED' });
  });

  it('a broker that fails during an execution stops it past the fix threshold, then heals once it has ended', () => {
    const a = brokerDown([1], 10 * MIN);
    const running = { id: 'e1', operation: 'rebalance', status: 'IN_PROGRESS', startedAtMs: 5 * MIN } as const;
    // Before the fix threshold: only the alert.
    expect(decide(input(30 * MIN, [a], { runningExecution: running }))[0]).toMatchObject({ action: 'ALERT' });
    const [stop] = decide(input(41 * MIN, [a], { runningExecution: running }));
    expect(stop).toMatchObject({
      action: 'STOP_EXECUTION',
      status: 'CHECK_WITH_DELAY',
      reason: expect.stringMatching(/broker 1 failed while execution e1 \(rebalance\) ran.*stopping it/),
    });
    const [stopping] = decide(input(42 * MIN, [a], { runningExecution: { ...running, status: 'STOPPING' } }));
    expect(stopping).toMatchObject({ action: 'WAIT', reason: expect.stringMatching(/e1 \(rebalance\) is stopping/) });
    expect(decide(input(43 * MIN, [a]))[0]).toMatchObject({ action: 'FIX' });
  });

  it('a failure during a heal of another anomaly stops that heal too; beyond the budget nothing is stopped', () => {
    const disk: Anomaly = {
      type: 'DISK_FAILURE',
      id: 'DISK_FAILURE:2',
      firstSeenMs: 0,
      failedDisksByTimeMs: { 2: { '/d1': 0 } },
      offlineReplicas: [{ topic: 't', partition: 0, brokerId: 2 }],
      description: 'disk',
    };
    const broker = brokerDown([1], 10 * MIN);
    const heal = {
      id: 'h1',
      operation: 'self_healing:DISK_FAILURE',
      status: 'IN_PROGRESS',
      startedAtMs: 5 * MIN,
    } as const;
    const decisions = decide(
      input(60 * MIN, [disk, broker], { runningExecution: heal, healing: { anomalyId: disk.id, executionId: 'h1' } }),
    );
    expect(decisions.find((d) => d.type === 'BROKER_FAILURE')).toMatchObject({ action: 'STOP_EXECUTION' });
    const two = brokerDown([1, 3], 10 * MIN);
    const [beyond] = decide(input(60 * MIN, [two], { runningExecution: heal }));
    expect(beyond).toMatchObject({ action: 'BUDGET_EXCEEDED' });
  });

  it('heals one anomaly at a time, the broker failure first', () => {
    const topic: Anomaly = {
      type: 'TOPIC_ANOMALY',
      id: 'TOPIC_ANOMALY:x',
      firstSeenMs: 0,
      topics: [{ topic: 'x', targetReplicationFactor: 3, partitions: [0] }],
      oversizedPartitions: [],
      description: 'x below RF',
    };
    const decisions = decide(input(60 * MIN, [topic, brokerDown([3], 10)]));
    expect(decisions.map((d) => [d.type, d.action])).toEqual([
      ['BROKER_FAILURE', 'FIX'],
      ['TOPIC_ANOMALY', 'WAIT'],
    ]);
  });

  it('only alerts on oversized partitions: moving replicas cannot shrink them', () => {
    const oversized: Anomaly = {
      type: 'TOPIC_ANOMALY',
      id: 'TOPIC_ANOMALY:size:x-0',
      firstSeenMs: 0,
      topics: [],
      oversizedPartitions: [{ topic: 'x', partition: 0, sizeBytes: 5e9 }],
      description: 'x-0 too big',
    };
    expect(decide(input(60 * MIN, [oversized]))[0]).toMatchObject({
      action: 'ALERT',
      reason: expect.stringMatching(/oversized partitions cannot be healed by moving replicas/),
    });
  });

  it('ignores a type whose detection is disabled', () => {
    const over = { policies: { ...input(0, []).policies, BROKER_FAILURE: { ...policy, enabled: false } } };
    expect(decide(input(60 * MIN, [brokerDown([3], 0)], over))[0]).toMatchObject({ action: 'IGNORE' });
  });
});

describe('recordCycle', () => {
  it('closes the anomaly of a broker back before its fix threshold as a cancelled heal', () => {
    const down = detectBrokerFailures(snapshot({ alive: [1, 2], dead: [3] }), {}, 0);
    const at20 = input(20 * MIN, [down.anomaly!]);
    const first = recordCycle([], at20.anomalies, decide(at20), 20 * MIN, 10);
    expect(first.records).toMatchObject([
      { anomalyId: 'BROKER_FAILURE:3', action: 'ALERT', status: 'CHECK_WITH_DELAY' },
    ]);

    const back = detectBrokerFailures(snapshot({ alive: [1, 2, 3] }), down.firstSeen, 25 * MIN);
    const at25 = input(25 * MIN, back.anomaly ? [back.anomaly] : []);
    const decisions = decide(at25);
    expect(decisions).toEqual([]);
    const second = recordCycle(first.records, at25.anomalies, decisions, 25 * MIN, 10);
    expect(second.resolved).toHaveLength(1);
    expect(second.records[0]).toMatchObject({
      resolvedMs: 25 * MIN,
      reason: expect.stringMatching(/pending heal is cancelled/),
    });
  });

  it('closes an anomaly that outlived its heal as healed, not as a cancelled heal', () => {
    // A failed log dir stays failed once its replicas are re-homed: decided afresh, nothing to heal.
    const disk = (offline: number): Anomaly => ({
      type: 'DISK_FAILURE',
      id: 'DISK_FAILURE:1:/data-0',
      firstSeenMs: 0,
      failedDisksByTimeMs: { 1: { '/data-0': 0 } },
      offlineReplicas: Array.from({ length: offline }, (_, partition) => ({ topic: 't', partition, brokerId: 1 })),
      description: 'failed',
    });
    const at30 = input(30 * MIN, [disk(2)]);
    expect(decide(at30)[0]).toMatchObject({ action: 'FIX' });
    let records = recordCycle([], at30.anomalies, decide(at30), 30 * MIN, 10).records;
    records = withOutcome(records, 'DISK_FAILURE:1:/data-0', 30 * MIN, {
      status: 'FIX_STARTED',
      reason: 'started',
      executionId: 'heal-1',
    });
    const at40 = input(40 * MIN, [disk(0)]);
    expect(decide(at40)[0]).toMatchObject({ action: 'ALERT', status: 'DETECTED' });
    records = recordCycle(records, at40.anomalies, decide(at40), 40 * MIN, 10).records;
    const gone = recordCycle(records, [], [], 50 * MIN, 10);
    expect(gone.resolved).toHaveLength(1);
    expect(gone.records[0]).toMatchObject({
      resolvedMs: 50 * MIN,
      executionId: 'heal-1',
      fixStartedMs: 30 * MIN,
      reason: 'no longer detected after self-healing',
    });
  });

  it('keeps at most N records per type, the open one always', () => {
    let records = recordCycle([], [brokerDown([1], 0)], [], 0, 2).records;
    for (let i = 1; i <= 4; i++) {
      const a = brokerDown([i], i);
      const inp = input(i, [a]);
      records = recordCycle(records, [a], decide(inp), i, 2).records;
    }
    expect(records.map((r) => [r.anomalyId, r.resolvedMs !== undefined])).toEqual([
      ['BROKER_FAILURE:4', false],
      ['BROKER_FAILURE:3', true],
    ]);
  });
});
