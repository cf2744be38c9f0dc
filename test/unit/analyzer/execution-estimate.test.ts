// The execution estimate: the broker with the most MB to send or receive sets the pace at a throttle.
import { describe, expect, it } from 'vitest';
import { estimatedExecutionMs, transferLoad } from '../../../src/analyzer/index.js';
import { BrokerState, ModelBuilder } from '../../../src/model/index.js';

function model() {
  const builder = new ModelBuilder();
  for (let b = 0; b < 4; b++)
    builder.addBroker({ kafkaId: 10 + b, rack: `r${b}`, capacity: [100, 1e6, 1e6, 1e6], state: BrokerState.ALIVE });
  // Two partitions led by broker 10, one led by 11; sizes 100, 300, 50 MB.
  [
    [[10, 11], 100],
    [[10, 12], 300],
    [[11, 12], 50],
  ].forEach(([replicas, mb], i) =>
    builder.addPartition({
      topic: 't',
      partition: i,
      replicas: (replicas as number[]).map((id) => ({ broker: id })),
      leaderIndex: 0,
      leaderLoad: [1, 1, 1, mb as number],
      followerLoad: [1, 1, 0, mb as number],
    }),
  );
  return builder.build();
}

describe('transferLoad and estimatedExecutionMs', () => {
  it('is zero when nothing moves', () => {
    expect(transferLoad(model())).toEqual({ busiestBroker: -1, busiestBrokerMb: 0 });
  });

  it('counts what each leader sends and each new replica receives, and takes the busiest broker', () => {
    const m = model();
    // Both followers of broker 10's partitions go to broker 13: 13 receives 400 MB, 10 sends 400 MB.
    m.moveReplica(1, 3);
    m.moveReplica(3, 3);
    // Broker 11's partition gets a new replica on broker 10: 11 sends 50 MB.
    m.moveReplica(5, 0);
    const load = transferLoad(m);
    expect(load.busiestBrokerMb).toBe(400);
    expect([10, 13]).toContain(load.busiestBroker);
    // 400 MB at 10 MiB/s: 40 s.
    expect(estimatedExecutionMs(load, 10 * 1024 * 1024)).toBe(40_000);
  });
});
