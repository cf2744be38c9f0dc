// The in-memory cluster's state, how it is built from a plain description, and the partition state
// machine (ISR, leader election, reassignment completion) modelled on KRaft's PartitionChangeBuilder.
import type { TopicConfigs } from '../cluster-snapshot.js';
import type { TopicPartition } from '../kafka.gateway.js';
import { topicPartitionName } from '../../common/pure.js';

export interface InMemoryLogDirSpec {
  path: string;
  /** Volume size; usable bytes are derived from the replicas on the dir. Null (unknown) when omitted. */
  totalBytes?: number;
}

export interface InMemoryBrokerSpec {
  id: number;
  rack?: string | null;
  host?: string;
  port?: number;
  /** Default: one dir, `/var/lib/kafka/data`. */
  logDirs?: (string | InMemoryLogDirSpec)[];
  /** Default true; false describes a broker that is down from the start. */
  alive?: boolean;
  /** Dynamic broker configs set before the test starts (e.g. throttle rates). */
  configs?: Record<string, string>;
}

export interface InMemoryPartitionSpec {
  /** Broker ids, preferred leader first. */
  replicas: number[];
  /** Size of every replica of the partition. Default 0. */
  sizeBytes?: number;
  /** Log dir of each replica, in `replicas` order. Default: each broker's first dir. */
  logDirs?: string[];
  /** Default: every replica. Members that are offline at construction are dropped. */
  isr?: number[];
}

export interface InMemoryTopicSpec {
  name: string;
  /** Default: true for `__consumer_offsets` and `__transaction_state`, as Kafka reports them. */
  internal?: boolean;
  configs?: Partial<TopicConfigs>;
  /** Any other dynamic topic configs, by Kafka name (e.g. `cleanup.policy`). */
  dynamicConfigs?: Record<string, string>;
  partitions: InMemoryPartitionSpec[];
}

export interface InMemoryClusterSpec {
  clusterId?: string | null;
  /** The clock `snapshot().takenAtMs` reports. Default 0. */
  nowMs?: number;
  brokers: InMemoryBrokerSpec[];
  topics?: InMemoryTopicSpec[];
}

export interface DirState {
  path: string;
  failed: boolean;
  totalBytes: number | null;
}

export interface BrokerState {
  id: number;
  rack: string | null;
  host: string;
  port: number;
  alive: boolean;
  dirs: DirState[];
  configs: Map<string, string>;
}

export interface PartitionState {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
  leader: number;
  adding: number[];
  removing: number[];
  sizeBytes: number;
  /** Log dir path of each replica, by broker id. */
  dirs: Map<number, string>;
  /** Replicas still copying the log (added by a reassignment, not yet in the ISR). */
  copying: Set<number>;
}

export interface TopicState {
  name: string;
  internal: boolean;
  configs: Map<string, string>;
  partitions: PartitionState[];
}

export interface ClusterState {
  clusterId: string | null;
  nowMs: number;
  brokers: Map<number, BrokerState>;
  topics: Map<string, TopicState>;
}

export const DEFAULT_LOG_DIR = '/var/lib/kafka/data';
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

/** Kafka names of the TopicConfigs fields, in both directions. */
export const TOPIC_CONFIG_NAMES: Record<keyof TopicConfigs, string> = {
  minInsyncReplicas: 'min.insync.replicas',
  retentionMs: 'retention.ms',
  retentionBytes: 'retention.bytes',
  leaderThrottledReplicas: 'leader.replication.throttled.replicas',
  followerThrottledReplicas: 'follower.replication.throttled.replicas',
};

export function buildState(spec: InMemoryClusterSpec): ClusterState {
  const state: ClusterState = {
    clusterId: spec.clusterId === undefined ? 'in-memory-cluster' : spec.clusterId,
    nowMs: spec.nowMs ?? 0,
    brokers: new Map(),
    topics: new Map(),
  };
  for (const b of spec.brokers) {
    if (state.brokers.has(b.id)) throw new Error(`Broker ${b.id} is described twice`);
    const dirs = (b.logDirs ?? [DEFAULT_LOG_DIR]).map((d) =>
      typeof d === 'string'
        ? { path: d, failed: false, totalBytes: null }
        : { path: d.path, failed: false, totalBytes: d.totalBytes ?? null },
    );
    if (dirs.length === 0) throw new Error(`Broker ${b.id} has no log dir`);
    state.brokers.set(b.id, {
      id: b.id,
      rack: b.rack ?? null,
      host: b.host ?? `broker-${b.id}.test`,
      port: b.port ?? 9092,
      alive: b.alive ?? true,
      dirs,
      configs: new Map(Object.entries(b.configs ?? {})),
    });
  }
  for (const t of spec.topics ?? []) {
    if (state.topics.has(t.name)) throw new Error(`Topic ${t.name} is described twice`);
    const configs = new Map(Object.entries(t.dynamicConfigs ?? {}));
    for (const [field, name] of Object.entries(TOPIC_CONFIG_NAMES)) {
      const value = t.configs?.[field as keyof TopicConfigs];
      if (value !== undefined && value !== null) configs.set(name, String(value));
    }
    const topic: TopicState = {
      name: t.name,
      internal: t.internal ?? INTERNAL_TOPICS.has(t.name),
      configs,
      partitions: [],
    };
    t.partitions.forEach((p, index) => topic.partitions.push(buildPartition(state, t.name, index, p)));
    state.topics.set(t.name, topic);
  }
  return state;
}

function buildPartition(
  state: ClusterState,
  topic: string,
  index: number,
  spec: InMemoryPartitionSpec,
): PartitionState {
  const where = topicPartitionName(topic, index);
  if (spec.replicas.length === 0) throw new Error(`${where} has no replicas`);
  if (new Set(spec.replicas).size !== spec.replicas.length) throw new Error(`${where} names a broker twice`);
  const dirs = new Map<number, string>();
  spec.replicas.forEach((id, i) => {
    const broker = state.brokers.get(id);
    if (!broker) throw new Error(`${where} names broker ${id}, which is not described`);
    const path = spec.logDirs?.[i] ?? broker.dirs[0]?.path ?? DEFAULT_LOG_DIR;
    if (!broker.dirs.some((d) => d.path === path)) throw new Error(`${where}: broker ${id} has no log dir ${path}`);
    dirs.set(id, path);
  });
  const p: PartitionState = {
    topic,
    partition: index,
    replicas: [...spec.replicas],
    isr: [],
    leader: -1,
    adding: [],
    removing: [],
    sizeBytes: spec.sizeBytes ?? 0,
    dirs,
    copying: new Set(),
  };
  const wanted = spec.isr ?? spec.replicas;
  if (wanted.length === 0 || wanted.some((id) => !spec.replicas.includes(id))) {
    throw new Error(`${where}: the ISR must be a non-empty subset of the replicas`);
  }
  const online = wanted.filter((id) => isOnline(state, p, id));
  // Kafka never empties an ISR (without ELR): one member stays, and the partition has no leader.
  p.isr = online.length > 0 ? online : wanted.slice(0, 1);
  p.leader = electLeader(state, p);
  return p;
}

/** A replica is online when its broker is alive and its log dir has not failed. */
export function isOnline(state: ClusterState, p: PartitionState, brokerId: number): boolean {
  const broker = state.brokers.get(brokerId);
  if (!broker?.alive) return false;
  const path = p.dirs.get(brokerId);
  return broker.dirs.some((d) => d.path === path && !d.failed);
}

export function isReassigning(p: PartitionState): boolean {
  return p.adding.length > 0 || p.removing.length > 0;
}

/**
 * KRaft's ONLINE election: keep a leader that is still a valid choice, else the first replica (in
 * assignment order) that is in the ISR and online; else no leader.
 */
function electLeader(state: ClusterState, p: PartitionState): number {
  const valid = (id: number): boolean => p.isr.includes(id) && isOnline(state, p, id);
  if (p.leader >= 0 && valid(p.leader)) return p.leader;
  return p.replicas.find(valid) ?? -1;
}

/**
 * Applies a new ISR the way KRaft's PartitionChangeBuilder does: the ISR never becomes empty (the
 * last member stays, leaderless), a reassignment completes once every remaining replica is in the
 * ISR, then the leader is re-elected if it is no longer valid.
 */
export function changeIsr(state: ClusterState, p: PartitionState, targetIsr: number[]): void {
  let isr = targetIsr.length > 0 ? targetIsr : p.isr;
  for (const id of isr) p.copying.delete(id);
  if (isReassigning(p)) {
    const keptIsr = isr.filter((id) => !p.removing.includes(id));
    const keptReplicas = p.replicas.filter((id) => !p.removing.includes(id));
    if (keptIsr.length > 0 && keptReplicas.every((id) => keptIsr.includes(id))) {
      for (const id of p.removing) {
        p.dirs.delete(id);
        p.copying.delete(id);
      }
      p.replicas = keptReplicas;
      p.adding = [];
      p.removing = [];
      isr = keptIsr;
    }
  }
  p.isr = isr;
  p.leader = electLeader(state, p);
}

/** Takes offline replicas out of every ISR (broker death, log dir failure). */
export function dropOfflineReplicas(state: ClusterState): void {
  for (const p of allPartitions(state)) {
    changeIsr(
      state,
      p,
      p.isr.filter((id) => isOnline(state, p, id)),
    );
  }
}

/**
 * Starts a reassignment as KRaft merges it: replicas = target then the removed ones (ascending),
 * adding and removing as ascending id lists, computed against the current (possibly already
 * merged) replica list. It completes at once when the ISR already allows it (a reorder).
 */
export function startReassignment(state: ClusterState, p: PartitionState, target: number[]): void {
  const removing = p.replicas.filter((id) => !target.includes(id)).sort((a, b) => a - b);
  const adding = target.filter((id) => !p.replicas.includes(id)).sort((a, b) => a - b);
  for (const id of adding) {
    const broker = state.brokers.get(id);
    // A new replica goes to the broker's first healthy dir (Kafka picks one; tests can move it).
    const dir = broker?.dirs.find((d) => !d.failed) ?? broker?.dirs[0];
    p.dirs.set(id, dir?.path ?? DEFAULT_LOG_DIR);
    p.copying.add(id);
  }
  p.replicas = [...target, ...removing];
  p.adding = adding;
  p.removing = removing;
  changeIsr(state, p, p.isr);
}

export function allPartitions(state: ClusterState): PartitionState[] {
  return [...state.topics.values()].flatMap((t) => t.partitions);
}

export function findPartition(state: ClusterState, tp: TopicPartition): PartitionState | undefined {
  return state.topics.get(tp.topic)?.partitions[tp.partition];
}
