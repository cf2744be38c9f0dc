// A partition under reassignment is modelled by what will remain — its target — not by the union
// of old and new replicas Kafka lists meanwhile (issue 15: with a broker dead mid-move, a partition
// of RF 3 on all 4 brokers left the dead replica no eligible broker, and fix_offline_replicas and
// remove_broker answered 409).
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOALS } from '../../../goals/index.js';
import { optimize } from '../../../src/analyzer/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import type { ClusterModel } from '../../../src/model/index.js';
import { buildWorkloadModel, resolveBrokerCapacities } from '../../../src/monitor/index.js';
import { expectInvariants } from '../../support/model-invariants.js';

const ESTIMATES = { cpuCores: 8, networkInKBps: 1000, networkOutKBps: 2000, diskMbPerLogDir: 500 };

/** Brokers 0–3 on four racks; orders-0 moving [1,2,0] → [1,2,3]; broker 1 then dies. */
async function midMoveWithDeadBroker() {
  const gateway = new InMemoryGateway({
    brokers: [0, 1, 2, 3].map((id) => ({ id, rack: `r${id}`, logDirs: ['/d0'] })),
    topics: [
      {
        name: 'orders',
        partitions: [
          { replicas: [1, 2, 0], sizeBytes: 1000 },
          { replicas: [2, 0, 1], sizeBytes: 1000 },
          { replicas: [0, 3, 2], sizeBytes: 1000 },
        ],
      },
    ],
  });
  await gateway.reassign([{ topic: 'orders', partition: 0, replicas: [1, 2, 3] }]);
  gateway.killBroker(1);
  const snapshot = await gateway.snapshot();
  const capacities = resolveBrokerCapacities(snapshot, null, 'estimate', ESTIMATES);
  return { snapshot, workload: buildWorkloadModel(snapshot, new Map(), capacities) };
}

const brokersOf = (m: ClusterModel, p: number) => {
  const out: number[] = [];
  for (let r = m.partitionReplicaStart[p]!; r < m.partitionReplicaStart[p + 1]!; r++)
    out.push(m.brokerKafkaId(m.replicaBroker[r]!));
  return out.sort((a, b) => a - b);
};

describe('the workload model of a partition under reassignment', () => {
  it('holds its target replicas, not the union Kafka lists while it moves', async () => {
    const { snapshot, workload } = await midMoveWithDeadBroker();
    expect([...snapshot.partitions[0]!.replicas].sort()).toEqual([0, 1, 2, 3]); // what Kafka lists
    expect(brokersOf(workload.model, 0)).toEqual([1, 2, 3]);
    expectInvariants(workload.model);
  });

  it('lets the dead broker be drained (fix_offline_replicas / remove_broker) instead of failing', async () => {
    const { workload } = await midMoveWithDeadBroker();
    const model = workload.model;
    optimize(model, {
      goals: DEFAULT_GOALS.filter((g) => g.hard),
      brokersToRemove: new Set([1]),
      skipHardGoalCheck: true,
    });
    for (const p of [0, 1, 2]) expect(brokersOf(model, p)).not.toContain(1);
    expect(brokersOf(model, 0)).toEqual([0, 2, 3]);
    expectInvariants(model);
  });
});
