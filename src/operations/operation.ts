// The operations Ballast runs on a cluster, as one typed union: what the REST API's POSTs and
// self-healing ask for alike. Kafka ids and names, as the request gave them; the analyzer resolves them.
import type { FallbackGoals } from '../analyzer/index.js';

/** What every optimizing operation may say about its goals and data. */
interface Optimization {
  /** Goal names in priority order; the operation's fallback goals when absent. */
  goals?: string[];
  /** Which goals run when `goals` is absent. @defaultValue 'hard' for fix_offline_replicas, else 'default' */
  fallbackGoals?: FallbackGoals;
  excludedTopics?: RegExp;
  allowCapacityEstimation: boolean;
  skipHardGoalCheck: boolean;
  /** Compute anew even when the cached proposal would do (an execution always does). */
  ignoreProposalCache: boolean;
}

/** A log dir of a broker, by Kafka id and path. */
export interface BrokerLogDir {
  brokerId: number;
  logDir: string;
}

export type Operation =
  /** Balance the whole cluster, or with `rebalanceDisk` the disks within each broker. */
  | ({ kind: 'rebalance'; rebalanceDisk: boolean; destinationBrokerIds?: number[] } & Optimization)
  /** New brokers take replicas from the others; nothing moves between the old ones. */
  | ({ kind: 'add_broker'; brokerIds: number[] } & Optimization)
  /** Every replica leaves the brokers, onto `destinationBrokerIds` when given. */
  | ({ kind: 'remove_broker'; brokerIds: number[]; destinationBrokerIds?: number[] } & Optimization)
  /** The replicas Kafka reports offline (dead brokers, failed log dirs) move to healthy brokers. */
  | ({ kind: 'fix_offline_replicas' } & Optimization)
  /** The log dirs are emptied into the other dirs of their brokers; no goal runs. */
  | { kind: 'remove_disks'; disks: BrokerLogDir[]; allowCapacityEstimation: boolean; ignoreProposalCache: boolean }
  /** Leadership leaves the brokers, which go last in every replica list; no data moves. */
  | {
      kind: 'demote_broker';
      brokerIds: number[];
      skipUrpDemotion: boolean;
      excludeFollowerDemotion: boolean;
      allowCapacityEstimation: boolean;
    }
  /** Every partition of the matching topics gets `replicationFactor` replicas. */
  | {
      kind: 'topic_configuration';
      /** Whole topic names, as Cruise Control matches `topic`. */
      topicPattern: RegExp;
      replicationFactor: number;
      skipRackAwarenessCheck: boolean;
      allowCapacityEstimation: boolean;
    };

export type OperationKind = Operation['kind'];
