// The execution engine over the in-memory cluster: moves started within the limits with throttles
// first, throttles gone when the moves end, leadership last, a restart between marking and
// sending never sends twice nor loses a move, a stop cancels what is safe, a dead destination rolls back.
import { describe, expect, it } from 'vitest';
import { ExecutionEngine, ExecutionInProgressError, InMemoryExecutionStore } from '../../../src/executor/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { brokersOneToFour, executionOptions, startEngine } from '../../fixtures/executions.js';
import { partitionProposal } from '../../fixtures/proposals.js';

const RATE = 1_000_000;
const options = executionOptions({ concurrentPartitionMovementsPerBroker: 1 }, RATE);

function cluster(): InMemoryGateway {
  return new InMemoryGateway(
    brokersOneToFour([
      {
        name: 'orders',
        configs: { minInsyncReplicas: 1 },
        partitions: [
          { replicas: [1, 2], sizeBytes: 1000 },
          { replicas: [1, 3], sizeBytes: 2000 },
          { replicas: [2, 3], sizeBytes: 500 },
        ],
      },
    ]),
  );
}

const proposal = (partition: number, oldReplicas: number[], newReplicas: number[], newLeader = newReplicas[0]) =>
  partitionProposal({ partition, oldReplicas, newReplicas, newLeader });

/** orders-0 and orders-1 leave broker 1 for broker 4 (one at a time: both involve 1 and 4); orders-2's leader moves to 3. */
const PROPOSALS = [proposal(0, [1, 2], [4, 2], 2), proposal(1, [1, 3], [4, 3], 3), proposal(2, [2, 3], [2, 3], 3)];

const setUp = () => startEngine(cluster(), PROPOSALS, options);

const states = async (store: InMemoryExecutionStore) =>
  (await store.load())!.tasks.map((t) => `${t.kind[0]}${t.partition}:${t.state}`);

describe('ExecutionEngine', () => {
  it('runs a proposal to the end: throttles on first, one move per broker at a time, leadership last, nothing left behind', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step();
    const during = await gateway.snapshot();
    // orders-0 and orders-1 both involve brokers 1 and 4: only one moves at a time.
    expect(during.reassignments.map((r) => r.partition)).toEqual([0]);
    expect(during.brokerThrottles[4]).toMatchObject({
      leaderReplicationThrottledRate: RATE,
      followerReplicationThrottledRate: RATE,
    });
    expect(gateway.configsOf({ type: 'topic', topic: 'orders' })).toMatchObject({
      'leader.replication.throttled.replicas': '0:1,0:2',
      'follower.replication.throttled.replicas': '0:4',
    });
    expect(await states(store)).toEqual(['I0:IN_PROGRESS', 'L0:PENDING', 'I1:PENDING', 'L1:PENDING', 'L2:PENDING']);

    gateway.completeReassignments();
    await engine.step();
    expect((await gateway.snapshot()).reassignments.map((r) => r.partition)).toEqual([1]);
    // orders-0's entries went with its move; orders-1's came.
    expect(gateway.configsOf({ type: 'topic', topic: 'orders' })).toMatchObject({
      'leader.replication.throttled.replicas': '1:1,1:3',
      'follower.replication.throttled.replicas': '1:4',
    });

    gateway.completeReassignments();
    let result = await engine.step(); // orders-1 done: throttles cleared, leadership starts
    for (let i = 0; i < 5 && result.more; i++) result = await engine.step();
    expect(result.more).toBe(false);
    expect(result.record!.status).toBe('COMPLETED');
    expect(await states(store)).toEqual([
      'I0:COMPLETED',
      'L0:COMPLETED',
      'I1:COMPLETED',
      'L1:COMPLETED',
      'L2:COMPLETED',
    ]);
    const after = await gateway.snapshot();
    const byPartition = (p: number) => after.partitions.find((x) => x.partition === p)!;
    expect([byPartition(0).replicas, byPartition(0).leader]).toEqual([[2, 4], 2]);
    expect([byPartition(1).replicas, byPartition(1).leader]).toEqual([[3, 4], 3]);
    expect(byPartition(2).leader).toBe(3);
    // No throttle anywhere.
    for (const b of [1, 2, 3, 4]) expect(gateway.configsOf({ type: 'broker', brokerId: b })).toEqual({});
    const topic = gateway.configsOf({ type: 'topic', topic: 'orders' });
    expect(topic['leader.replication.throttled.replicas'] ?? '').toBe('');
    expect(topic['follower.replication.throttled.replicas'] ?? '').toBe('');
  });

  it('refuses a second execution while one runs', async () => {
    const { engine } = await setUp();
    await expect(engine.start({ operation: 'rebalance', reason: 'again', tasks: [], options })).rejects.toThrow(
      ExecutionInProgressError,
    );
  });

  it('after a crash between marking a move and sending it, sends it once: not again when Kafka has it, again when not', async () => {
    const { gateway, store } = await setUp();
    // Crash 1: the move was marked but never sent.
    const record = (await store.load())!;
    record.tasks[0]!.submitting = true;
    record.tasks[0]!.state = 'IN_PROGRESS';
    await store.save(record);
    const restarted = new ExecutionEngine(gateway, store);
    await restarted.step();
    expect((await gateway.snapshot()).reassignments.map((r) => r.partition)).toEqual([0]);
    expect((await store.load())!.tasks[0]).toMatchObject({ state: 'IN_PROGRESS', submitting: false });

    // Crash 2: marked, sent, and the process died before it recorded the answer.
    const again = (await store.load())!;
    again.tasks[0]!.submitting = true;
    await store.save(again);
    const sent: unknown[] = [];
    const original = gateway.reassign.bind(gateway);
    gateway.reassign = (targets) => {
      sent.push(...targets);
      return original(targets);
    };
    await new ExecutionEngine(gateway, store).step();
    // Kafka has it in flight: recognised, not sent a second time.
    expect(sent).toEqual([]);
    expect((await store.load())!.tasks[0]).toMatchObject({ state: 'IN_PROGRESS', submitting: false });
  });

  it('stop: cancels the move in flight, drops the rest, and clears every throttle', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step();
    await engine.requestStop('operator');
    const result = await engine.step();
    expect(result.record!.status).toBe('STOPPED');
    expect(await states(store)).toEqual(['I0:ABORTED', 'L0:ABORTED', 'I1:ABORTED', 'L1:ABORTED', 'L2:ABORTED']);
    const after = await gateway.snapshot();
    expect(after.reassignments).toEqual([]);
    expect(after.partitions.find((p) => p.partition === 0)!.replicas.sort()).toEqual([1, 2]);
    for (const b of [1, 2, 3, 4]) expect(gateway.configsOf({ type: 'broker', brokerId: b })).toEqual({});
  });

  it('a destination that dies mid-move marks the task DEAD and rolls the reassignment back', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step();
    gateway.killBroker(4);
    await engine.step();
    const task = (await store.load())!.tasks[0]!;
    expect(task.state).toBe('DEAD');
    expect(task.note).toMatch(/destination broker\(s\) 4 died; rolled back to the original replicas/);
    expect((await gateway.snapshot()).reassignments.filter((r) => r.partition === 0)).toEqual([]);
  });
});
