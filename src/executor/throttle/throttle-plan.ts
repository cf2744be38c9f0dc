// Replication throttles (KIP-73) for the moves in flight, as incremental config changes: the topic
// lists of throttled replicas (`partition:broker`) grow with APPEND and shrink with SUBTRACT, so
// other tools' entries and other tasks' entries are never touched, and the broker rates are SET on
// every broker taking part (with Ballast's marker, so Kafka alone tells whose they are) and DELETEd
// once none of its moves is left. Log-dir moves have their own
// broker rate (`replica.alter.log.dirs.io.max.bytes.per.second`). Pure; the engine sends the changes
// through the gateway.
import { BALLAST_THROTTLE_MARKER, type ConfigChange } from '../../kafka/index.js';
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
    // In the same request as the rates (one broker's changes apply together): Kafka alone then says
    // which rates are Ballast's, should the record of them be lost.
    changes.push({
      resource: { type: 'broker', brokerId: b },
      name: BALLAST_THROTTLE_MARKER,
      operation: 'SET',
      value: 'ballast',
    });
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
    changes.push(...rateClearChanges(b));
  }
  return changes;
}

/** Changes that remove Ballast's replication rates, and its marker, from broker `brokerId`. */
export function rateClearChanges(brokerId: number): ConfigChange[] {
  return [LEADER_THROTTLED_RATE, FOLLOWER_THROTTLED_RATE, BALLAST_THROTTLE_MARKER].map((name): ConfigChange => ({
    resource: { type: 'broker', brokerId },
    name,
    operation: 'DELETE',
  }));
}

/** Brokers that intra-broker (log dir) `tasks` run on. */
export function logDirMoveBrokers(tasks: readonly ExecutionTask[]): Set<number> {
  const brokers = new Set<number>();
  for (const t of tasks) if (t.kind === 'INTRA_BROKER_REPLICA_ACTION' && t.broker !== undefined) brokers.add(t.broker);
  return brokers;
}

/**
 * Changes that throttle log-dir moves on `brokers` at `rateBytesPerSecond`. Kafka has no per-replica
 * list for these: the rate covers every future replica the broker copies.
 */
export function logDirThrottleChanges(brokers: Iterable<number>, rateBytesPerSecond: number): ConfigChange[] {
  const value = String(Math.floor(rateBytesPerSecond));
  return [...brokers].map((brokerId): ConfigChange => ({
    resource: { type: 'broker', brokerId },
    name: LOG_DIR_MOVE_RATE,
    operation: 'SET',
    value,
  }));
}

/** Changes that remove the log-dir move throttle from `brokers`. */
export function logDirClearChanges(brokers: Iterable<number>): ConfigChange[] {
  return [...brokers].map((brokerId): ConfigChange => ({
    resource: { type: 'broker', brokerId },
    name: LOG_DIR_MOVE_RATE,
    operation: 'DELETE',
  }));
}

/** Changes that SET both replication rates of each broker of `rates` (bytes per second by Kafka id). */
export function rateChanges(rates: ReadonlyMap<number, number>): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const [brokerId, rate] of rates) {
    const value = String(Math.floor(rate));
    for (const name of [LEADER_THROTTLED_RATE, FOLLOWER_THROTTLED_RATE]) {
      changes.push({ resource: { type: 'broker', brokerId }, name, operation: 'SET', value });
    }
  }
  return changes;
}
