// The reconciler's verdict on leader tasks: a plain leader move is done once the leader is there,
// one that reorders the replicas (a demotion) only once the order is there too.
import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../../src/executor/execution-record.js';
import { tasksFromProposals } from '../../../src/executor/index.js';
import { reconcile, reordersReplicas, type SnapshotIndex } from '../../../src/executor/task-reconciler.js';
import { partitionProposal, type ProposalSpec } from '../../fixtures/proposals.js';

const TIMEOUT_MS = 60_000;

function leaderTask(spec: Omit<ProposalSpec, 'partition'>): TaskRecord {
  const [task] = tasksFromProposals([partitionProposal({ partition: 0, ...spec })], () => ({ sizeBytes: 1 }));
  expect(task?.kind).toBe('LEADER_ACTION');
  return { ...task!, state: 'IN_PROGRESS', startedAtMs: 0 };
}

function index(replicas: number[], leader: number): SnapshotIndex {
  return {
    partitions: new Map([
      ['orders-0', { topic: 'orders', partition: 0, leader, replicas, isr: replicas, offlineReplicas: [] }],
    ]),
    reassigning: new Set(),
    reassignmentTargets: new Map(),
    aliveBrokers: new Set([1, 2, 3]),
    knownBrokers: new Set([1, 2, 3]),
    minInsyncReplicas: new Map([['orders', 1]]),
    replicaDir: new Map(),
  };
}

describe('reconcile: leader tasks', () => {
  it('completes a plain leader move once the leader is there, whatever the order', () => {
    const task = leaderTask({ oldReplicas: [1, 2, 3], newReplicas: [1, 2, 3], newLeader: 2 });
    expect(reordersReplicas(task)).toBe(false);
    expect(reconcile(task, index([1, 2, 3], 2), 1, TIMEOUT_MS)).toEqual({ kind: 'completed' });
    expect(reconcile(task, index([2, 1, 3], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'running' });
  });

  it('completes a reorder where the leader stays only once the replicas are in the new order', () => {
    const task = leaderTask({ oldReplicas: [1, 2, 3], newReplicas: [1, 3, 2], newLeader: 1 });
    expect(reordersReplicas(task)).toBe(true);
    expect(reconcile(task, index([1, 2, 3], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'running' });
    expect(reconcile({ ...task, submitting: true }, index([1, 2, 3], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'not-sent' });
    expect(reconcile(task, index([1, 3, 2], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'completed' });
  });

  it('completes a demotion that moves the leader once both the leader and the order are there', () => {
    // Broker 2 is demoted from second place: the leader moves to 1 and 2 goes last.
    const task = leaderTask({ oldReplicas: [1, 2, 3], newReplicas: [1, 3, 2], oldLeader: 2, newLeader: 1 });
    expect(reordersReplicas(task)).toBe(true);
    expect(reconcile(task, index([1, 2, 3], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'running' });
    expect(reconcile(task, index([1, 3, 2], 1), 1, TIMEOUT_MS)).toEqual({ kind: 'completed' });
    expect(reconcile(task, index([1, 3, 2], 1), TIMEOUT_MS + 1, TIMEOUT_MS)).toEqual({ kind: 'completed' });
    expect(reconcile(task, index([1, 2, 3], 1), TIMEOUT_MS + 1, TIMEOUT_MS)).toEqual({
      kind: 'dead',
      detail: 'replicas of orders-0 were not reordered to [1, 3, 2] within 60000 ms',
    });
  });

  it('treats a leader task after a replica move as a plain leader move', () => {
    const [, task] = tasksFromProposals(
      [partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [3, 2], newLeader: 2 })],
      () => ({ sizeBytes: 1 }),
    );
    expect(task?.kind).toBe('LEADER_ACTION');
    expect(reordersReplicas(task!)).toBe(false);
  });
});
