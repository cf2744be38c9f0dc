// How long a proposal takes to execute at a replication throttle: every new replica is copied from
// its partition's leader, and Kafka's throttle caps each broker's replication in and out, so the
// broker with the most to send or receive sets the pace. A lower bound: it ignores concurrency
// limits, catch-up of traffic produced during the move, and leadership moves (near instant).
import type { ClusterModel } from '../model/index.js';

const BYTES_PER_MB = 1024 * 1024;

export interface TransferLoad {
  /** Kafka id of the broker with the most MB to send or receive, or -1 when nothing moves. */
  busiestBroker: number;
  /** MB that broker sends (as the leader copied from) or receives (as a new replica). */
  busiestBrokerMb: number;
}

/** The busiest broker of a proposal: the most MB any one broker sends or receives. O(replicas). */
export function transferLoad(model: ClusterModel): TransferLoad {
  const inMb = new Float64Array(model.brokerCount);
  const outMb = new Float64Array(model.brokerCount);
  for (let r = 0; r < model.replicaCount; r++) {
    if (model.replicaBroker[r] === model.originalBroker[r]) continue;
    const p = model.replicaPartition[r]!;
    const mb = model.partitionSizeMb(p);
    inMb[model.replicaBroker[r]!]! += mb;
    const leader = model.originalLeader[p]!;
    // An offline partition has nobody to copy from until it has a leader again; its bytes count on the receiver only.
    if (leader >= 0) outMb[model.originalBroker[leader]!]! += mb;
  }
  let busiest = -1;
  let busiestMb = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    const mb = Math.max(inMb[b]!, outMb[b]!);
    if (mb > busiestMb) {
      busiestMb = mb;
      busiest = b;
    }
  }
  return { busiestBroker: busiest < 0 ? -1 : model.brokerKafkaId(busiest), busiestBrokerMb: busiestMb };
}

/** Milliseconds to move `load` at `throttleBytesPerSecond` per broker (leader and follower rate). */
export function estimatedExecutionMs(load: TransferLoad, throttleBytesPerSecond: number): number {
  return Math.ceil(((load.busiestBrokerMb * BYTES_PER_MB) / throttleBytesPerSecond) * 1000);
}
