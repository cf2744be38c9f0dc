// Cruise Control's ClusterModelStats (responses/clusterModelStats.yaml): AVG/MAX/MIN/STD over the
// alive brokers of each resource's load, potential network out, replicas, leaders, and replicas per
// topic per broker. Pure, one pass over the replicas.
import { BrokerState, Resource, type ClusterModel } from '../model/index.js';

export interface StatsValues {
  cpu: number;
  networkInbound: number;
  networkOutbound: number;
  disk: number;
  potentialNwOut: number;
  replicas: number;
  leaderReplicas: number;
  topicReplicas: number;
}

export interface ClusterModelStats {
  metadata: { brokers: number; replicas: number; topics: number };
  statistics: { AVG: StatsValues; MAX: StatsValues; MIN: StatsValues; STD: StatsValues };
}

type Key = keyof StatsValues;
const KEYS: Key[] = [
  'cpu',
  'networkInbound',
  'networkOutbound',
  'disk',
  'potentialNwOut',
  'replicas',
  'leaderReplicas',
  'topicReplicas',
];

function summarize(values: number[]): { avg: number; max: number; min: number; std: number } {
  if (values.length === 0) return { avg: 0, max: 0, min: 0, std: 0 };
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    sum += v;
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  const avg = sum / values.length;
  let variance = 0;
  for (const v of values) variance += (v - avg) ** 2;
  return { avg, max, min, std: Math.sqrt(variance / values.length) };
}

export function clusterModelStats(model: ClusterModel): ClusterModelStats {
  const alive: number[] = [];
  for (let b = 0; b < model.brokerCount; b++) if (model.brokerHas(b, BrokerState.ALIVE)) alive.push(b);
  const potentialNwOut = new Float64Array(model.brokerCount);
  // Replicas per (broker, topic), for the topic-replica spread.
  const perBrokerTopic = new Map<number, number>();
  for (let r = 0; r < model.replicaCount; r++) {
    const b = model.replicaBroker[r]!;
    const p = model.replicaPartition[r]!;
    potentialNwOut[b]! += model.leaderLoadOf(p, Resource.NW_OUT);
    const key = b * model.topicCount + model.partitionTopic[p]!;
    perBrokerTopic.set(key, (perBrokerTopic.get(key) ?? 0) + 1);
  }
  const topicReplicas: number[] = [];
  for (const b of alive) {
    for (let t = 0; t < model.topicCount; t++) topicReplicas.push(perBrokerTopic.get(b * model.topicCount + t) ?? 0);
  }
  const series: Record<Key, number[]> = {
    cpu: alive.map((b) => model.brokerLoadOf(b, Resource.CPU)),
    networkInbound: alive.map((b) => model.brokerLoadOf(b, Resource.NW_IN)),
    networkOutbound: alive.map((b) => model.brokerLoadOf(b, Resource.NW_OUT)),
    disk: alive.map((b) => model.brokerLoadOf(b, Resource.DISK)),
    potentialNwOut: alive.map((b) => potentialNwOut[b]!),
    replicas: alive.map((b) => model.brokerReplicaCount[b]!),
    leaderReplicas: alive.map((b) => model.brokerLeaderCount[b]!),
    topicReplicas,
  };
  const empty = (): StatsValues => Object.fromEntries(KEYS.map((k) => [k, 0])) as unknown as StatsValues;
  const statistics = { AVG: empty(), MAX: empty(), MIN: empty(), STD: empty() };
  for (const key of KEYS) {
    const s = summarize(series[key]);
    statistics.AVG[key] = s.avg;
    statistics.MAX[key] = s.max;
    statistics.MIN[key] = s.min;
    statistics.STD[key] = s.std;
  }
  return { metadata: { brokers: alive.length, replicas: model.replicaCount, topics: model.topicCount }, statistics };
}
