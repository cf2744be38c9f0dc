// Ballast's execution record is a cache of what it did to Kafka, not the truth: when the record is
// missing (Redis lost it, or came back empty) while Kafka still carries Ballast's marked throttles,
// this rebuilds an execution from Kafka to stop and clean up — the safe default. Its tasks are the
// reassignments in flight (left to finish where a cancel is unsafe), its throttled brokers the
// marked ones; topic throttle entries of partitions no longer moving are stale and removed at once.
// Pure: a snapshot and the stored record in, a recovery plan out.
import { randomUUID } from 'node:crypto';
import { topicPartitionName } from '../common/index.js';
import type { ClusterSnapshot, ConfigChange } from '../kafka/index.js';
import type { ExecutionOptions, ExecutionRecord, TaskRecord } from './execution-record.js';
import { FOLLOWER_THROTTLED_REPLICAS, LEADER_THROTTLED_REPLICAS } from './throttle/index.js';

const LIVE = new Set(['IN_PROGRESS', 'STOPPING']);

export interface Recovery {
  /** The execution to run (STOPPING) until Kafka's moves have ended and the throttles are gone. */
  record: ExecutionRecord;
  /** Topic throttle entries of partitions that are not moving: removed right away. */
  staleEntries: ConfigChange[];
}

/** Brokers carrying Ballast's throttle marker, sorted. */
export function markedBrokers(snapshot: Pick<ClusterSnapshot, 'brokerThrottles'>): number[] {
  return Object.entries(snapshot.brokerThrottles)
    .filter(([, t]) => t.setByBallast === true)
    .map(([id]) => Number(id))
    .sort((a, b) => a - b);
}

/**
 * The execution to recover from Kafka, or null when nothing needs it: an execution is recorded as
 * running (its own steps keep Kafka in line), or Kafka shows none of Ballast's throttles.
 */
export function recoveryFrom(input: {
  snapshot: ClusterSnapshot;
  stored: ExecutionRecord | null;
  /** Why the record is being checked: start-up, Redis back, record missing. */
  occasion: string;
  options: ExecutionOptions;
  nowMs: number;
}): Recovery | null {
  const { snapshot, stored, nowMs } = input;
  if (stored !== null && LIVE.has(stored.status)) return null;
  const marked = markedBrokers(snapshot);
  if (marked.length === 0) return null;
  const moving = new Set(snapshot.reassignments.map((r) => topicPartitionName(r.topic, r.partition)));
  const leaders = new Map(snapshot.partitions.map((p) => [topicPartitionName(p.topic, p.partition), p.leader]));
  const tasks: TaskRecord[] = snapshot.reassignments.map((r, id) => {
    const oldReplicas = r.replicas.filter((b) => !r.addingReplicas.includes(b));
    const newReplicas = r.replicas.filter((b) => !r.removingReplicas.includes(b));
    return {
      id,
      kind: 'INTER_BROKER_REPLICA_ACTION',
      topic: r.topic,
      partition: r.partition,
      oldReplicas,
      newReplicas,
      oldLeader: leaders.get(topicPartitionName(r.topic, r.partition)) ?? -1,
      newLeader: newReplicas[0] ?? -1,
      sourceBrokers: r.removingReplicas,
      destinationBrokers: r.addingReplicas,
      sizeBytes: 0,
      state: 'IN_PROGRESS',
      startedAtMs: nowMs,
    };
  });
  const reason =
    `${input.occasion}: Kafka carries Ballast's replication throttles on broker(s) ${marked.join(', ')} ` +
    `but no running execution is recorded (${stored === null ? 'no record' : `the last one, ${stored.id}, is ${stored.status}`}); ` +
    `stopping and cleaning up: ${tasks.length} reassignment(s) in flight cancelled where safe, else left to finish, then every throttle removed`;
  const rates: Record<number, number> = {};
  for (const b of marked) {
    const rate = snapshot.brokerThrottles[b]?.followerReplicationThrottledRate;
    if (rate !== null && rate !== undefined) rates[b] = rate;
  }
  const record: ExecutionRecord = {
    id: randomUUID(),
    status: 'STOPPING',
    operation: 'recovered',
    reason,
    startedAtMs: nowMs,
    options: input.options,
    tasks,
    throttledBrokers: marked,
    throttleRatesByBroker: rates,
    logDirThrottledBrokers: [],
    events: [reason],
  };
  return { record, staleEntries: staleEntries(snapshot, moving) };
}

/** SUBTRACTs of `partition:broker` entries (not `*`) whose partition is not in `moving`. */
function staleEntries(snapshot: ClusterSnapshot, moving: ReadonlySet<string>): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const topic of snapshot.topics) {
    for (const [name, value] of [
      [LEADER_THROTTLED_REPLICAS, topic.configs.leaderThrottledReplicas],
      [FOLLOWER_THROTTLED_REPLICAS, topic.configs.followerThrottledReplicas],
    ] as const) {
      const stale = value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => /^\d+:\d+$/.test(e) && !moving.has(`${topic.name}-${e.split(':')[0]}`));
      if (stale.length > 0) {
        changes.push({
          resource: { type: 'topic', topic: topic.name },
          name,
          operation: 'SUBTRACT',
          value: stale.join(','),
        });
      }
    }
  }
  return changes;
}
