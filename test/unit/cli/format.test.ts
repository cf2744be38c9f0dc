// The CLI's text for state, load and proposals, from JSON in Cruise Control's shapes.
import { describe, expect, it } from 'vitest';
import { formatLoad, formatOptimization, formatState, moveCount, table } from '../../../src/cli/format.js';

describe('table', () => {
  it('aligns text left and numbers right', () => {
    expect(
      table(
        ['NAME', 'N'],
        [
          ['a', 5],
          ['long', 123],
        ],
      ),
    ).toBe('NAME    N\na       5\nlong  123');
  });
});

describe('formatState', () => {
  it('summarises each substate present, with reasons the model is not ready', () => {
    const text = formatState({
      version: 1,
      MonitorState: {
        state: 'RUNNING',
        numMonitoredWindows: 1,
        numValidPartitions: 0,
        numTotalPartitions: 5,
        ready: false,
        notReadyReasons: ['0 of 3 required windows are valid'],
      },
      ExecutorState: {
        state: 'NO_TASK_IN_PROGRESS',
        lastExecution: { operation: 'rebalance', status: 'COMPLETED', elapsedMs: 61_000 },
      },
      AnalyzerState: { isProposalReady: true, readyGoals: ['RackAwareGoal', 'DiskCapacityGoal'] },
      AnomalyDetectorState: { selfHealingEnabled: ['BROKER_FAILURE'], failureBudget: { reason: 'within budget' } },
    });
    expect(text).toBe(
      [
        'Monitor:   RUNNING, 1 windows, 0/5 partitions valid, model not ready',
        '           not ready: 0 of 3 required windows are valid',
        'Executor:  NO_TASK_IN_PROGRESS (last: rebalance COMPLETED in 1m 01s)',
        'Analyzer:  proposal ready: yes, 2 goals ready',
        'Detector:  self-healing on for BROKER_FAILURE',
        '           failure budget: within budget',
        '',
      ].join('\n'),
    );
  });

  it('prints only the substates asked for', () => {
    expect(formatState({ version: 1, ExecutorState: { state: 'NO_TASK_IN_PROGRESS' } })).toBe(
      'Executor:  NO_TASK_IN_PROGRESS\n',
    );
  });
});

describe('formatLoad', () => {
  it('prints one row per broker, network in as leader plus follower', () => {
    const text = formatLoad({
      version: 1,
      hosts: [],
      brokers: [
        {
          Broker: 0,
          Host: 'h0',
          Rack: 'r1',
          BrokerState: 'ALIVE',
          DiskMB: 120.44,
          DiskPct: 1.2,
          CpuPct: 3.25,
          LeaderNwInRate: 10,
          FollowerNwInRate: 5.5,
          NwOutRate: 20,
          Leaders: 7,
          Replicas: 12,
        },
      ],
    });
    const [header, row] = text.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'BROKER',
      'HOST',
      'RACK',
      'STATE',
      'DISK_MB',
      'DISK_%',
      'CPU_%',
      'NW_IN_KB/s',
      'NW_OUT_KB/s',
      'LEADERS',
      'REPLICAS',
    ]);
    expect(row!.trim().split(/\s+/)).toEqual([
      '0',
      'h0',
      'r1',
      'ALIVE',
      '120.4',
      '1.2',
      '3.3',
      '15.5',
      '20',
      '7',
      '12',
    ]);
  });

  it('says so when the model has no brokers', () => {
    expect(formatLoad({ version: 1, brokers: [] })).toBe('No brokers in the load model.\n');
  });
});

describe('formatOptimization', () => {
  const result = {
    version: 1,
    summary: {
      numReplicaMovements: 4,
      dataToMoveMB: 12,
      numIntraBrokerReplicaMovements: 0,
      intraBrokerDataToMoveMB: 0,
      numLeaderMovements: 2,
      onDemandBalancednessScoreBefore: 70.04,
      onDemandBalancednessScoreAfter: 95.5,
    },
    goalSummary: [
      { goal: 'RackAwareGoal', status: 'NO-ACTION' },
      { goal: 'DiskUsageDistributionGoal', status: 'FIXED' },
    ],
    failureBudget: { before: { survivesAnySingleBrokerLoss: false }, after: { survivesAnySingleBrokerLoss: true } },
    execution: { estimatedTimeMs: 125_000 },
  };

  it('summarises moves, balancedness, goals, the N-1 budget and the time', () => {
    const text = formatOptimization(result, { dryRun: true });
    expect(text).toContain('Proposal (dry run): 4 replica moves (12 MB), 0 moves between disks (0 MB), 2 leader moves');
    expect(text).toContain('Balancedness: 70.0 -> 95.5');
    expect(text).toMatch(/DiskUsageDistributionGoal\s+FIXED/);
    expect(text).toContain('Survives the loss of any one broker: before no, after yes');
    expect(text).toContain('Estimated execution time: 2m 05s');
    expect(formatOptimization(result, { dryRun: false })).toMatch(/^Proposal being executed/);
  });

  it('counts the moves an execution would make', () => {
    expect(moveCount(result)).toBe(6);
    expect(moveCount({ summary: {} })).toBe(0);
  });
});
