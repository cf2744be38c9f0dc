// The real gateway: kafkajs's connections plus Ballast's own encoders for the admin requests
// kafkajs lacks. Batch actions answer per partition (or per config change); nothing is dropped.
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';
import { BallastConfig } from '../config/index.js';
import type { ClusterSnapshot, TopicConfigs } from './cluster-snapshot.js';
import { KafkaClient } from './kafka-client.js';
import {
  type ClusterSummary,
  type ConfigChange,
  type ConfigChangeResult,
  KafkaGateway,
  type LogDirMove,
  type PartitionResult,
  type ReassignmentTarget,
  type SnapshotOptions,
  type TopicPartition,
} from './kafka.gateway.js';
import {
  ALTER_PARTITION_REASSIGNMENTS,
  ALTER_REPLICA_LOG_DIRS,
  alterPartitionReassignmentsRequest,
  alterReplicaLogDirsRequest,
  CONFIG_OPERATION,
  type ConfigResourceChange,
  ELECT_LEADERS,
  electLeadersRequest,
  errorName,
  INCREMENTAL_ALTER_CONFIGS,
  incrementalAlterConfigsRequest,
  type PartitionReassignment,
  RESOURCE_TYPE,
} from './protocol/index.js';
import { readReassignments, readSnapshot, readSummary, readTopicConfigs } from './snapshot-reader.js';

// Starting the same reassignment or election twice has the same effect as once, so these may be
// retried; log-dir moves and config changes are retried only on connection failures before sending.
const IDEMPOTENT_RETRIES = 2;

const key = (tp: TopicPartition): string => `${tp.topic}:${tp.partition}`;

function byTopic<T extends TopicPartition>(items: readonly T[]): { topic: string; partitions: number[] }[] {
  const map = new Map<string, number[]>();
  for (const item of items) map.set(item.topic, [...(map.get(item.topic) ?? []), item.partition]);
  return [...map].map(([topic, partitions]) => ({ topic, partitions }));
}

@Injectable()
export class KafkajsGateway extends KafkaGateway implements OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  readonly client: KafkaClient;

  constructor(config: BallastConfig) {
    super();
    this.client = new KafkaClient(config.kafka, this.logCreator);
  }

  snapshot(options?: SnapshotOptions): Promise<ClusterSnapshot> {
    return readSnapshot(this.client, options);
  }

  override clusterSummary(): Promise<ClusterSummary> {
    return readSummary(this.client);
  }

  override topicConfigsOn(brokerId: number, topics: readonly string[]): Promise<Map<string, TopicConfigs>> {
    return readTopicConfigs(this.client, [...topics], brokerId);
  }

  async reassign(targets: ReassignmentTarget[]): Promise<PartitionResult[]> {
    const results = new Map<string, PartitionResult>();
    const valid: PartitionReassignment[] = [];
    for (const t of targets) {
      const problem =
        t.replicas.length === 0
          ? 'the replica list is empty'
          : new Set(t.replicas).size !== t.replicas.length
            ? `the replica list ${t.replicas.join(',')} names a broker twice`
            : undefined;
      if (problem)
        results.set(key(t), {
          topic: t.topic,
          partition: t.partition,
          ok: false,
          error: 'INVALID_REPLICA_ASSIGNMENT',
          message: problem,
        });
      else valid.push({ topic: t.topic, partition: t.partition, replicas: [...t.replicas] });
    }
    for (const r of await this.alterReassignments(valid)) results.set(key(r), r);
    return targets.map((t) => results.get(key(t))!);
  }

  async cancelReassignments(partitions: TopicPartition[]): Promise<PartitionResult[]> {
    const [ongoing, snapshotBrokers] = await Promise.all([readReassignments(this.client), this.aliveBrokerIds()]);
    const inProgress = new Map(ongoing.map((r) => [key(r), r]));
    const results = new Map<string, PartitionResult>();
    const safe: PartitionReassignment[] = [];
    for (const p of partitions) {
      const reassignment = inProgress.get(key(p));
      if (!reassignment) {
        results.set(key(p), {
          ...pick(p),
          ok: false,
          error: 'NO_REASSIGNMENT_IN_PROGRESS',
          message: 'no reassignment of this partition is in progress',
        });
        continue;
      }
      // KAFKA-14424: cancelling reverts to the original replicas; if one of them is down the
      // partition can be left without a leader. Refuse and say which brokers are missing.
      const original = reassignment.replicas.filter((id) => !reassignment.addingReplicas.includes(id));
      const dead = original.filter((id) => !snapshotBrokers.has(id));
      if (dead.length > 0) {
        results.set(key(p), {
          ...pick(p),
          ok: false,
          error: 'UNSAFE_CANCELLATION',
          message: `original replica broker(s) ${dead.join(',')} are not alive; cancelling could leave the partition leaderless (KAFKA-14424)`,
        });
        continue;
      }
      safe.push({ ...pick(p), replicas: null });
    }
    for (const r of await this.alterReassignments(safe)) results.set(key(r), r);
    return partitions.map((p) => results.get(key(p))!);
  }

  async electPreferredLeaders(partitions: TopicPartition[]): Promise<PartitionResult[]> {
    if (partitions.length === 0) return [];
    const timeoutMs = 30_000;
    const response = await this.client.send(
      'controller',
      ELECT_LEADERS,
      electLeadersRequest(byTopic(partitions), timeoutMs),
      { retries: IDEMPOTENT_RETRIES },
    );
    return perPartition(partitions, response.errorCode, null, response.results);
  }

  async moveReplicasBetweenLogDirs(moves: LogDirMove[]): Promise<PartitionResult[]> {
    const results = new Map<string, PartitionResult>();
    const byBroker = new Map<number, LogDirMove[]>();
    for (const m of moves) byBroker.set(m.brokerId, [...(byBroker.get(m.brokerId) ?? []), m]);
    await Promise.all(
      [...byBroker].map(async ([brokerId, brokerMoves]) => {
        const byPath = new Map<string, LogDirMove[]>();
        for (const m of brokerMoves) byPath.set(m.logDir, [...(byPath.get(m.logDir) ?? []), m]);
        const request = alterReplicaLogDirsRequest(
          [...byPath].map(([path, ms]) => ({
            path,
            topics: byTopic(ms).map((t) => ({ name: t.topic, partitions: t.partitions })),
          })),
        );
        try {
          const answer = await this.client.send(brokerId, ALTER_REPLICA_LOG_DIRS, request);
          const byPartition = new Map(answer.map((r) => [key(r), r.errorCode]));
          for (const m of brokerMoves) {
            const code = byPartition.get(key(m));
            results.set(
              `${brokerId}/${key(m)}`,
              code === undefined
                ? { ...pick(m), ok: false, error: 'NO_RESPONSE' }
                : code === 0
                  ? { ...pick(m), ok: true }
                  : failed(m, code, null),
            );
          }
        } catch (error) {
          for (const m of brokerMoves)
            results.set(`${brokerId}/${key(m)}`, {
              ...pick(m),
              ok: false,
              error: 'BROKER_NOT_AVAILABLE',
              message: (error as Error).message,
            });
        }
      }),
    );
    return moves.map((m) => results.get(`${m.brokerId}/${key(m)}`)!);
  }

  async alterConfigs(changes: ConfigChange[]): Promise<ConfigChangeResult[]> {
    const results = new Map<ConfigChange, ConfigChangeResult>();
    const byResource = new Map<string, ConfigChange[]>();
    for (const change of changes) {
      if (change.operation !== 'DELETE' && change.value === undefined) {
        results.set(change, {
          ...change,
          ok: false,
          error: 'INVALID_REQUEST',
          message: `${change.operation} of ${change.name} needs a value`,
        });
        continue;
      }
      const id =
        change.resource.type === 'broker' ? `broker:${change.resource.brokerId}` : `topic:${change.resource.topic}`;
      byResource.set(id, [...(byResource.get(id) ?? []), change]);
    }
    // A broker's own configs go to that broker; topic configs to the controller. Kafka applies
    // all changes of one resource together, so they share one result.
    await Promise.all(
      [...byResource.values()].map(async (group) => {
        const resource = group[0]!.resource;
        const change: ConfigResourceChange = {
          resourceType: resource.type === 'broker' ? RESOURCE_TYPE.broker : RESOURCE_TYPE.topic,
          resourceName: resource.type === 'broker' ? String(resource.brokerId) : resource.topic,
          configs: group.map((c) => ({
            name: c.name,
            operation: CONFIG_OPERATION[c.operation],
            value: c.operation === 'DELETE' ? null : (c.value ?? null),
          })),
        };
        try {
          const target = resource.type === 'broker' ? resource.brokerId : 'controller';
          const [answer] = await this.client.send(
            target,
            INCREMENTAL_ALTER_CONFIGS,
            incrementalAlterConfigsRequest([change]),
          );
          for (const c of group) {
            results.set(
              c,
              !answer
                ? { ...c, ok: false, error: 'NO_RESPONSE' }
                : answer.errorCode === 0
                  ? { ...c, ok: true }
                  : {
                      ...c,
                      ok: false,
                      error: errorName(answer.errorCode) ?? 'UNKNOWN',
                      message: answer.errorMessage ?? undefined,
                    },
            );
          }
        } catch (error) {
          for (const c of group)
            results.set(c, { ...c, ok: false, error: 'REQUEST_FAILED', message: (error as Error).message });
        }
      }),
    );
    return changes.map((c) => results.get(c)!);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  private async alterReassignments(reassignments: PartitionReassignment[]): Promise<PartitionResult[]> {
    if (reassignments.length === 0) return [];
    const response = await this.client.send(
      'controller',
      ALTER_PARTITION_REASSIGNMENTS,
      alterPartitionReassignmentsRequest(reassignments, 30_000),
      { retries: IDEMPOTENT_RETRIES },
    );
    return perPartition(reassignments, response.errorCode, response.errorMessage, response.results);
  }

  private async aliveBrokerIds(): Promise<Set<number>> {
    return new Set((await readSummary(this.client)).brokers.map((b) => b.id));
  }

  private readonly logCreator: logCreator =
    () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const line = { msg: `kafkajs: ${message}`, ...extra };
      if (level === logLevel.ERROR) this.logger.error(line);
      else if (level === logLevel.WARN) this.logger.warn(line);
      else this.logger.debug(line);
    };
}

function pick(tp: TopicPartition): TopicPartition {
  return { topic: tp.topic, partition: tp.partition };
}

/**
 * One result per requested partition: the request-level error for all when there is one,
 * otherwise each partition's own answer, and NO_RESPONSE for any the controller left out.
 */
function perPartition(
  requested: readonly TopicPartition[],
  requestErrorCode: number,
  requestErrorMessage: string | null,
  answers: readonly (TopicPartition & { errorCode: number; errorMessage: string | null })[],
): PartitionResult[] {
  if (requestErrorCode !== 0) return requested.map((p) => failed(p, requestErrorCode, requestErrorMessage));
  const answered = new Map(answers.map((a) => [key(a), a]));
  return requested.map((p) => {
    const a = answered.get(key(p));
    if (!a)
      return {
        ...pick(p),
        ok: false,
        error: 'NO_RESPONSE',
        message: 'the controller did not answer for this partition',
      };
    return a.errorCode === 0 ? { ...pick(p), ok: true } : failed(p, a.errorCode, a.errorMessage);
  });
}

function failed(tp: TopicPartition, code: number, message: string | null): PartitionResult {
  return { ...pick(tp), ok: false, error: errorName(code) ?? 'UNKNOWN', ...(message ? { message } : {}) };
}
