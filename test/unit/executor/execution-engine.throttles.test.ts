// The engine's throttles beyond the static replication rate: adaptive per-broker rates from live
// traffic, re-applied every recompute interval when they moved enough, and the log-dir move rate
// set before log-dir moves start and removed once no such move runs on the broker (never left behind).
import { describe, expect, it } from 'vitest';
import {
  ExecutionEngine,
  executorState,
  InMemoryExecutionStore,
  type BrokerTraffic,
} from '../../../src/executor/index.js';
import type { ConfigChange } from '../../../src/kafka/index.js';
import { InMemoryGateway } from '../../../src/kafka/in-memory.gateway.js';
import { brokersOneToFour, executionOptions, startEngine, tasksOf } from '../../fixtures/executions.js';
import { logDirMoveOnBroker2, partitionProposal } from '../../fixtures/proposals.js';

const RATE = 1_000_000;
const LOG_DIR_RATE = 'replica.alter.log.dirs.io.max.bytes.per.second';
const baseOptions = executionOptions(
  { concurrentPartitionMovementsPerBroker: 1, concurrentIntraBrokerPartitionMovements: 1 },
  RATE,
);
const ADAPTIVE = {
  headroomFraction: 0.5,
  floorBytesPerSecond: 10_000,
  ceilingBytesPerSecond: 50_000_000,
  recomputeIntervalMs: 60_000,
};

function cluster(): InMemoryGateway {
  return new InMemoryGateway(
    brokersOneToFour([
      {
        name: 'orders',
        partitions: [
          { replicas: [1, 2], sizeBytes: 1000 },
          { replicas: [1, 3], sizeBytes: 2000 },
          { replicas: [2, 3], sizeBytes: 500 },
        ],
      },
    ]),
  );
}

/** A broker with 10 MB/s each way and the given client traffic. */
const traffic = (clientBytesInPerSecond: number, clientBytesOutPerSecond: number): BrokerTraffic => ({
  networkInCapacityBytesPerSecond: 10_000_000,
  networkOutCapacityBytesPerSecond: 10_000_000,
  clientBytesInPerSecond,
  clientBytesOutPerSecond,
});

/** Records every config change sent, in order, next to the moves. */
function recordCalls(gateway: InMemoryGateway) {
  const calls: string[] = [];
  const changes: ConfigChange[][] = [];
  const alter = gateway.alterConfigs.bind(gateway);
  gateway.alterConfigs = (c) => {
    changes.push(c);
    calls.push(`config ${c.map((x) => `${x.operation} ${x.name}`).join(', ')}`);
    return alter(c);
  };
  const move = gateway.moveReplicasBetweenLogDirs.bind(gateway);
  gateway.moveReplicasBetweenLogDirs = (m) => {
    calls.push(`move ${m.map((x) => `${x.topic}-${x.partition}@${x.brokerId}:${x.logDir}`).join(', ')}`);
    return move(m);
  };
  return { calls, changes };
}

const rateOf = (gateway: InMemoryGateway, brokerId: number) =>
  gateway.configsOf({ type: 'broker', brokerId })['leader.replication.throttled.rate'];

describe('ExecutionEngine adaptive throttle', () => {
  async function setUp(live: Map<number, BrokerTraffic> | null) {
    let now = 1_000_000;
    const clock = { advance: (ms: number) => (now += ms), traffic: live };
    const started = await startEngine(
      cluster(),
      [partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [4, 2] })],
      { ...baseOptions, throttleMode: 'adaptive' },
      { clock: () => now, engineOptions: { adaptiveThrottle: ADAPTIVE, brokerTraffic: () => clock.traffic } },
    );
    return { ...started, clock };
  }

  it('throttles each broker at its share of its headroom and re-applies only the rates that moved by more than 10%', async () => {
    const live = new Map([
      [1, traffic(2_000_000, 4_000_000)], // headroom 6 MB/s → 3 MB/s
      [2, traffic(1_000_000, 1_000_000)], // headroom 9 MB/s → 4.5 MB/s
      [4, traffic(0, 0)], // headroom 10 MB/s → 5 MB/s
    ]);
    const { gateway, engine, clock } = await setUp(live);
    let { record } = await engine.step();
    expect([1, 2, 4].map((b) => rateOf(gateway, b))).toEqual(['3000000', '4500000', '5000000']);
    expect(gateway.configsOf({ type: 'broker', brokerId: 4 })['follower.replication.throttled.rate']).toBe('5000000');
    const state = executorState(record, 0);
    expect(state).toMatchObject({
      throttleMode: 'adaptive',
      throttleBytesPerSecondByBroker: { '1': 3_000_000, '2': 4_500_000, '4': 5_000_000 },
    });

    // Broker 1 gets busier (rate → 1 MB/s), broker 2 a little (4.5 → 4.25 MB/s, under 10%).
    live.set(1, traffic(8_000_000, 0));
    live.set(2, traffic(1_500_000, 0));
    const { changes } = recordCalls(gateway);
    clock.advance(30_000);
    await engine.step(); // within the recompute interval: nothing re-derived
    expect(changes).toEqual([]);

    clock.advance(30_000);
    ({ record } = await engine.step());
    expect(changes).toEqual([
      [
        {
          resource: { type: 'broker', brokerId: 1 },
          name: 'leader.replication.throttled.rate',
          operation: 'SET',
          value: '1000000',
        },
        {
          resource: { type: 'broker', brokerId: 1 },
          name: 'follower.replication.throttled.rate',
          operation: 'SET',
          value: '1000000',
        },
      ],
    ]);
    expect([1, 2, 4].map((b) => rateOf(gateway, b))).toEqual(['1000000', '4500000', '5000000']);
    expect(record!.throttleRatesByBroker).toEqual({ 1: 1_000_000, 2: 4_500_000, 4: 5_000_000 });
    expect(record!.events.at(-1)).toBe('adaptive throttle (bytes/s): broker 1 3000000 → 1000000');

    // The move ends: every rate goes, and the record forgets them.
    gateway.completeReassignments();
    for (let i = 0; i < 5; i++) ({ record } = await engine.step());
    expect(record!.status).toBe('COMPLETED');
    for (const b of [1, 2, 3, 4]) expect(gateway.configsOf({ type: 'broker', brokerId: b })).toEqual({});
    expect(record!.throttleRatesByBroker).toEqual({});
  });

  it('uses the static rate while the traffic is unknown, and adapts once it is known', async () => {
    const { gateway, engine, clock } = await setUp(null);
    await engine.step();
    expect([1, 2, 4].map((b) => rateOf(gateway, b))).toEqual([String(RATE), String(RATE), String(RATE)]);
    clock.traffic = new Map([[4, traffic(0, 0)]]);
    clock.advance(ADAPTIVE.recomputeIntervalMs);
    await engine.step();
    // Only broker 4's traffic is known: it adapts, the others keep the static rate.
    expect([1, 2, 4].map((b) => rateOf(gateway, b))).toEqual([String(RATE), String(RATE), '5000000']);
  });

  it('static mode sets one rate everywhere and reports it per broker', async () => {
    const { gateway, engine } = await startEngine(
      cluster(),
      [partitionProposal({ partition: 0, oldReplicas: [1, 2], newReplicas: [4, 2] })],
      baseOptions,
      { engineOptions: { adaptiveThrottle: ADAPTIVE, brokerTraffic: () => new Map([[1, traffic(0, 0)]]) } },
    );
    const { record } = await engine.step();
    expect([1, 2, 4].map((b) => rateOf(gateway, b))).toEqual([String(RATE), String(RATE), String(RATE)]);
    expect(executorState(record, 0)).toMatchObject({
      throttleMode: 'static',
      throttleBytesPerSecondByBroker: { '1': RATE, '2': RATE, '4': RATE },
    });
  });
});

describe('ExecutionEngine log-dir move throttle', () => {
  /** Two replicas of broker 2 move from /d0 to /d1, one at a time. */
  async function setUp() {
    const gateway = cluster();
    const store = new InMemoryExecutionStore();
    const engine = new ExecutionEngine(gateway, store);
    const tasks = tasksOf(
      [0, 2].map((partition) =>
        partitionProposal({
          partition,
          oldReplicas: partition === 0 ? [1, 2] : [2, 3],
          newReplicas: partition === 0 ? [1, 2] : [2, 3],
          oldLogDirs: ['/d0', '/d0'],
          newLogDirs: partition === 0 ? ['/d0', '/d1'] : ['/d1', '/d0'],
        }),
      ),
    );
    expect(tasks.map((t) => `${t.kind} ${t.broker}`)).toEqual([
      'INTRA_BROKER_REPLICA_ACTION 2',
      'INTRA_BROKER_REPLICA_ACTION 2',
    ]);
    await engine.start({ operation: 'rebalance', reason: 'test', tasks, options: baseOptions });
    return { gateway, store, engine };
  }

  it('is set on the broker before its moves start, kept between them, and removed when the last one ends', async () => {
    const { gateway, engine } = await setUp();
    const { calls } = recordCalls(gateway);
    let { record } = await engine.step();
    expect(calls).toEqual([`config SET ${LOG_DIR_RATE}`, 'move orders-0@2:/d1']);
    expect(gateway.configsOf({ type: 'broker', brokerId: 2 })).toEqual({ [LOG_DIR_RATE]: String(RATE) });
    expect(executorState(record, 0)).toMatchObject({ logDirThrottledBrokers: [2] });

    await engine.step(); // the first move is done, the second starts: the rate stays
    expect(calls.slice(2)).toEqual([`config SET ${LOG_DIR_RATE}`, 'move orders-2@2:/d1']);
    expect(gateway.configsOf({ type: 'broker', brokerId: 2 })).toEqual({ [LOG_DIR_RATE]: String(RATE) });

    ({ record } = await engine.step());
    expect(record!.status).toBe('COMPLETED');
    expect(calls.at(-1)).toBe(`config DELETE ${LOG_DIR_RATE}`);
    expect(gateway.configsOf({ type: 'broker', brokerId: 2 })).toEqual({});
    expect(record!.logDirThrottledBrokers).toEqual([]);
  });

  it('is removed when the execution is stopped', async () => {
    const { gateway, engine } = await setUp();
    await engine.step();
    await engine.requestStop('operator');
    const { record } = await engine.step();
    expect(record!.status).toBe('STOPPED');
    expect(gateway.configsOf({ type: 'broker', brokerId: 2 })).toEqual({});
  });

  it('a restarted Ballast removes the rate a previous process set', async () => {
    const { gateway, store, engine } = await setUp();
    await engine.step();
    // The process dies; another one finishes the execution from the record in the store.
    const restarted = new ExecutionEngine(gateway, store);
    let result = await restarted.step();
    for (let i = 0; i < 3 && result.more; i++) result = await restarted.step();
    expect(result.record!.status).toBe('COMPLETED');
    expect(gateway.configsOf({ type: 'broker', brokerId: 2 })).toEqual({});
  });

  it('is not set when the execution runs unthrottled', async () => {
    const { gateway, engine } = await startEngine(cluster(), [logDirMoveOnBroker2()], {
      ...baseOptions,
      replicationThrottleBytesPerSecond: null,
    });
    const { calls } = recordCalls(gateway);
    await engine.step();
    expect(calls).toEqual(['move orders-0@2:/d1']);
  });
});

/** Three brokers, and orders-0 on 1 and 2. */
const ONE_PARTITION = {
  brokers: [1, 2, 3].map((id) => ({ id, rack: `r${id}`, logDirs: ['/d0'] })),
  topics: [{ name: 'orders', partitions: [{ replicas: [1, 2], sizeBytes: 1000 }] }],
};

/** An engine that has started an execution moving orders-0 from brokers 1, 2 to 1, 3, throttled. */
async function startOneMove(gateway: InMemoryGateway): Promise<ExecutionEngine> {
  const { engine } = await startEngine(
    gateway,
    [partitionProposal({ topic: 'orders', partition: 0, oldReplicas: [1, 2], newReplicas: [1, 3] })],
    baseOptions,
    { engineOptions: { throttleVisibleTimeoutMs: 1 } },
  );
  return engine;
}

/** KRaft applies config changes asynchronously: this cluster shows no broker throttle until told to. */
class LaggingConfigs extends InMemoryGateway {
  showThrottles = false;

  override async snapshot(options?: Parameters<InMemoryGateway['snapshot']>[0]) {
    const snapshot = await super.snapshot(options);
    return this.showThrottles ? snapshot : { ...snapshot, brokerThrottles: {} };
  }
}

describe('moves never start before their throttle is visible on the brokers', () => {
  it('leaves the moves pending, says why, and starts them once the brokers show the rate', async () => {
    const gateway = new LaggingConfigs(ONE_PARTITION);
    const engine = await startOneMove(gateway);

    const first = (await engine.step()).record!;
    expect(first.tasks.map((t) => t.state)).toEqual(['PENDING']);
    expect((await gateway.snapshot()).reassignments).toEqual([]);
    expect(first.events.at(-1)).toMatch(/throttle not yet visible on broker\(s\) 1, 2, 3: moves wait/);

    gateway.showThrottles = true;
    const second = (await engine.step()).record!;
    expect(second.tasks.map((t) => t.state)).toEqual(['IN_PROGRESS']);
  });
});

/** Broker rates applied everywhere, but one broker has not yet applied the topics' throttled-replica lists. */
class LaggingTopicLists extends InMemoryGateway {
  lagging: number | null = 3;

  override async topicConfigsOn(brokerId: number, topics: readonly string[]) {
    const configs = await super.topicConfigsOn(brokerId, topics);
    if (brokerId !== this.lagging) return configs;
    return new Map(
      [...configs].map(([t, c]) => [t, { ...c, leaderThrottledReplicas: '', followerThrottledReplicas: '' }]),
    );
  }
}

describe('moves never start before every broker they involve has the throttled-replica lists', () => {
  it('waits for the broker that has the rate but not the lists, then starts', async () => {
    const gateway = new LaggingTopicLists(ONE_PARTITION);
    const engine = await startOneMove(gateway);

    const first = (await engine.step()).record!;
    expect(first.tasks.map((t) => t.state)).toEqual(['PENDING']);
    expect((await gateway.snapshot()).reassignments).toEqual([]);
    expect(first.events.at(-1)).toMatch(/throttle not yet visible on broker\(s\) 3: moves wait/);
    // What the cluster has: the lists the move needs (leader side 0:1,0:2; follower side 0:3).
    const orders = (await gateway.topicConfigsOn(1, ['orders'])).get('orders')!;
    expect(orders.leaderThrottledReplicas.split(',').sort()).toEqual(['0:1', '0:2']);
    expect(orders.followerThrottledReplicas).toBe('0:3');

    gateway.lagging = null;
    const second = (await engine.step()).record!;
    expect(second.tasks.map((t) => t.state)).toEqual(['IN_PROGRESS']);
  });
});
