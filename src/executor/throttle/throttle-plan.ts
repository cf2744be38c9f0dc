// Replication throttles (KIP-73) for the moves in flight, as incremental config changes: the topic
// lists of throttled replicas (`partition:broker`) grow with APPEND and shrink with SUBTRACT, so
// other tools' entries and other tasks' entries are never touched, and the broker rates are SET on
// every broker taking part and DELETEd once none of its moves is left. Pure; the throttle service
// sends the changes through the gateway.
import type { ConfigChange } from '../../kafka/index.js';
import type { ExecutionTask } from '../planner/index.js';

export const LEADER_THROTTLED_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_THROTTLED_REPLICAS = 'follower.replication.throttled.replicas';
export const LEADER_THROTTLED_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_THROTTLED_RATE = 'follower.replication.throttled.rate';
/** Throttle of moves between the log dirs of one broker (AlterReplicaLogDirs). */
export const LOG_DIR_MOVE_RATE = 'replica.alter.log.dirs.io.max.bytes.per.second';

/** Per topic, the `partition:broker` entries a set of moves throttles. */
export interface ThrottledReplicas {
  /** Every current replica may serve as the leader the new replicas copy from. */
  leader: Map<string, string[]>;
  /** The new replicas, which fetch the data. */
  follower: Map<string, string[]>;
}

/** The entries inter-broker `tasks` need, by topic, in task order. */
export function throttledReplicas(tasks: readonly ExecutionTask[]): ThrottledReplicas {
  const leader = new Map<string, string[]>();
  const follower = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, topic: string, entry: string) => {
    const list = map.get(topic) ?? [];
    if (!list.includes(entry)) list.push(entry);
    map.set(topic, list);
  };
  for (const t of tasks) {
    if (t.kind !== 'INTER_BROKER_REPLICA_ACTION') continue;
    for (const b of t.oldReplicas) add(leader, t.topic, `${t.partition}:${b}`);
    for (const b of t.destinationBrokers) add(follower, t.topic, `${t.partition}:${b}`);
  }
  return { leader, follower };
}

/** Brokers a set of inter-broker tasks involves: every old and new replica's broker. */
export function participatingBrokers(tasks: readonly ExecutionTask[]): Set<number> {
  const brokers = new Set<number>();
  for (const t of tasks) {
    if (t.kind !== 'INTER_BROKER_REPLICA_ACTION') continue;
    for (const b of [...t.oldReplicas, ...t.newReplicas]) brokers.add(b);
  }
  return brokers;
}

/** Changes that throttle `starting` tasks at `rateOf(broker)` bytes per second. */
export function throttleChanges(
  starting: readonly ExecutionTask[],
  rateOf: (broker: number) => number,
): ConfigChange[] {
  const { leader, follower } = throttledReplicas(starting);
  const changes: ConfigChange[] = [];
  for (const b of participatingBrokers(starting)) {
    const value = String(Math.floor(rateOf(b)));
    for (const name of [LEADER_THROTTLED_RATE, FOLLOWER_THROTTLED_RATE]) {
      changes.push({ resource: { type: 'broker', brokerId: b }, name, operation: 'SET', value });
    }
  }
  for (const [name, byTopic] of [
    [LEADER_THROTTLED_REPLICAS, leader],
    [FOLLOWER_THROTTLED_REPLICAS, follower],
  ] as const) {
    for (const [topic, entries] of byTopic) {
      changes.push({ resource: { type: 'topic', topic }, name, operation: 'APPEND', value: entries.join(',') });
    }
  }
  return changes;
}

/**
 * Changes that remove the throttles of `finished` tasks while `stillRunning` keep theirs: topic
 * entries another running task needs stay, and a broker keeps its rates while any running task
 * involves it.
 */
export function clearChanges(
  finished: readonly ExecutionTask[],
  stillRunning: readonly ExecutionTask[],
): ConfigChange[] {
  const done = throttledReplicas(finished);
  const kept = throttledReplicas(stillRunning);
  const changes: ConfigChange[] = [];
  for (const [name, byTopic, keep] of [
    [LEADER_THROTTLED_REPLICAS, done.leader, kept.leader],
    [FOLLOWER_THROTTLED_REPLICAS, done.follower, kept.follower],
  ] as const) {
    for (const [topic, entries] of byTopic) {
      const remove = entries.filter((e) => !(keep.get(topic) ?? []).includes(e));
      if (remove.length > 0) {
        changes.push({ resource: { type: 'topic', topic }, name, operation: 'SUBTRACT', value: remove.join(',') });
      }
    }
  }
  const busy = participatingBrokers(stillRunning);
  for (const b of participatingBrokers(finished)) {
    if (busy.has(b)) continue;
    for (const name of [LEADER_THROTTLED_RATE, FOLLOWER_THROTTLED_RATE]) {
      changes.push({ resource: { type: 'broker', brokerId: b }, name, operation: 'DELETE' });
    }
  }
  return changes;
}

export interface AdaptiveThrottleOptions {
  /** Share of a broker's network headroom replication may use. */
  headroomFraction: number;
  /** Never throttle below this, so moves finish even on a busy broker. */
  floorBytesPerSecond: number;
  /** Never allow more than this. */
  ceilingBytesPerSecond: number;
}

/**
 * Adaptive rate of one broker: its network capacity minus the traffic that is not replication
 * (producers and consumers), times the headroom fraction, within the floor and ceiling. The
 * smaller of the inbound and outbound headroom decides, as a broker both sends and receives.
 */
export function adaptiveRate(
  broker: {
    networkInCapacityBytesPerSecond: number;
    networkOutCapacityBytesPerSecond: number;
    clientBytesInPerSecond: number;
    clientBytesOutPerSecond: number;
  },
  options: AdaptiveThrottleOptions,
): number {
  const headroom = Math.min(
    broker.networkInCapacityBytesPerSecond - broker.clientBytesInPerSecond,
    broker.networkOutCapacityBytesPerSecond - broker.clientBytesOutPerSecond,
  );
  const rate = Math.max(0, headroom) * options.headroomFraction;
  return Math.floor(Math.min(options.ceilingBytesPerSecond, Math.max(options.floorBytesPerSecond, rate)));
}
