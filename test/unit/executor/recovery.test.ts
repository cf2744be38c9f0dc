// Recovery from Kafka (issue 15): when the execution record is gone (Redis came back empty) while
// Kafka still carries Ballast's marked throttles and moves in flight, the engine rebuilds an
// execution that stops and cleans up, so nothing is left on the cluster; with a running record, or
// no marked throttle, it does nothing.
import { describe, expect, it } from 'vitest';
import { ExecutionEngine, InMemoryExecutionStore } from '../../../src/executor/index.js';
import {
  executionOptions,
  fourBrokers,
  NO_THROTTLE_WAIT,
  startEngine,
  throttlesLeft,
} from '../../fixtures/executions.js';
import { partitionProposal } from '../../fixtures/proposals.js';

const options = executionOptions({ concurrentPartitionMovementsPerBroker: 1 });
const cluster = () =>
  fourBrokers([
    [0, 1],
    [0, 2],
    [1, 2],
  ]);

/** An execution with orders-0 moving to broker 3 (throttled) and orders-1 waiting behind it. */
async function midExecution() {
  const { gateway, engine } = await startEngine(
    cluster(),
    [
      partitionProposal({ partition: 0, oldReplicas: [0, 1], newReplicas: [3, 1] }),
      partitionProposal({ partition: 1, oldReplicas: [0, 2], newReplicas: [3, 2] }),
    ],
    options,
    { operation: 'self_healing:BROKER_FAILURE', engineOptions: NO_THROTTLE_WAIT },
  );
  await engine.step();
  return gateway;
}

describe('ExecutionEngine.recover', () => {
  it('with the record lost mid-execution, stops the moves in flight and removes every throttle', async () => {
    const gateway = await midExecution();
    expect((await gateway.snapshot()).reassignments).toHaveLength(1);
    expect(throttlesLeft(gateway, [0, 1, 2, 3]).length).toBeGreaterThan(0);

    // Redis came back empty: a fresh store, a fresh engine.
    const store = new InMemoryExecutionStore();
    const engine = new ExecutionEngine(gateway, store, Date.now, NO_THROTTLE_WAIT);
    const recovered = await engine.recover('Redis reachable again', options);
    expect(recovered).toMatchObject({ status: 'STOPPING', operation: 'recovered' });
    expect(recovered!.reason).toMatch(
      /^Redis reachable again: Kafka carries Ballast's replication throttles on broker\(s\) 0, 1, 3/,
    );
    const sorted = (replicas: readonly number[]) => [...replicas].sort((a, b) => a - b);
    expect(recovered!.tasks.map((t) => [t.topic, t.partition, sorted(t.oldReplicas), sorted(t.newReplicas)])).toEqual([
      ['orders', 0, [0, 1], [1, 3]],
    ]);
    expect(await store.load()).toMatchObject({ id: recovered!.id });

    const { record } = await engine.step();
    expect(record!.status).toBe('STOPPED');
    expect(record!.tasks[0]!.state).toBe('ABORTED'); // all originals alive: cancelled
    expect((await gateway.snapshot()).reassignments).toEqual([]);
    expect(throttlesLeft(gateway, [0, 1, 2, 3])).toEqual([]);
    expect((await gateway.snapshot()).partitions.map((p) => sorted(p.replicas))).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('removes stale topic entries and marked rates when no move is in flight; leaves "*" lists alone', async () => {
    const gateway = await midExecution();
    gateway.completeReassignments(); // the move ended, but nothing recorded its end
    await gateway.alterConfigs([
      {
        resource: { type: 'topic', topic: 'orders' },
        name: 'leader.replication.throttled.replicas',
        operation: 'SET',
        value: '*',
      },
    ]);
    const engine = new ExecutionEngine(gateway, new InMemoryExecutionStore(), Date.now, NO_THROTTLE_WAIT);
    const recovered = await engine.recover('start-up', options);
    expect(recovered!.tasks).toEqual([]);
    await engine.step();
    expect(throttlesLeft(gateway, [0, 1, 2, 3])).toEqual(['orders leader.replication.throttled.replicas=*']);
  });

  it('does nothing while a running execution is recorded, or when Kafka has no throttle of Ballast', async () => {
    const gateway = cluster();
    const store = new InMemoryExecutionStore();
    const engine = new ExecutionEngine(gateway, store, Date.now, NO_THROTTLE_WAIT);
    expect(await engine.recover('start-up', options)).toBeNull();
    // Someone else's throttle rate, without Ballast's mark, is not Ballast's to remove.
    await gateway.alterConfigs([
      {
        resource: { type: 'broker', brokerId: 1 },
        name: 'leader.replication.throttled.rate',
        operation: 'SET',
        value: '1000',
      },
    ]);
    expect(await engine.recover('start-up', options)).toBeNull();

    const running = await midExecution();
    const ownStore = new InMemoryExecutionStore();
    const own = new ExecutionEngine(running, ownStore, Date.now, NO_THROTTLE_WAIT);
    await own.start({ operation: 'rebalance', reason: 'test', tasks: [], options });
    await ownStore.save({ ...(await ownStore.load())!, status: 'IN_PROGRESS' });
    expect(await own.recover('start-up', options)).toBeNull();
  });
});
