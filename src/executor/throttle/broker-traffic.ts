// Each broker's network capacity and client traffic, read off the load monitor's workload model,
// for adaptive throttles. Pure.
import { BYTES_PER_KB, type WorkloadModel } from '../../monitor/index.js';
import { Resource } from '../../model/index.js';
import type { BrokerTraffic } from './adaptive-throttle.js';

/**
 * Capacity and client traffic of every broker of `workload`, bytes per second by Kafka id.
 *
 * Client traffic is the leader load only: a partition's leader NW_IN and NW_OUT come from the
 * brokers' per-topic `BytesInPerSec` / `BytesOutPerSec` meters, which count produce and consume
 * requests and leave replication out (Kafka meters that apart, as `ReplicationBytesIn/OutPerSec`).
 * Follower NW_IN in the model is the steady replication of what leaders receive, so it is left out
 * too — the headroom fraction is what leaves room for it. The moves' own copying is never counted,
 * so a throttle does not feed back on itself.
 */
export function brokerTrafficOf(workload: WorkloadModel): Map<number, BrokerTraffic> {
  const { model } = workload;
  const inKBps = new Float64Array(model.brokerCount);
  const outKBps = new Float64Array(model.brokerCount);
  for (let p = 0; p < model.partitionCount; p++) {
    const leader = model.partitionLeader[p]!;
    if (leader < 0) continue;
    const broker = model.replicaBroker[leader]!;
    inKBps[broker]! += model.leaderLoadOf(p, Resource.NW_IN);
    outKBps[broker]! += model.leaderLoadOf(p, Resource.NW_OUT);
  }
  const traffic = new Map<number, BrokerTraffic>();
  for (const [kafkaId, broker] of workload.brokers) {
    const b = model.brokerIndex(kafkaId);
    if (b < 0) continue;
    traffic.set(kafkaId, {
      networkInCapacityBytesPerSecond: broker.capacity.vector[Resource.NW_IN]! * BYTES_PER_KB,
      networkOutCapacityBytesPerSecond: broker.capacity.vector[Resource.NW_OUT]! * BYTES_PER_KB,
      clientBytesInPerSecond: inKBps[b]! * BYTES_PER_KB,
      clientBytesOutPerSecond: outKBps[b]! * BYTES_PER_KB,
    });
  }
  return traffic;
}
