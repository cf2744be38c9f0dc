// The executor with a broker that is registered but does not answer (issue 15): its log dirs and
// throttles are unknown, not empty. A log-dir move on it is not declared dead, and a move that
// needs its throttle waits for the next step instead of spinning through the whole visibility wait.
import { describe, expect, it } from 'vitest';
import { indexSnapshot, reconcile } from '../../../src/executor/task-reconciler.js';
import type { ClusterSnapshot, SnapshotOptions, TopicConfigs } from '../../../src/kafka/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { brokersOneToFour, executionOptions, startEngine, tasksOf } from '../../fixtures/executions.js';
import { logDirMoveOnBroker2, partitionProposal } from '../../fixtures/proposals.js';

/** An in-memory cluster where the brokers in `silent` are listed but answer no per-broker request. */
class PartlySilentGateway extends InMemoryGateway {
  readonly silent = new Set<number>();

  override async snapshot(options?: SnapshotOptions): Promise<ClusterSnapshot> {
    const s = await super.snapshot(options);
    const error = 'no answer within 5000 ms';
    return {
      ...s,
      logDirs: s.logDirs.filter((d) => !this.silent.has(d.brokerId)),
      logDirErrors: [...this.silent].map((brokerId) => ({ brokerId, error })),
      brokerThrottles: Object.fromEntries(Object.entries(s.brokerThrottles).filter(([id]) => !this.silent.has(+id))),
      brokerConfigErrors: [...this.silent].map((brokerId) => ({ brokerId, error })),
    };
  }

  override async topicConfigsOn(brokerId: number, topics: readonly string[]): Promise<Map<string, TopicConfigs>> {
    if (this.silent.has(brokerId)) throw new Error(`broker ${brokerId} did not answer`);
    return super.topicConfigsOn(brokerId, topics);
  }
}

function cluster(): PartlySilentGateway {
  return new PartlySilentGateway(
    brokersOneToFour([{ name: 'orders', partitions: [{ replicas: [1, 2], sizeBytes: 1000 }] }]),
  );
}

const options = executionOptions({}, 1_000_000);

describe('executor with a broker that does not answer', () => {
  it('does not declare a log-dir move on it dead, nor send it again, while its log dirs are unknown', async () => {
    const gateway = cluster();
    const [task] = tasksOf([logDirMoveOnBroker2()]);
    expect(task).toMatchObject({ kind: 'INTRA_BROKER_REPLICA_ACTION', broker: 2, toLogDir: '/d1' });
    const sent = { ...task!, state: 'IN_PROGRESS' as const, startedAtMs: 0 };
    const lateMs = 10 * 60_000;

    // Answering, with the replica still on /d0 and no copy under way long after the move: lost.
    expect(reconcile(sent, indexSnapshot(await gateway.snapshot()), lateMs, 60_000)).toMatchObject({ kind: 'dead' });
    gateway.silent.add(2);
    const silent = indexSnapshot(await gateway.snapshot());
    expect(reconcile(sent, silent, lateMs, 60_000)).toEqual({ kind: 'running' });
    expect(reconcile({ ...sent, submitting: true }, silent, lateMs, 60_000)).toEqual({ kind: 'running' });
  });

  it('leaves a move that needs its throttle for the next step at once, and starts it once it answers', async () => {
    const gateway = cluster();
    // A visibility wait counted in snapshots would take this long, and the test would time out.
    const { engine } = await startEngine(
      gateway,
      [partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [4, 2] })],
      options,
      { clock: () => 1_000_000, engineOptions: { throttleVisibleTimeoutMs: 600_000 } },
    );
    gateway.silent.add(4);
    let { record } = await engine.step();
    expect(record!.tasks[0]!.state).toBe('PENDING');
    expect(record!.events.at(-1)).toContain('throttle not yet visible on broker(s) 4');

    gateway.silent.delete(4);
    ({ record } = await engine.step());
    expect(record!.tasks[0]!.state).not.toBe('PENDING');
  });
});
