// The N-1 failure-budget report: leadership failover to the next live replica, survivors under
// their network-out and CPU limits, min.insync.replicas kept, and the worst case named.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../goals/index.js';
import { failureBudgetReport } from '../../../src/analyzer/index.js';
import { BrokerState, ModelBuilder, type ClusterModel } from '../../../src/model/index.js';

/** Brokers 0..n-1 with capacity [100, 1000, 1000, 1000]; partitions as replica lists with a leader NW_OUT. */
function model(brokers: number, parts: { replicas: number[]; nwOut: number }[], dead: number[] = []): ClusterModel {
  const builder = new ModelBuilder();
  for (let b = 0; b < brokers; b++) {
    builder.addBroker({
      kafkaId: b,
      rack: `r${b}`,
      capacity: [100, 1000, 1000, 1000],
      state: dead.includes(b) ? 0 : BrokerState.ALIVE,
    });
  }
  parts.forEach((p, i) =>
    builder.addPartition({
      topic: 't',
      partition: i,
      replicas: p.replicas.map((broker) => ({ broker })),
      leaderIndex: 0,
      leaderLoad: [1, 10, p.nwOut, 10],
      followerLoad: [0.5, 10, 0, 10],
    }),
  );
  return builder.build();
}

describe('failureBudgetReport', () => {
  it('passes a cluster that survives any single loss', () => {
    const m = model(3, [
      { replicas: [0, 1, 2], nwOut: 100 },
      { replicas: [1, 2, 0], nwOut: 100 },
      { replicas: [2, 0, 1], nwOut: 100 },
    ]);
    expect(failureBudgetReport(m, DEFAULT_THRESHOLDS)).toEqual({
      survivesAnySingleBrokerLoss: true,
      worstCase: null,
      failingLosses: 0,
    });
  });

  it('names the survivor that the failover overloads and by how much', () => {
    // Broker 0 leads 700 KB/s out whose next replica is broker 1, which already sends 300: 1000 > 800.
    const m = model(3, [
      { replicas: [0, 1, 2], nwOut: 700 },
      { replicas: [1, 2, 0], nwOut: 300 },
    ]);
    const report = failureBudgetReport(m, DEFAULT_THRESHOLDS);
    expect(report.survivesAnySingleBrokerLoss).toBe(false);
    expect(report.failingLosses).toBe(1);
    expect(report.worstCase).toMatchObject({ lostBroker: 0, broker: 1, resource: 'networkOutbound' });
    expect(report.worstCase!.over).toBeCloseTo(1000 / 800, 9);
    expect(report.worstCase!.detail).toBe(
      'losing broker 0 puts broker 1 at 1000.0 networkOutbound, 25.0% over its limit 800.0',
    );
  });

  it('puts partitions left under min.insync.replicas first, and counts dead brokers as already lost', () => {
    const m = model(
      4,
      [
        { replicas: [0, 1], nwOut: 1 },
        { replicas: [1, 2, 3], nwOut: 1 },
      ],
      [3],
    );
    const report = failureBudgetReport(m, DEFAULT_THRESHOLDS, 2);
    // Losing 0 or 1 leaves t-0 with one replica; losing 1 or 2 leaves t-1 with one live replica (3 is dead).
    expect(report.failingLosses).toBe(3);
    expect(report.worstCase).toMatchObject({ resource: 'minInsyncReplicas', broker: -1, lostBroker: 1, over: 2 });
    expect(failureBudgetReport(m, DEFAULT_THRESHOLDS, 1).survivesAnySingleBrokerLoss).toBe(true);
    // Per topic: the one topic here, `t`, at 1.
    expect(failureBudgetReport(m, DEFAULT_THRESHOLDS, [1]).survivesAnySingleBrokerLoss).toBe(true);
    expect(failureBudgetReport(m, DEFAULT_THRESHOLDS, [2]).failingLosses).toBe(3);
  });
});
