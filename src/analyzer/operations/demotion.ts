// demote_broker, as Cruise Control does it: on every partition with a replica on a demoted broker,
// the demoted replicas go to the end of the replica list and leadership goes to the first replica
// left that may lead. Kafka elects leaders in list order, so a demoted broker then leads only when
// nothing else can; no data moves. Pure: model in, proposals out.
import type { PartitionMove } from '../../model/index.js';
import { BrokerState, type ClusterModel } from '../../model/index.js';
import { UnknownBrokerError } from '../analyzer.errors.js';
import { placementOf, proposalFrom, replicaOnline, statelessPattern } from './placement.js';

/** Options of {@link demotionProposals}, after Cruise Control's demote_broker parameters. */
export interface DemotionOptions {
  /** Topics left as they are (`excluded_topics`). @defaultValue none */
  excludedTopics?: RegExp;
  /**
   * Leave under-replicated partitions alone (`skip_urp_demotion`): moving leadership within a
   * partition that is already short of replicas adds risk for little gain. @defaultValue true
   */
  skipUrpDemotion?: boolean;
  /** Only change partitions a demoted broker leads (`exclude_follower_demotion`). @defaultValue false */
  excludeFollowerDemotion?: boolean;
  /**
   * Whether a partition is under-replicated, from the snapshot's in-sync replicas when the caller
   * has them. @defaultValue a replica is on a dead broker or an offline log dir (the model knows no ISR)
   */
  isUnderReplicated?: (topic: string, partitionNumber: number) => boolean;
}

/** Why a partition with a demoted replica was left as it is. */
export type DemotionSkipReason = 'OFFLINE' | 'UNDER_REPLICATED' | 'NO_ELIGIBLE_LEADER';

/** A partition the demotion had to leave as it is. */
export interface SkippedPartition {
  readonly topic: string;
  readonly partitionNumber: number;
  readonly reason: DemotionSkipReason;
}

/** What the demotion does to one demoted broker. */
export interface DemotedBrokerSummary {
  /** Kafka broker id. */
  readonly brokerId: number;
  /** Partitions it leads now. */
  readonly leadersBefore: number;
  /** Leaderships the proposals move off it. */
  readonly leadersMovedOff: number;
  /** Partitions it still leads afterwards (excluded or skipped ones). */
  readonly leadersAfter: number;
}

export interface DemotionSummary {
  /** One entry per demoted broker, in request order. */
  readonly brokers: readonly DemotedBrokerSummary[];
  /** Proposals whose leader changes. */
  readonly leadersMoved: number;
  /** Proposals whose replica order changes. */
  readonly partitionsReordered: number;
  /** Partitions with a demoted replica left alone by request (excluded topics, follower demotion excluded). */
  readonly partitionsExcluded: number;
}

export interface DemotionResult {
  /** One proposal per partition whose replica order or leader changes, in partition order; same replica set. */
  readonly proposals: PartitionMove[];
  /** Partitions with a demoted replica that could not be demoted, and why. */
  readonly skipped: SkippedPartition[];
  readonly summary: DemotionSummary;
}

/**
 * Proposals demoting `brokerIds` (Kafka ids): for each partition with a replica on one of them, the
 * replicas not demoted keep their order and come first, the demoted ones follow (in their order);
 * the new leader is the first replica of that order on an online replica of a broker that is not
 * demoted. Brokers the model already flags `DEMOTED` (demoted earlier) are not given leadership
 * either. A partition with no such replica is left as it is and listed in `skipped`. Reads the
 * model as it stands and changes nothing in it.
 * @throws UnknownBrokerError naming ids the cluster does not have.
 */
export function demotionProposals(
  model: ClusterModel,
  brokerIds: readonly number[],
  options: DemotionOptions = {},
): DemotionResult {
  const unknown = [...new Set(brokerIds.filter((id) => model.brokerIndex(id) < 0))];
  if (unknown.length > 0) throw new UnknownBrokerError('brokers', unknown);
  const demotedIds = [...new Set(brokerIds)];
  const demoted = new Uint8Array(model.brokerCount);
  for (const id of demotedIds) demoted[model.brokerIndex(id)] = 1;
  const excluded = options.excludedTopics && statelessPattern(options.excludedTopics);
  const skipUrp = options.skipUrpDemotion ?? true;
  const mayLead = (r: number) => {
    const b = model.replicaBroker[r]!;
    return demoted[b] === 0 && !model.brokerHas(b, BrokerState.DEMOTED) && replicaOnline(model, r);
  };
  const underReplicated = (p: number, replicas: readonly number[], topic: string) =>
    options.isUnderReplicated
      ? options.isUnderReplicated(topic, model.partitionNumber[p]!)
      : replicas.some((r) => !replicaOnline(model, r));

  const proposals: PartitionMove[] = [];
  const skipped: SkippedPartition[] = [];
  const movedOff = new Int32Array(model.brokerCount);
  let partitionsReordered = 0;
  let leadersMoved = 0;
  let partitionsExcluded = 0;
  for (let p = 0; p < model.partitionCount; p++) {
    if (!hasDemotedReplica(model, p, demoted)) continue;
    const placement = placementOf(model, p);
    const { topic, partitionNumber, replicas } = placement;
    const leader = model.partitionLeader[p]!;
    const leaderDemoted = leader >= 0 && demoted[model.replicaBroker[leader]!] === 1;
    if (excluded?.test(topic) || (options.excludeFollowerDemotion && !leaderDemoted)) {
      partitionsExcluded++;
      continue;
    }
    // An offline partition has no leader to hand over; Kafka elects one when a replica returns.
    if (leader < 0) {
      skipped.push({ topic, partitionNumber, reason: 'OFFLINE' });
      continue;
    }
    if (skipUrp && underReplicated(p, replicas, topic)) {
      skipped.push({ topic, partitionNumber, reason: 'UNDER_REPLICATED' });
      continue;
    }
    const isDemoted = (r: number) => demoted[model.replicaBroker[r]!] === 1;
    const order = [...replicas.filter((r) => !isDemoted(r)), ...replicas.filter(isDemoted)];
    const newLeader = order.find(mayLead);
    if (newLeader === undefined) {
      skipped.push({ topic, partitionNumber, reason: 'NO_ELIGIBLE_LEADER' });
      continue;
    }
    const reordered = order.some((r, i) => r !== replicas[i]);
    if (!reordered && newLeader === leader) continue;
    if (reordered) partitionsReordered++;
    if (newLeader !== leader) {
      leadersMoved++;
      movedOff[model.replicaBroker[leader]!]!++;
    }
    const at = (r: number) => r - model.partitionReplicaStart[p]!;
    proposals.push(
      proposalFrom(
        placement,
        order.map((r) => placement.brokerIds[at(r)]!),
        order.map((r) => placement.logDirs[at(r)]!),
        model.brokerKafkaId(model.replicaBroker[newLeader]!),
      ),
    );
  }
  const brokers = demotedIds.map((brokerId) => {
    const b = model.brokerIndex(brokerId);
    const leadersBefore = model.brokerLeaderCount[b]!;
    return { brokerId, leadersBefore, leadersMovedOff: movedOff[b]!, leadersAfter: leadersBefore - movedOff[b]! };
  });
  return { proposals, skipped, summary: { brokers, leadersMoved, partitionsReordered, partitionsExcluded } };
}

function hasDemotedReplica(model: ClusterModel, p: number, demoted: Uint8Array): boolean {
  for (let r = model.partitionReplicaStart[p]!; r < model.partitionReplicaStart[p + 1]!; r++) {
    if (demoted[model.replicaBroker[r]!] === 1) return true;
  }
  return false;
}
