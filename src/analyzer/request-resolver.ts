// The one place a request's names become the model's: goal names into goals, Kafka broker ids and
// log dirs into what the cluster has. Refusals are domain errors naming the request's field; the
// API tells them as the HTTP parameter the client sent.
import type { Goal } from '../../goals/index.js';
import type { Workload } from '../monitor/index.js';
import { UnknownBrokerError, UnknownGoalError, UnknownLogDirError, type BrokerRole } from './analyzer.errors.js';
import type { ProposalRequest } from './proposal.js';

/** The goals a request may name and the default lists (the goal registry's). */
export interface GoalCatalog {
  readonly byName: ReadonlyMap<string, Goal>;
  readonly defaultGoals: readonly Goal[];
  readonly intraBrokerGoals: readonly Goal[];
}

export class RequestResolver {
  constructor(
    private readonly registry: GoalCatalog,
    /** The broker ids of the newest snapshot; null before the first. */
    private readonly knownBrokerIds: () => ReadonlySet<number> | null,
  ) {}

  /** The goals a request names, validated; throws {@link UnknownGoalError} naming the unknown ones. */
  goals(request: Pick<ProposalRequest, 'goals' | 'rebalanceDisk' | 'fallbackGoals'>): Goal[] {
    if (request.goals === undefined || request.goals.length === 0) {
      if (request.fallbackGoals === 'none') return [];
      const goals = request.rebalanceDisk ? this.registry.intraBrokerGoals : this.registry.defaultGoals;
      return request.fallbackGoals === 'hard' ? goals.filter((g) => g.hard) : [...goals];
    }
    const { byName } = this.registry;
    const unknown = request.goals.filter((name) => !byName.has(name));
    if (unknown.length > 0) throw new UnknownGoalError(unknown, [...byName.keys()]);
    return request.goals.map((name) => byName.get(name)!);
  }

  /**
   * Bad input first: broker ids the last snapshot does not have are refused even while the model
   * is not ready, which would otherwise answer "not ready" first.
   */
  refuseUnknownBrokers(role: BrokerRole, ids: readonly number[] | undefined): void {
    const known = this.knownBrokerIds();
    if (known === null || ids === undefined) return;
    const unknown = [...new Set(ids.filter((id) => !known.has(id)))];
    if (unknown.length > 0) throw new UnknownBrokerError(role, unknown);
  }

  /** Refuses broker ids the workload's model does not have. */
  checkBrokers(workload: Workload, role: BrokerRole, ids: readonly number[] | undefined): void {
    const unknown = [...new Set((ids ?? []).filter((id) => !workload.brokers.has(id)))];
    if (unknown.length > 0) throw new UnknownBrokerError(role, unknown);
  }

  /**
   * Model disk indexes of the named log dirs.
   * @throws UnknownBrokerError, UnknownLogDirError (a dir the broker does not have, or every live dir of a broker)
   */
  disks(workload: Workload, dirs: readonly { brokerId: number; logDir: string }[]): Set<number> {
    const model = workload.model;
    this.checkBrokers(workload, 'logDirBrokers', [...new Set(dirs.map((d) => d.brokerId))]);
    const disks = new Set<number>();
    const unknown: string[] = [];
    for (const { brokerId, logDir } of dirs) {
      const d = model.diskIndex(model.brokerIndex(brokerId), logDir);
      if (d < 0) unknown.push(`${brokerId}-${logDir}`);
      else disks.add(d);
    }
    if (unknown.length > 0) throw new UnknownLogDirError(unknown);
    for (const brokerId of new Set(dirs.map((d) => d.brokerId))) {
      const b = model.brokerIndex(brokerId);
      let left = 0;
      for (let d = 0; d < model.diskCount; d++) {
        if (model.diskBroker[d] === b && model.diskAlive[d] === 1 && !disks.has(d)) left++;
      }
      if (left === 0) {
        throw new UnknownLogDirError(
          dirs.filter((d) => d.brokerId === brokerId).map((d) => `${brokerId}-${d.logDir}`),
          `broker ${brokerId} would have no live log dir left; use remove_broker to empty a whole broker`,
        );
      }
    }
    return disks;
  }
}
