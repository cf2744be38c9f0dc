// A record written by an earlier Ballast, read after an upgrade mid-execution: its limits keep
// their values under the names this version plans with.
import { describe, expect, it } from 'vitest';
import { upgradedRecord, type ExecutionRecord } from '../../../src/executor/execution-record.js';

describe('upgradedRecord', () => {
  it('renames the limits of an earlier version and leaves a current record as it is', () => {
    const legacy = {
      id: 'e1',
      options: {
        limits: {
          partitionMovementsPerBroker: 3,
          partitionMovementsInCluster: 40,
          intraBrokerMovementsPerBroker: 1,
          leaderMovements: 7,
        },
      },
    } as unknown as ExecutionRecord;
    expect(upgradedRecord(legacy).options.limits).toEqual({
      concurrentPartitionMovementsPerBroker: 3,
      maxPartitionMovementsInCluster: 40,
      concurrentIntraBrokerPartitionMovements: 1,
      concurrentLeaderMovements: 7,
    });
    const current = upgradedRecord(legacy);
    expect(upgradedRecord(current)).toBe(current);
  });
});
