// The N-1 failure-budget check: for the loss of each single alive broker, leadership fails over to
// the next live replica in assignment order, and the survivors must stay under their capacity
// thresholds for network out and CPU, and every partition must keep min.insync.replicas live
// replicas. Pure: one pass over the partitions, then O(brokers²).
import {
  FAILOVER_RESOURCES,
  FailoverLedger,
  liveReplicas,
  minInsyncOf,
  type GoalThresholds,
} from '../../goals/index.js';
import { BrokerState, Resource, type ClusterModel } from '../model/index.js';

/** The worst thing that happens when one broker is lost. */
export interface FailureCase {
  /** Kafka id of the broker lost. */
  lostBroker: number;
  /** Kafka id of the survivor that is overloaded, or -1 for an in-sync-replica shortfall. */
  broker: number;
  /** `networkOutbound`, `cpu`, or `minInsyncReplicas`. */
  resource: 'networkOutbound' | 'cpu' | 'minInsyncReplicas';
  /** Load over the limit (1.25 = 25% over); for min ISR, the partitions left short. */
  over: number;
  detail: string;
}

export interface FailureBudgetReport {
  /** True when the cluster survives the loss of any one alive broker. */
  survivesAnySingleBrokerLoss: boolean;
  /** The worst overload (or ISR shortfall) across all single-broker losses; null when none. */
  worstCase: FailureCase | null;
  /** How many single-broker losses would break the budget. */
  failingLosses: number;
}

/**
 * Simulates the loss of every alive broker. `minInsyncReplicas` is one value for every partition,
 * or one per model topic index (from the topics' configs). Dead brokers are already lost: their
 * replicas never count as live and never take leadership.
 */
export function failureBudgetReport(
  model: ClusterModel,
  thresholds: GoalThresholds,
  minInsyncReplicas: number | ArrayLike<number> = 2,
): FailureBudgetReport {
  const B = model.brokerCount;
  const alive = (b: number) => model.brokerHas(b, BrokerState.ALIVE);
  const ledger = new FailoverLedger(model);
  // Partitions that drop below min ISR if a broker is lost.
  const shortIfLost = new Int32Array(B);
  const examples: string[] = new Array<string>(B).fill('');
  for (let p = 0; p < model.partitionCount; p++) {
    const live = liveReplicas(model, p);
    if (live - 1 >= minInsyncOf(model, minInsyncReplicas, p)) continue;
    for (let r = model.replicaStart(p); r < model.replicaEnd(p); r++) {
      const b = model.replicaBroker[r]!;
      if (!alive(b)) continue;
      shortIfLost[b]!++;
      if (examples[b] === '') examples[b] = model.partitionName(p);
    }
  }

  let worst: FailureCase | null = null;
  let failingLosses = 0;
  const limitOf = (b: number, k: Resource) =>
    model.brokerCapacityOf(b, k) *
    (k === Resource.CPU ? thresholds.capacityThreshold.cpu : thresholds.capacityThreshold.networkOutbound);
  for (let lost = 0; lost < B; lost++) {
    if (!alive(lost)) continue;
    let fails = false;
    if (shortIfLost[lost]! > 0) {
      fails = true;
      const isrCase: FailureCase = {
        lostBroker: model.brokerKafkaId(lost),
        broker: -1,
        resource: 'minInsyncReplicas',
        over: shortIfLost[lost]!,
        detail: `losing broker ${model.brokerKafkaId(lost)} leaves ${shortIfLost[lost]} partition(s) under their min.insync.replicas, e.g. ${examples[lost]}`,
      };
      // An ISR shortfall (producers with acks=all stop) outranks any overload.
      if (worst === null || worst.resource !== 'minInsyncReplicas' || isrCase.over > worst.over) worst = isrCase;
    }
    for (let to = 0; to < B; to++) {
      if (to === lost || !alive(to)) continue;
      for (let slot = 0; slot < FAILOVER_RESOURCES.length; slot++) {
        const [k, name] = FAILOVER_RESOURCES[slot]!;
        const limit = limitOf(to, k);
        const after = model.brokerLoadOf(to, k) + ledger.extra(lost, to, slot);
        if (after <= limit) continue;
        fails = true;
        const over = limit > 0 ? after / limit : Infinity;
        if (worst === null || (worst.resource !== 'minInsyncReplicas' && over > worst.over)) {
          worst = {
            lostBroker: model.brokerKafkaId(lost),
            broker: model.brokerKafkaId(to),
            resource: name,
            over,
            detail: `losing broker ${model.brokerKafkaId(lost)} puts broker ${model.brokerKafkaId(to)} at ${after.toFixed(1)} ${name}, ${((over - 1) * 100).toFixed(1)}% over its limit ${limit.toFixed(1)}`,
          };
        }
      }
    }
    if (fails) failingLosses++;
  }
  return { survivesAnySingleBrokerLoss: failingLosses === 0, worstCase: worst, failingLosses };
}
