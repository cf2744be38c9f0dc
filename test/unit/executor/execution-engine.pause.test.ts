// The engine pauses new moves on cluster trouble it did not cause — a broker alive at the start
// dies, or under-replication rises outside the execution's moves — keeps the moves in flight
// settling, says why, and resumes on its own once the trouble clears. Its own moves' under-
// replication and what was already under-replicated at the start never pause it.
import { describe, expect, it } from 'vitest';
import { executorState, type ExecutionEngineOptions } from '../../../src/executor/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { brokersOneToFour, executionOptions, startEngine } from '../../fixtures/executions.js';
import { partitionProposal } from '../../fixtures/proposals.js';

const options = executionOptions({ concurrentPartitionMovementsPerBroker: 1 }, 1_000_000);

/** Brokers 1–4; `other` is outside the execution, its partition 1 already under-replicated at the start. */
function cluster(): InMemoryGateway {
  return new InMemoryGateway(
    brokersOneToFour([
      {
        name: 'orders',
        partitions: [
          { replicas: [1, 2], sizeBytes: 1000 },
          { replicas: [1, 3], sizeBytes: 2000 },
        ],
      },
      {
        name: 'other',
        partitions: [
          { replicas: [2, 3], logDirs: ['/d0', '/d1'] },
          { replicas: [2, 3], isr: [2] },
        ],
      },
    ]),
  );
}

/** orders-0 and orders-1 leave broker 1 for broker 4, one at a time (both involve 1 and 4). */
const PROPOSALS = [
  partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [4, 2] }),
  partitionProposal({ partition: 1, oldReplicas: [1, 3], newReplicas: [4, 3] }),
];

const setUp = (engineOptions: ExecutionEngineOptions = {}) =>
  startEngine(cluster(), PROPOSALS, options, { engineOptions });

const moving = async (gateway: InMemoryGateway) =>
  (await gateway.snapshot()).reassignments.map((r) => `${r.topic}-${r.partition}`);
const pauseEvents = (events: string[]) => events.filter((e) => /^(paused|new moves resumed)/.test(e));

describe('ExecutionEngine on cluster trouble', () => {
  it('a broker that dies mid-execution pauses new moves, says why, and they resume once it is back', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step(); // orders-0 starts
    gateway.completeReassignments();
    gateway.killBroker(2); // orders-1 does not involve broker 2: only the pause holds it back

    let { record } = await engine.step();
    expect(record!.tasks[0]!.state).toBe('COMPLETED'); // the move in flight still settled
    expect(record!.tasks.find((t) => t.partition === 1 && t.kind === 'INTER_BROKER_REPLICA_ACTION')!.state).toBe(
      'PENDING',
    );
    expect(await moving(gateway)).toEqual([]);
    expect(record!.pausedReason).toMatch(/^broker 2 died mid-execution: new moves paused until it is back/);
    expect(executorState(record, Date.now()).pausedReason).toBe(record!.pausedReason);

    ({ record } = await engine.step()); // still paused: no second event
    expect(await moving(gateway)).toEqual([]);
    expect(pauseEvents(record!.events)).toHaveLength(1);

    gateway.restartBroker(2);
    ({ record } = await engine.step());
    expect(record!.pausedReason).toBeUndefined();
    expect(executorState(record, Date.now()).pausedReason).toBeNull();
    expect(await moving(gateway)).toEqual(['orders-1']);
    expect(pauseEvents(record!.events)).toEqual([
      expect.stringMatching(/^paused: broker 2 died/),
      expect.stringMatching(/^new moves resumed/),
    ]);
    expect((await store.load())!.status).toBe('IN_PROGRESS');
  });

  it('under-replication rising outside the execution pauses new moves until it heals', async () => {
    const { gateway, engine } = await setUp();
    await engine.step();
    gateway.completeReassignments();
    gateway.failLogDir(3, '/d1'); // other-0's replica on broker 3 goes offline; the broker stays alive

    let { record } = await engine.step();
    // other-1 was under-replicated before the execution started: it is the baseline, not news.
    expect(record!.pausedReason).toBe(
      'under-replicated partitions outside this execution rose from 1 to 2 (e.g. other-0): new moves paused',
    );
    expect(await moving(gateway)).toEqual([]);

    gateway.restartBroker(3); // the dir is back and its replicas rejoin the ISR
    ({ record } = await engine.step());
    expect(record!.pausedReason).toBeUndefined();
    expect(await moving(gateway)).toEqual(['orders-1']);
  });

  it('the execution’s own moves leave partitions under-replicated without pausing it', async () => {
    const { gateway, engine } = await setUp();
    await engine.step();
    // orders-0 is copying to broker 4: under-replicated, but by the execution's own doing.
    const during = await gateway.snapshot();
    const orders0 = during.partitions.find((p) => p.topic === 'orders' && p.partition === 0)!;
    expect(orders0.isr.length).toBeLessThan(orders0.replicas.length);
    let { record } = await engine.step();
    expect(record!.pausedReason).toBeUndefined();
    expect(pauseEvents(record!.events)).toEqual([]);

    gateway.completeReassignments();
    ({ record } = await engine.step());
    expect(record!.pausedReason).toBeUndefined();
    expect(await moving(gateway)).toEqual(['orders-1']);
  });

  it('with pauseOnClusterTrouble off, a dead broker holds back only the moves that involve it', async () => {
    const { gateway, engine } = await setUp({ pauseOnClusterTrouble: false });
    await engine.step();
    gateway.completeReassignments();
    gateway.killBroker(2);
    const { record } = await engine.step();
    expect(record!.pausedReason).toBeUndefined();
    expect(await moving(gateway)).toEqual(['orders-1']);
  });

  it('a destination that dies mid-move is still rolled back while new moves pause', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step();
    gateway.killBroker(4);
    const { record } = await engine.step();
    expect(record!.tasks[0]!.state).toBe('DEAD');
    expect(record!.tasks[0]!.note).toMatch(/rolled back to the original replicas/);
    expect(record!.pausedReason).toMatch(/broker 4 died mid-execution/);
    expect(await moving(gateway)).toEqual([]);
    expect((await store.load())!.tasks.filter((t) => t.state === 'PENDING').length).toBeGreaterThan(0);
  });
});
