// The execution planner: tasks from a proposal, Cruise Control's three phases, per-broker and
// cluster limits, chained movement strategies, and the N-1 rule for starting a move.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MOVEMENT_LIMITS,
  ExecutionPlanner,
  isReplicaMovementStrategy,
  tasksFromProposals,
  type ExecutionTask,
  type PartitionHealth,
} from '../../../src/executor/index.js';
import { partitionProposal, type ProposalSpec } from '../../fixtures/proposals.js';

function proposal(
  partition: number,
  oldReplicas: number[],
  newReplicas: number[],
  options: Omit<ProposalSpec, 'partition' | 'oldReplicas' | 'newReplicas'> = {},
) {
  return partitionProposal({ topic: 't', ...options, partition, oldReplicas, newReplicas });
}

const MB = 1024 * 1024;
const sizes = new Map<number, number>();
const factsOf = (_topic: string, partition: number) => ({ sizeBytes: sizes.get(partition) ?? MB });
const healthy: PartitionHealth = {
  inSyncReplicas: 3,
  minInsyncReplicas: 2,
  offlineReplicas: 0,
  underReplicated: false,
};

function planner(tasks: ExecutionTask[], options: Partial<ConstructorParameters<typeof ExecutionPlanner>[1]> = {}) {
  return new ExecutionPlanner(tasks, {
    limits: DEFAULT_MOVEMENT_LIMITS,
    strategies: [],
    healthOf: () => healthy,
    ...options,
  });
}

describe('tasksFromProposals', () => {
  it('makes an inter-broker task with the new leader first, and a leader task to elect it afterwards', () => {
    const [move, lead] = tasksFromProposals([proposal(0, [1, 2, 3], [4, 2, 3], { newLeader: 2 })], factsOf);
    expect(move).toMatchObject({
      kind: 'INTER_BROKER_REPLICA_ACTION',
      oldReplicas: [1, 2, 3],
      newReplicas: [2, 4, 3],
      sourceBrokers: [1],
      destinationBrokers: [4],
      sizeBytes: MB,
    });
    expect(lead).toMatchObject({ kind: 'LEADER_ACTION', oldLeader: 1, newLeader: 2, newReplicas: [2, 4, 3] });
  });

  it('makes only a leader task when the replicas stay, and an intra-broker task per changed log dir', () => {
    const tasks = tasksFromProposals(
      [
        proposal(0, [1, 2], [1, 2], { newLeader: 2 }),
        proposal(1, [1, 2], [1, 2], { oldLogDirs: ['/a', '/a'], newLogDirs: ['/b', '/a'] }),
      ],
      factsOf,
    );
    expect(tasks.map((t) => [t.kind, t.partition])).toEqual([
      ['LEADER_ACTION', 0],
      ['INTRA_BROKER_REPLICA_ACTION', 1],
    ]);
    expect(tasks[0]!.newReplicas).toEqual([2, 1]);
    expect(tasks[1]).toMatchObject({ broker: 1, fromLogDir: '/a', toLogDir: '/b' });
  });

  it('makes a leader task for the same replicas in a new order even when the leader stays (a demotion)', () => {
    const tasks = tasksFromProposals(
      [
        proposal(0, [1, 2, 3], [1, 3, 2], { newLeader: 1 }),
        proposal(1, [2, 1, 3], [1, 3, 2], { oldLeader: 2, newLeader: 1 }),
      ],
      factsOf,
    );
    expect(tasks.map((t) => [t.kind, t.oldLeader, t.newLeader, t.newReplicas])).toEqual([
      ['LEADER_ACTION', 1, 1, [1, 3, 2]],
      ['LEADER_ACTION', 2, 1, [1, 3, 2]],
    ]);
  });

  it('makes no task for an order that putting the leader first undoes, nor for a log-dir-only change', () => {
    const tasks = tasksFromProposals(
      [
        // The order changes, but the leader task would put 2 first again: the same assignment.
        proposal(0, [2, 1, 3], [1, 2, 3], { oldLeader: 2, newLeader: 2 }),
        // Kafka's leader is not the preferred one and stays; only a log dir moves.
        proposal(1, [1, 2], [1, 2], { oldLeader: 2, newLeader: 2, oldLogDirs: ['/a', '/a'], newLogDirs: ['/b', '/a'] }),
        // Offline, reordered: nothing to elect.
        proposal(2, [1, 2], [2, 1], { oldLeader: -1, newLeader: -1 }),
      ],
      factsOf,
    );
    expect(tasks.map((t) => [t.kind, t.partition])).toEqual([['INTRA_BROKER_REPLICA_ACTION', 1]]);
  });
});

describe('ExecutionPlanner', () => {
  it('runs the phases in order: replica moves between brokers, then within brokers, then leadership', () => {
    const tasks = tasksFromProposals(
      [
        proposal(0, [1, 2], [1, 3]),
        proposal(1, [1, 2], [1, 2], { oldLogDirs: ['/a', '/a'], newLogDirs: ['/b', '/a'] }),
        proposal(2, [1, 2], [1, 2], { newLeader: 2 }),
      ],
      factsOf,
    );
    const plan = planner(tasks);
    const first = plan.next([]).start;
    expect(first.map((t) => t.kind)).toEqual(['INTER_BROKER_REPLICA_ACTION']);
    // While the move is in flight, nothing of the next phase starts.
    expect(plan.next(first).start).toEqual([]);
    expect(plan.phase(first)).toBe('INTER_BROKER_REPLICA_ACTION');
    const second = plan.next([]).start;
    expect(second.map((t) => t.kind)).toEqual(['INTRA_BROKER_REPLICA_ACTION']);
    const third = plan.next([]).start;
    expect(third.map((t) => t.kind)).toEqual(['LEADER_ACTION']);
    expect(plan.phase([])).toBe('DONE');
  });

  it('keeps every broker within concurrent_partition_movements_per_broker, as source or destination', () => {
    // Ten partitions all moving from broker 1 to broker 2 or 3.
    const tasks = tasksFromProposals(
      Array.from({ length: 10 }, (_, p) => proposal(p, [1, 4], [p % 2 === 0 ? 2 : 3, 4])),
      factsOf,
    );
    const plan = planner(tasks, { limits: { ...DEFAULT_MOVEMENT_LIMITS, concurrentPartitionMovementsPerBroker: 3 } });
    const started = plan.next([]).start;
    expect(started).toHaveLength(3);
    // Broker 1 is the source of all three; one more finishing frees exactly one slot.
    expect(plan.next(started.slice(1)).start).toHaveLength(1);
  });

  it('keeps the cluster within max_partition_movements_in_cluster', () => {
    const tasks = tasksFromProposals(
      Array.from({ length: 10 }, (_, p) => proposal(p, [10 + p], [20 + p])),
      factsOf,
    );
    const plan = planner(tasks, { limits: { ...DEFAULT_MOVEMENT_LIMITS, maxPartitionMovementsInCluster: 4 } });
    expect(plan.next([]).start).toHaveLength(4);
  });

  it('orders moves by the chained strategies, proposal order breaking ties', () => {
    sizes
      .set(0, 5 * MB)
      .set(1, 1 * MB)
      .set(2, 5 * MB)
      .set(3, 3 * MB);
    const tasks = tasksFromProposals(
      Array.from({ length: 4 }, (_, p) => proposal(p, [10 + p], [20 + p])),
      factsOf,
    );
    const order = (strategies: string[], healthOf = (_t: ExecutionTask) => healthy) =>
      planner(tasks, { strategies: strategies.filter(isReplicaMovementStrategy), healthOf })
        .pendingTasks()
        .filter((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION')
        .map((t) => t.partition);
    expect(order([])).toEqual([0, 1, 2, 3]);
    expect(order(['PrioritizeSmallReplicaMovementStrategy'])).toEqual([1, 3, 0, 2]);
    expect(order(['PrioritizeLargeReplicaMovementStrategy'])).toEqual([0, 2, 3, 1]);
    // Under-replicated partition 0 goes last; the rest by size, largest first.
    const urp = (t: ExecutionTask) => ({ ...healthy, underReplicated: t.partition === 0 });
    expect(order(['PostponeUrpReplicaMovementStrategy', 'PrioritizeLargeReplicaMovementStrategy'], urp)).toEqual([
      2, 3, 1, 0,
    ]);
    const offline = (t: ExecutionTask) =>
      t.partition === 3 ? { ...healthy, inSyncReplicas: 2, offlineReplicas: 1 } : healthy;
    expect(order(['PrioritizeMinIsrWithOfflineReplicasStrategy'], offline)).toEqual([3, 0, 1, 2]);
    expect(isReplicaMovementStrategy('NoSuchStrategy')).toBe(false);
  });

  it('holds a move on a partition at min ISR unless it takes a replica off an offline broker', () => {
    const tasks = tasksFromProposals([proposal(0, [2, 3, 1], [2, 3, 4]), proposal(1, [2, 3, 5], [2, 3, 6])], factsOf);
    const atMinIsr = { ...healthy, inSyncReplicas: 2, offlineReplicas: 1, underReplicated: true };
    const plan = planner(tasks, { healthOf: () => atMinIsr });
    // Broker 5 is offline: partition 1's move repairs it; partition 0's would risk it.
    const { start, held } = plan.next([], new Set([5]));
    expect(start.map((t) => t.partition)).toEqual([1]);
    expect(held.map((h) => h.task.partition)).toEqual([0]);
    expect(held[0]!.reason).toMatch(/2 in-sync replica\(s\), min.insync.replicas 2/);
    // Still pending, asked about again; dropPending (a stop) empties the plan.
    expect(plan.pendingTasks().map((t) => t.partition)).toEqual([0]);
    expect(plan.dropPending().map((t) => t.partition)).toEqual([0]);
    expect(plan.phase([])).toBe('DONE');
  });

  it('counts as repairs a move that drops an out-of-sync replica (a failed log dir) or adds replicas', () => {
    // Broker 1 is alive but its replica is out of the ISR (failed dir): dropping it repairs.
    const tasks = tasksFromProposals(
      [proposal(0, [2, 3, 1], [2, 3, 4]), proposal(1, [2, 3, 5], [2, 5, 6]), proposal(2, [2, 3], [2, 3, 7])],
      factsOf,
    );
    const health = { ...healthy, inSyncReplicas: 2, offlineReplicas: 1, underReplicated: true, inSyncBrokers: [2, 3] };
    const { start, held } = planner(tasks, { healthOf: () => health }).next([], new Set());
    // Partition 1 drops in-sync broker 3 and keeps out-of-sync 5: no repair, held.
    expect(start.map((t) => t.partition)).toEqual([0, 2]);
    expect(held.map((h) => h.task.partition)).toEqual([1]);
  });

  it('never holds a partition that is fully in sync, even with no more replicas than min ISR', () => {
    // A single-replica topic (or RF = min ISR) survives no broker loss by configuration; moving it
    // keeps its replica in sync until the new one catches up, so remove_broker can finish.
    const tasks = tasksFromProposals([proposal(0, [1], [2])], factsOf);
    const fullyInSync = { ...healthy, inSyncReplicas: 1, minInsyncReplicas: 1, underReplicated: false };
    expect(planner(tasks, { healthOf: () => fullyInSync }).next([], new Set()).start).toHaveLength(1);
  });
});
