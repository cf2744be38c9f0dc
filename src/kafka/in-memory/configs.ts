// Dynamic configs of the in-memory cluster: IncrementalAlterConfigs semantics, and the typed views
// (TopicConfigs, BrokerThrottles) that snapshots report.
import { BALLAST_THROTTLE_MARKER, type BrokerThrottles, type TopicConfigs } from '../cluster-snapshot.js';
import type { ConfigChange, ConfigChangeResult } from '../kafka.gateway.js';
import { type ClusterState, TOPIC_CONFIG_NAMES } from './model.js';

export const BROKER_THROTTLE_NAMES: Record<Exclude<keyof BrokerThrottles, 'setByBallast'>, string> = {
  leaderReplicationThrottledRate: 'leader.replication.throttled.rate',
  followerReplicationThrottledRate: 'follower.replication.throttled.rate',
  replicaAlterLogDirsIoMaxBytesPerSecond: 'replica.alter.log.dirs.io.max.bytes.per.second',
};

// Kafka types these as LONG/INT: it refuses non-numbers and list operations on them (INVALID_CONFIG).
const NUMERIC_CONFIGS = new Set([
  TOPIC_CONFIG_NAMES.minInsyncReplicas,
  TOPIC_CONFIG_NAMES.retentionMs,
  TOPIC_CONFIG_NAMES.retentionBytes,
  ...Object.values(BROKER_THROTTLE_NAMES),
]);

interface Failure {
  error: string;
  message: string;
}

/** The dynamic configs of a resource, whatever the state of the broker; undefined if it does not exist. */
export function configsOf(state: ClusterState, resource: ConfigChange['resource']): Map<string, string> | undefined {
  return resource.type === 'topic'
    ? state.topics.get(resource.topic)?.configs
    : state.brokers.get(resource.brokerId)?.configs;
}

/**
 * Applies changes like one IncrementalAlterConfigs request: changes are grouped by resource and a
 * resource's changes are all-or-nothing (Kafka validates them together), so when one is refused
 * every change of that resource carries the refusal and none is applied. Results keep input order.
 */
export function alterConfigs(state: ClusterState, changes: ConfigChange[]): ConfigChangeResult[] {
  const groups = new Map<string, { change: ConfigChange; index: number }[]>();
  changes.forEach((change, index) => {
    const r = change.resource;
    const key = r.type === 'topic' ? `topic:${r.topic}` : `broker:${r.brokerId}`;
    groups.set(key, [...(groups.get(key) ?? []), { change, index }]);
  });
  const results: ConfigChangeResult[] = [];
  for (const group of groups.values()) {
    const failure = validate(
      state,
      group.map((g) => g.change),
    );
    for (const { change, index } of group) {
      if (failure) {
        results[index] = { ...change, ok: false, ...failure };
        continue;
      }
      // validate() proved the resource exists.
      apply(configsOf(state, change.resource) ?? new Map<string, string>(), change);
      results[index] = { ...change, ok: true };
    }
  }
  return results;
}

function validate(state: ClusterState, changes: ConfigChange[]): Failure | undefined {
  const resource = changes[0]?.resource;
  if (!resource) return undefined;
  if (resource.type === 'topic' && !state.topics.has(resource.topic)) {
    return { error: 'UNKNOWN_TOPIC_OR_PARTITION', message: `Topic ${resource.topic} does not exist` };
  }
  if (resource.type === 'broker' && !state.brokers.get(resource.brokerId)?.alive) {
    return { error: 'BROKER_NOT_AVAILABLE', message: `Broker ${resource.brokerId} is not alive` };
  }
  const seen = new Set<string>();
  for (const c of changes) {
    if (seen.has(c.name)) return { error: 'INVALID_REQUEST', message: `Duplicate config key ${c.name} in one request` };
    seen.add(c.name);
    if (c.operation !== 'DELETE' && c.value === undefined) {
      return { error: 'INVALID_REQUEST', message: `${c.operation} of ${c.name} needs a value` };
    }
    if (!NUMERIC_CONFIGS.has(c.name)) continue;
    if (c.operation === 'APPEND' || c.operation === 'SUBTRACT') {
      return { error: 'INVALID_CONFIG', message: `${c.operation} is not allowed for ${c.name}: it is not a list` };
    }
    if (c.operation === 'SET' && !/^-?\d+$/.test(c.value ?? '')) {
      return { error: 'INVALID_CONFIG', message: `Invalid value ${c.value} for ${c.name}: not an integer` };
    }
  }
  return undefined;
}

function apply(configs: Map<string, string>, c: ConfigChange): void {
  const value = c.value ?? '';
  const current = listItems(configs.get(c.name) ?? '');
  switch (c.operation) {
    case 'SET':
      configs.set(c.name, value);
      return;
    case 'DELETE':
      configs.delete(c.name);
      return;
    case 'APPEND':
      configs.set(c.name, [...current, ...listItems(value).filter((v) => !current.includes(v))].join(','));
      return;
    case 'SUBTRACT': {
      const removed = listItems(value);
      // Like Kafka, subtracting the last items leaves the config set to '' rather than deleting it.
      configs.set(c.name, current.filter((v) => !removed.includes(v)).join(','));
      return;
    }
  }
}

function listItems(value: string): string[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return [...new Set(items)];
}

function numberOrNull(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function topicConfigsView(configs: Map<string, string>): TopicConfigs {
  return {
    minInsyncReplicas: numberOrNull(configs.get(TOPIC_CONFIG_NAMES.minInsyncReplicas)),
    retentionMs: numberOrNull(configs.get(TOPIC_CONFIG_NAMES.retentionMs)),
    retentionBytes: numberOrNull(configs.get(TOPIC_CONFIG_NAMES.retentionBytes)),
    leaderThrottledReplicas: configs.get(TOPIC_CONFIG_NAMES.leaderThrottledReplicas) ?? '',
    followerThrottledReplicas: configs.get(TOPIC_CONFIG_NAMES.followerThrottledReplicas) ?? '',
  };
}

export function brokerThrottlesView(configs: Map<string, string>): BrokerThrottles {
  return {
    leaderReplicationThrottledRate: numberOrNull(configs.get(BROKER_THROTTLE_NAMES.leaderReplicationThrottledRate)),
    followerReplicationThrottledRate: numberOrNull(configs.get(BROKER_THROTTLE_NAMES.followerReplicationThrottledRate)),
    replicaAlterLogDirsIoMaxBytesPerSecond: numberOrNull(
      configs.get(BROKER_THROTTLE_NAMES.replicaAlterLogDirsIoMaxBytesPerSecond),
    ),
    ...(configs.has(BALLAST_THROTTLE_MARKER) ? { setByBallast: true } : {}),
  };
}
