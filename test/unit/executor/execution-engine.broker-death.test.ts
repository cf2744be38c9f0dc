// A broker that dies mid-execution (issue 15): moves whose target keeps it can never finish, and a
// plain cancel back onto it is unsafe (KAFKA-14424). The engine re-targets them to the live part of
// their target, finishes what still can, and a stop always reaches STOPPED with nothing left
// behind. Throttles are recorded before they reach Kafka, so a crash right after sending them
// leaves a record a later stop clears them from.
import { describe, expect, it } from 'vitest';
import { ExecutionEngine, InMemoryExecutionStore } from '../../../src/executor/index.js';
import { BALLAST_THROTTLE_MARKER, type ConfigChange, type ConfigChangeResult } from '../../../src/kafka/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import {
  executionOptions,
  fourBrokers,
  NO_THROTTLE_WAIT,
  startEngine,
  throttlesLeft,
} from '../../fixtures/executions.js';
import { partitionProposal } from '../../fixtures/proposals.js';

const options = executionOptions({ concurrentPartitionMovementsPerBroker: 2 });

/** Brokers 0–3 on four racks, RF 3, min ISR 2; broker 3 empty. */
const cluster = () =>
  fourBrokers(
    [
      [1, 2, 0],
      [1, 2, 0],
      [0, 2, 1],
    ],
    2,
  );

/**
 * orders-0 keeps broker 1 and gives 0's replica to 3, orders-1 gives 1's replica to 3; orders-2
 * waits behind them (broker 3 takes two moves at a time).
 */
const PROPOSALS = [
  partitionProposal({ partition: 0, oldReplicas: [1, 2, 0], newReplicas: [1, 2, 3] }),
  partitionProposal({ partition: 1, oldReplicas: [1, 2, 0], newReplicas: [3, 2, 0] }),
  partitionProposal({ partition: 2, oldReplicas: [0, 2, 1], newReplicas: [0, 2, 3] }),
];

const setUp = () => startEngine(cluster(), PROPOSALS, options, { engineOptions: NO_THROTTLE_WAIT });

const inter = (record: { tasks: { kind: string; partition: number; state: string }[] }, partition: number) =>
  record.tasks.find((t) => t.kind === 'INTER_BROKER_REPLICA_ACTION' && t.partition === partition)!;

describe('ExecutionEngine when a broker dies mid-execution', () => {
  it('re-targets a move whose target keeps the dead broker, finishes the others, and a stop ends STOPPED', async () => {
    const { gateway, engine } = await setUp();
    await engine.step(); // orders-0 and orders-1 start
    expect((await gateway.snapshot()).reassignments.map((r) => r.partition)).toEqual([0, 1]);
    gateway.killBroker(1);

    let { record } = await engine.step();
    const moved = inter(record!, 0) as unknown as { state: string; retargetReplicas?: number[]; note?: string };
    // [1,2,0] → [1,2,3] cannot finish without 1, and cancelling back onto 1 is unsafe: 1 is dropped.
    expect(moved.state).toBe('ABORTING');
    expect(moved.retargetReplicas).toEqual([2, 3, 0]);
    expect(moved.note).toMatch(/broker\(s\) 1 of the target \[1, 2, 3\] died: re-targeted to \[2, 3, 0\]/);
    expect(record!.pausedReason).toMatch(/broker 1 died mid-execution/);

    gateway.completeReassignments();
    ({ record } = await engine.step());
    expect(inter(record!, 0).state).toBe('ABORTED');
    expect(inter(record!, 1).state).toBe('COMPLETED'); // [1,2,0] → [3,2,0] never needed broker 1
    expect(inter(record!, 2).state).toBe('PENDING'); // paused: broker 1 is dead
    const partitions = (await gateway.snapshot()).partitions;
    expect(partitions[0]!.replicas.sort()).toEqual([0, 2, 3]);
    expect(partitions[1]!.replicas.sort()).toEqual([0, 2, 3]);

    await engine.requestStop('operator');
    ({ record } = await engine.step());
    expect(record!.status).toBe('STOPPED');
    expect(inter(record!, 2).state).toBe('ABORTED');
    expect((await gateway.snapshot()).reassignments).toEqual([]);
    expect(throttlesLeft(gateway, [0, 2, 3])).toEqual([]);
  });

  it('a stop requested while such a move is ABORTING still ends (was STOPPING for ever)', async () => {
    const { gateway, engine } = await setUp();
    await engine.step();
    gateway.killBroker(1);
    await engine.requestStop('operator');
    // orders-0's cancel is refused (original replica 1 is dead): the stop re-targets it instead.
    let { record } = await engine.step();
    expect(record!.status).toBe('STOPPING');
    for (let i = 0; i < 3 && record!.status === 'STOPPING'; i++) {
      gateway.completeReassignments();
      ({ record } = await engine.step());
    }
    expect(record!.status).toBe('STOPPED');
    expect(record!.tasks.every((t) => ['ABORTED', 'COMPLETED', 'DEAD'].includes(t.state))).toBe(true);
    expect((await gateway.snapshot()).reassignments).toEqual([]);
    expect(throttlesLeft(gateway, [0, 2, 3])).toEqual([]);
  });

  it('a move with no live in-sync replica left waits while running, and ends DEAD on a stop', async () => {
    const { gateway, engine } = await startEngine(
      fourBrokers([[1, 2]]),
      [partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [1, 3] })],
      options,
      { engineOptions: NO_THROTTLE_WAIT },
    );
    await engine.step();
    gateway.killBroker(1);
    gateway.killBroker(2); // both holders of the data: nothing can copy from anywhere
    let { record } = await engine.step();
    expect(record!.status).toBe('IN_PROGRESS');
    expect(record!.tasks[0]!.note).toMatch(/no live in-sync replica/);
    await engine.requestStop('operator');
    ({ record } = await engine.step());
    expect(record!.status).toBe('STOPPED');
    expect(record!.tasks[0]!.state).toBe('DEAD');
    expect(record!.tasks[0]!.note).toMatch(/left to Kafka/);
  });
});

describe('ExecutionEngine throttles and a crash', () => {
  it('records throttles before they reach Kafka: killed right after sending them, a restarted stop clears them all', async () => {
    const gateway = cluster();
    const store = new InMemoryExecutionStore();
    // The process dies the moment its first throttles reach Kafka: the configs are applied, the
    // call never returns, and nothing after it runs (no save).
    const crashing = Object.create(gateway) as InMemoryGateway;
    crashing.alterConfigs = async (changes: ConfigChange[]): Promise<ConfigChangeResult[]> => {
      await gateway.alterConfigs(changes);
      throw new Error('killed');
    };
    const { engine: first } = await startEngine(crashing, PROPOSALS, options, {
      store,
      engineOptions: NO_THROTTLE_WAIT,
    });
    await expect(first.step()).rejects.toThrow('killed');
    expect(throttlesLeft(gateway, [0, 1, 2, 3]).length).toBeGreaterThan(0);
    const saved = await store.load();
    expect(saved!.tasks.every((t) => t.state === 'PENDING')).toBe(true);
    expect(saved!.throttledBrokers.sort()).toEqual([0, 1, 2, 3]);

    const restarted = new ExecutionEngine(gateway, store, Date.now, NO_THROTTLE_WAIT);
    await restarted.requestStop('operator');
    const { record } = await restarted.step();
    expect(record!.status).toBe('STOPPED');
    expect(throttlesLeft(gateway, [0, 1, 2, 3])).toEqual([]);
  });

  it('marks the brokers whose replication rates it sets, and removes the mark with the rates', async () => {
    const { gateway, engine } = await setUp();
    await engine.step();
    expect(gateway.configsOf({ type: 'broker', brokerId: 3 })[BALLAST_THROTTLE_MARKER]).toBeDefined();
    expect((await gateway.snapshot()).brokerThrottles[3]!.setByBallast).toBe(true);
    await engine.requestStop('operator');
    await engine.step();
    expect(gateway.configsOf({ type: 'broker', brokerId: 3 })[BALLAST_THROTTLE_MARKER]).toBeUndefined();
  });
});
