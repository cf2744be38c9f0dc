// topic_configuration's replication-factor change (Cruise Control's POST /topic_configuration with
// `topic` and `replication_factor`): replicas added on the brokers and racks that spread the
// partition best, or dropped where they protect it least. The model's replica slots are fixed, so
// this builds proposals directly. Pure: model in, proposals out; the leader never changes.
import type { PartitionMove } from '../../model/index.js';
import { BrokerState, Resource, type ClusterModel } from '../../model/index.js';
import {
  BelowMinInsyncReplicasError,
  InvalidReplicationFactorError,
  ReplicationFactorAboveRacksError,
  NoMatchingTopicError,
} from './operations.errors.js';
import { placementOf, proposalFrom, replicaOnline, statelessPattern, type PartitionPlacement } from './placement.js';

/** Options of {@link replicationFactorProposals}. */
export interface ReplicationFactorOptions {
  /**
   * Topics to change (`topic`), tested with `RegExp.test`: anchor it (`^(?:…)$`) for Cruise
   * Control's whole-name match.
   */
  topicPattern: RegExp;
  /** The replication factor every partition of those topics ends with (`replication_factor`). */
  replicationFactor: number;
  /** A topic's min.insync.replicas, when the caller knows it. @defaultValue unknown: no guard */
  minInsyncReplicas?: (topic: string) => number | undefined;
  /** Allow lowering a topic below its min.insync.replicas. @defaultValue false */
  allowBelowMinInsyncReplicas?: boolean;
  /** Accept more replicas than racks of eligible brokers (Cruise Control's `skip_rack_awareness_check`). @defaultValue false */
  skipRackAwarenessCheck?: boolean;
  /** Kafka ids of brokers that must not receive a new replica (alongside those flagged `EXCLUDED_FOR_REPLICA_MOVE`). @defaultValue none */
  excludedBrokers?: ReadonlySet<number>;
}

export interface ReplicationFactorResult {
  /** One proposal per partition whose replication factor changes, in partition order. */
  readonly proposals: PartitionMove[];
  /** The topics the pattern matched, sorted, changed or not. */
  readonly topics: string[];
}

/**
 * Proposals giving every partition of the matching topics `replicationFactor` replicas.
 *
 * Increasing: each new replica goes to an alive, eligible broker not holding the partition, in the
 * rack the partition uses least, then on the broker with the lowest DISK utilization counting the
 * replicas this call already added (so additions spread), then with the fewest replicas. New
 * replicas follow the existing ones, with an unknown log dir (the broker's default).
 *
 * Decreasing: the leader is never dropped; the others go offline ones first (dead broker or
 * offline log dir), then those sharing a rack with another replica, then those on excluded
 * brokers, then those on the most DISK-utilized brokers; remaining replicas keep their order.
 *
 * @throws InvalidReplicationFactorError when the factor is not an integer ≥ 1, or exceeds the
 *   alive brokers eligible to hold a replica.
 * @throws ReplicationFactorAboveRacksError when it exceeds their racks, unless `skipRackAwarenessCheck`.
 * @throws NoMatchingTopicError when the pattern matches no topic.
 * @throws BelowMinInsyncReplicasError when a topic would shrink below its min.insync.replicas and
 *   `allowBelowMinInsyncReplicas` is not set.
 */
export function replicationFactorProposals(
  model: ClusterModel,
  options: ReplicationFactorOptions,
): ReplicationFactorResult {
  const rf = options.replicationFactor;
  if (!Number.isInteger(rf) || rf < 1) throw new InvalidReplicationFactorError(rf);
  const pattern = statelessPattern(options.topicPattern);
  const matched = new Uint8Array(model.topicCount);
  const topics: string[] = [];
  model.tables.topicNames.forEach((name, t) => {
    if (!pattern.test(name)) return;
    matched[t] = 1;
    topics.push(name);
  });
  if (topics.length === 0) throw new NoMatchingTopicError(options.topicPattern.source);
  const excluded = new Uint8Array(model.brokerCount);
  let eligibleBrokers = 0;
  for (let b = 0; b < model.brokerCount; b++) {
    if (
      options.excludedBrokers?.has(model.brokerKafkaId(b)) ||
      model.brokerHas(b, BrokerState.EXCLUDED_FOR_REPLICA_MOVE)
    ) {
      excluded[b] = 1;
    } else if (model.brokerHas(b, BrokerState.ALIVE)) eligibleBrokers++;
  }
  if (rf > eligibleBrokers) throw new InvalidReplicationFactorError(rf, eligibleBrokers);
  if (!options.skipRackAwarenessCheck) {
    const racks = new Set<number>();
    for (let b = 0; b < model.brokerCount; b++) {
      if (excluded[b] === 0 && model.brokerHas(b, BrokerState.ALIVE)) racks.add(model.brokerRack[b]!);
    }
    if (rf > racks.size) throw new ReplicationFactorAboveRacksError(rf, racks.size);
  }

  const partitions: number[] = [];
  for (let p = 0; p < model.partitionCount; p++) {
    if (matched[model.partitionTopic[p]!] === 1 && model.replicationFactor(p) !== rf) partitions.push(p);
  }
  if (!options.allowBelowMinInsyncReplicas) checkMinInsync(model, partitions, rf, options.minInsyncReplicas);

  const spread = new Spread(model, excluded);
  const proposals = partitions.map((p) => {
    const placement = placementOf(model, p);
    return model.replicationFactor(p) < rf ? spread.grow(placement, rf) : spread.shrink(placement, rf);
  });
  return { proposals, topics: topics.sort() };
}

function checkMinInsync(
  model: ClusterModel,
  partitions: readonly number[],
  rf: number,
  minInsyncOf: ReplicationFactorOptions['minInsyncReplicas'],
): void {
  if (minInsyncOf === undefined) return;
  const below = new Map<string, number>();
  for (const p of partitions) {
    if (model.replicationFactor(p) < rf) continue;
    const topic = model.topicNameOf(p);
    const minInsync = minInsyncOf(topic);
    if (minInsync !== undefined && rf < minInsync) below.set(topic, minInsync);
  }
  if (below.size > 0) {
    const named = [...below].map(([topic, minInsyncReplicas]) => ({ topic, minInsyncReplicas }));
    throw new BelowMinInsyncReplicasError(
      rf,
      named.sort((a, b) => a.topic.localeCompare(b.topic)),
    );
  }
}

/** Picks brokers to add to or drop from partitions, remembering the disk each pick shifts. */
class Spread {
  // DISK MB this call added to (positive) or removed from (negative) each broker.
  private readonly shiftedDiskMb: Float64Array;
  private readonly addedReplicas: Int32Array;

  constructor(
    private readonly model: ClusterModel,
    private readonly excluded: Uint8Array,
  ) {
    this.shiftedDiskMb = new Float64Array(model.brokerCount);
    this.addedReplicas = new Int32Array(model.brokerCount);
  }

  grow(placement: PartitionPlacement, rf: number): PartitionMove {
    const model = this.model;
    const p = placement.partition;
    const followerDiskMb = model.partitionSizeMb(p);
    const rackUse = new Int32Array(model.rackCount);
    const holds = new Uint8Array(model.brokerCount);
    for (const r of placement.replicas) {
      holds[model.replicaBroker[r]!] = 1;
      rackUse[model.brokerRack[model.replicaBroker[r]!]!]!++;
    }
    const brokerIds = [...placement.brokerIds];
    const logDirs = [...placement.logDirs];
    while (brokerIds.length < rf) {
      let best = -1;
      for (let b = 0; b < model.brokerCount; b++) {
        if (holds[b] === 1 || this.excluded[b] === 1 || !model.brokerHas(b, BrokerState.ALIVE)) continue;
        if (best < 0 || this.better(b, best, rackUse)) best = b;
      }
      // The eligible-broker count was checked against rf, so a candidate is always left.
      holds[best] = 1;
      rackUse[model.brokerRack[best]!]!++;
      this.shiftedDiskMb[best]! += followerDiskMb;
      this.addedReplicas[best]!++;
      brokerIds.push(model.brokerKafkaId(best));
      logDirs.push(null);
    }
    return proposalFrom(placement, brokerIds, logDirs, placement.leaderId);
  }

  shrink(placement: PartitionPlacement, rf: number): PartitionMove {
    const model = this.model;
    const leader = model.partitionLeader[placement.partition]!;
    const rackUse = new Int32Array(model.rackCount);
    for (const r of placement.replicas) rackUse[model.brokerRack[model.replicaBroker[r]!]!]!++;
    const kept = [...placement.replicas];
    while (kept.length > rf) {
      let drop = -1;
      for (let i = kept.length - 1; i >= 0; i--) {
        if (kept[i] === leader) continue;
        // Scanning from the end, ties drop the replica furthest down the preference order.
        if (drop < 0 || this.worse(kept[i]!, kept[drop]!, rackUse)) drop = i;
      }
      const r = kept.splice(drop, 1)[0]!;
      const b = model.replicaBroker[r]!;
      rackUse[model.brokerRack[b]!]!--;
      this.shiftedDiskMb[b]! -= model.replicaLoad(r, Resource.DISK);
    }
    const at = (r: number) => r - model.replicaStart(placement.partition);
    return proposalFrom(
      placement,
      kept.map((r) => placement.brokerIds[at(r)]!),
      kept.map((r) => placement.logDirs[at(r)]!),
      placement.leaderId,
    );
  }

  // True when broker `a` should receive a replica before broker `b`.
  private better(a: number, b: number, rackUse: Int32Array): boolean {
    const model = this.model;
    const racks = rackUse[model.brokerRack[a]!]! - rackUse[model.brokerRack[b]!]!;
    if (racks !== 0) return racks < 0;
    const ua = this.diskUtilization(a);
    const ub = this.diskUtilization(b);
    if (ua !== ub) return ua < ub;
    const counts =
      model.brokerReplicaCount[a]! + this.addedReplicas[a]! - model.brokerReplicaCount[b]! - this.addedReplicas[b]!;
    return counts < 0;
  }

  // True when replica `a` should be dropped before replica `b`.
  private worse(a: number, b: number, rackUse: Int32Array): boolean {
    const model = this.model;
    const ba = model.replicaBroker[a]!;
    const bb = model.replicaBroker[b]!;
    const tiers = [
      [!replicaOnline(model, a), !replicaOnline(model, b)],
      [rackUse[model.brokerRack[ba]!]! > 1, rackUse[model.brokerRack[bb]!]! > 1],
      [this.excluded[ba] === 1, this.excluded[bb] === 1],
    ] as const;
    for (const [x, y] of tiers) if (x !== y) return x;
    return this.diskUtilization(ba) > this.diskUtilization(bb);
  }

  // DISK load over capacity, counting what this call shifted; a zero capacity is full once loaded.
  private diskUtilization(b: number): number {
    const loadMb = this.model.brokerLoadOf(b, Resource.DISK) + this.shiftedDiskMb[b]!;
    const capacityMb = this.model.brokerCapacityOf(b, Resource.DISK);
    if (capacityMb > 0) return loadMb / capacityMb;
    return loadMb > 0 ? Infinity : 0;
  }
}
