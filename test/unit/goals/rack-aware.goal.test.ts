// RackAwareGoal: no two replicas of a partition in one rack; a violation fixed, a rack-aware model
// left alone and later goals vetoed, an infeasible model named; excluded topics not counted.
import { describe, expect, it } from 'vitest';
import { HardGoalViolationError, optimize } from '../../../src/analyzer/index.js';
import { rackModel } from '../../fixtures/small-models.js';
import { goal } from '../../support/goal-tests.js';
import { expectInvariants } from '../../support/model-invariants.js';
import { racksOf } from '../../support/model-readers.js';

describe('RackAwareGoal', () => {
  it('moves the follower that shares a rack to a rack the partition does not use', () => {
    const m = rackModel(['a', 'a', 'b', 'c'], [{ replicas: [0, 1] }, { replicas: [2, 3] }]);
    const result = optimize(m, { goals: [goal('RackAwareGoal')] });
    expect(new Set(racksOf(m, 0)).size).toBe(2);
    // The leader stayed; only partition 0 changed.
    expect(
      result.proposals.map((p) => [p.partitionNumber, p.oldLeader, p.newLeader, p.oldReplicas[0], p.newReplicas[0]]),
    ).toEqual([[0, 0, 0, 0, 0]]);
    expect(result.goals[0]).toMatchObject({ before: { satisfied: false }, after: { satisfied: true } });
  });

  it('leaves a rack-aware model alone and vetoes later moves that would break it', () => {
    const m = rackModel(
      ['a', 'b', 'a', 'b'],
      [
        { replicas: [0, 1], load: [1, 10, 10, 400] },
        { replicas: [2, 3], load: [1, 10, 10, 10] },
      ],
    );
    // Disk balance would like to move a 400 MB replica from broker 0 to broker 2 (same rack as... no: a→a is fine)
    // and from broker 1 to broker 3; both keep racks. Force the only useful destinations to break racks:
    const result = optimize(m, {
      goals: [goal('RackAwareGoal'), goal('DiskUsageDistributionGoal')],
      destinationBrokerIds: new Set([2, 3]),
    });
    for (let p = 0; p < m.partitionCount; p++) expect(new Set(racksOf(m, p)).size).toBe(racksOf(m, p).length);
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expectInvariants(m);
  });

  it('fails naming the goal and the partition when two racks cannot hold three replicas', () => {
    const m = rackModel(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]);
    expect(() => optimize(m, { goals: [goal('RackAwareGoal')] })).toThrow(HardGoalViolationError);
    expect(() =>
      optimize(rackModel(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]), { goals: [goal('RackAwareGoal')] }),
    ).toThrow(/RackAwareGoal cannot be met: t-0 has 3 replicas but only 2 racks are alive/);
    const skipped = optimize(rackModel(['a', 'a', 'b'], [{ replicas: [0, 1, 2] }]), {
      goals: [goal('RackAwareGoal')],
      skipHardGoalCheck: true,
    });
    expect(skipped.goals[0]!.after.satisfied).toBe(false);
  });
});

describe('goal scope', () => {
  it('does not count partitions of excluded topics against RackAwareGoal, as Cruise Control', () => {
    const m = rackModel(
      ['a', 'a', 'b'],
      [
        { topic: 'internal', replicas: [0, 1, 2] },
        { topic: 'app', replicas: [0, 2] },
      ],
    );
    const result = optimize(m, { goals: [goal('RackAwareGoal')], excludedTopics: /^internal$/ });
    expect(result.goals[0]!.after.satisfied).toBe(true);
    expect(result.proposals).toEqual([]);
  });
});
