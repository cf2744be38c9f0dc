// What the loss of one broker does to the others: leadership of each partition fails over to the
// next live replica in assignment order, so the survivor takes the leader's extra network-out and
// CPU. The ledger keeps that extra load per (lost broker, survivor) pair, updated per partition, so
// FailureBudgetGoal can judge a move in O(brokers) and the analyzer can report the worst case.
import { BrokerState, RESOURCE_COUNT, Resource, type ClusterModel } from '../../src/model/index.js';

const R = RESOURCE_COUNT;

/** The resources a failover shifts (a leader pays more than a follower for them), ledger slot order. */
export const FAILOVER_RESOURCES: readonly [Resource, 'networkOutbound' | 'cpu'][] = [
  [Resource.NW_OUT, 'networkOutbound'],
  [Resource.CPU, 'cpu'],
];
const K = FAILOVER_RESOURCES.length;

/**
 * A placement to judge: the model as it stands, or with one or two replicas on other brokers and/or
 * another leader (a move not yet applied). Reused, so judging a move allocates nothing.
 */
export class Placement {
  private replicaA = -1;
  private brokerA = -1;
  private replicaB = -1;
  private brokerB = -1;
  private leaderOf = -1;
  private leader = -1;

  constructor(readonly model: ClusterModel) {}

  /** The model as it stands. */
  current(): this {
    this.replicaA = this.replicaB = this.leaderOf = -1;
    return this;
  }

  /** The model with `replica` on `broker` (and optionally a second replica elsewhere). */
  moved(replica: number, broker: number, replicaB = -1, brokerB = -1): this {
    this.current();
    this.replicaA = replica;
    this.brokerA = broker;
    this.replicaB = replicaB;
    this.brokerB = brokerB;
    return this;
  }

  /** The model with `replica` leading `partition`. */
  led(partition: number, replica: number): this {
    this.current();
    this.leaderOf = partition;
    this.leader = replica;
    return this;
  }

  brokerOf(replica: number): number {
    if (replica === this.replicaA) return this.brokerA;
    if (replica === this.replicaB) return this.brokerB;
    return this.model.replicaBroker[replica]!;
  }

  leaderOfPartition(partition: number): number {
    return partition === this.leaderOf ? this.leader : this.model.partitionLeader[partition]!;
  }
}

export function isAliveBroker(model: ClusterModel, broker: number): boolean {
  return broker >= 0 && model.brokerHas(broker, BrokerState.ALIVE);
}

/**
 * `[lostBroker, survivor]` for `partition` under `placement`: the broker of its leader and the broker
 * of the next live replica after it in assignment order; `[-1, -1]` when it has no leader or no
 * live replica to fail over to.
 */
export function failoverPair(placement: Placement, partition: number): [lost: number, survivor: number] {
  const model = placement.model;
  const start = model.partitionReplicaStart[partition]!;
  const size = model.partitionReplicaStart[partition + 1]! - start;
  const leader = placement.leaderOfPartition(partition);
  if (leader < 0) return [-1, -1];
  for (let i = 1; i < size; i++) {
    const broker = placement.brokerOf(start + ((leader - start + i) % size));
    if (isAliveBroker(model, broker)) return [placement.brokerOf(leader), broker];
  }
  return [-1, -1];
}

/** Extra load per (lost broker, survivor, resource) if that broker were lost. */
export class FailoverLedger {
  /** `shift[(lost * brokers + survivor) * 2 + k]`, k in {@link FAILOVER_RESOURCES} order. */
  readonly shift: Float64Array;
  private readonly brokers: number;
  private readonly placement: Placement;

  constructor(readonly model: ClusterModel) {
    this.brokers = model.brokerCount;
    this.shift = new Float64Array(this.brokers * this.brokers * K);
    this.placement = new Placement(model);
    for (let p = 0; p < model.partitionCount; p++) this.account(p, 1);
  }

  /** Adds (`sign` 1) or removes (-1) `partition`'s failover load as the model stands now. */
  account(partition: number, sign: 1 | -1): void {
    const [lost, to] = failoverPair(this.placement.current(), partition);
    if (lost < 0) return;
    const at = (lost * this.brokers + to) * K;
    for (let k = 0; k < K; k++) this.shift[at + k]! += sign * failoverDelta(this.model, partition, k);
  }

  /** Extra load of resource slot `k` on `survivor` when `lost` is lost. */
  extra(lost: number, survivor: number, k: number): number {
    return this.shift[(lost * this.brokers + survivor) * K + k]!;
  }
}

/** What a partition's leadership adds over a follower for resource slot `k`. */
export function failoverDelta(model: ClusterModel, partition: number, k: number): number {
  const resource = FAILOVER_RESOURCES[k]![0];
  return model.leaderLoad[partition * R + resource]! - model.followerLoad[partition * R + resource]!;
}

/** Live replicas of `partition` (on alive brokers). */
export function liveReplicas(model: ClusterModel, partition: number): number {
  let live = 0;
  for (let r = model.partitionReplicaStart[partition]!; r < model.partitionReplicaStart[partition + 1]!; r++) {
    if (isAliveBroker(model, model.replicaBroker[r]!)) live++;
  }
  return live;
}

/** min.insync.replicas of `partition`: one value for all, or one per model topic index (1 when absent). */
export function minInsyncOf(model: ClusterModel, minInsyncReplicas: number | ArrayLike<number>, partition: number) {
  return typeof minInsyncReplicas === 'number'
    ? minInsyncReplicas
    : (minInsyncReplicas[model.partitionTopic[partition]!] ?? 1);
}
