// The throttles of one execution, kept on the brokers and topics through the gateway: replication
// throttles on the moves about to start (a static rate, or an adaptive one per broker re-derived
// from live traffic while the execution runs), the log-dir move rate on brokers with log-dir moves,
// and their removal as moves end — never left behind. What changes is planned by the pure
// functions of throttle-plan.ts and adaptive-throttle.ts; the engine calls this on every step.
import { describeError } from '../../common/index.js';
import type { BrokerThrottles, ConfigChange, KafkaGateway, TopicConfigs } from '../../kafka/index.js';
import { pushEvent, type ExecutionRecord, type ExecutionStore, type TaskRecord } from '../execution-record.js';
import {
  adaptiveRate,
  changedRates,
  type AdaptiveThrottleSettings,
  type BrokerTraffic,
  type BrokerTrafficProvider,
} from './adaptive-throttle.js';
import {
  clearChanges,
  logDirClearChanges,
  logDirMoveBrokers,
  logDirThrottleChanges,
  participatingBrokers,
  rateChanges,
  rateClearChanges,
  throttleChanges,
  throttledReplicas,
  type ThrottledReplicas,
} from './throttle-plan.js';

/** Moves whose throttles must stay while they run. */
const running = (t: TaskRecord) => t.state === 'IN_PROGRESS' || t.state === 'ABORTING' || t.submitting === true;

export interface ExecutionThrottlesOptions {
  /** How executions whose throttleMode is `adaptive` derive their rates; without it they use their static rate. */
  adaptiveThrottle?: AdaptiveThrottleSettings;
  /** Live traffic per broker for adaptive rates; without it adaptive executions use their static rate. */
  brokerTraffic?: BrokerTrafficProvider;
  /** How long a step waits for brokers to show a new throttle before leaving its moves for the next step. @defaultValue 5000 */
  throttleVisibleTimeoutMs?: number;
}

export class ExecutionThrottles {
  /** The last traffic read, reused within a recompute interval: a read may build a whole load model. */
  private traffic: { atMs: number; value: Map<number, BrokerTraffic> | null } | null = null;

  constructor(
    private readonly gateway: KafkaGateway,
    private readonly store: ExecutionStore,
    private readonly options: ExecutionThrottlesOptions = {},
  ) {}

  /** Removes throttles of `ended` tasks that no running task still needs. */
  async clearEnded(record: ExecutionRecord, ended: readonly TaskRecord[]): Promise<void> {
    if (record.throttledBrokers.length === 0 || ended.length === 0) return;
    const stillRunning = record.tasks.filter(
      (t) => (t.state === 'IN_PROGRESS' || t.state === 'ABORTING') && t.kind === 'INTER_BROKER_REPLICA_ACTION',
    );
    const changes = clearChanges(ended, stillRunning);
    await this.alterConfigs(record, changes, 'removing throttles');
    const busy = new Set(stillRunning.flatMap((t) => [...t.oldReplicas, ...t.newReplicas]));
    record.throttledBrokers = record.throttledBrokers.filter((b) => busy.has(b));
    const rates = record.throttleRatesByBroker ?? {};
    record.throttleRatesByBroker = Object.fromEntries(
      record.throttledBrokers.filter((b) => rates[b] !== undefined).map((b) => [b, rates[b]!]),
    );
  }

  /**
   * At the end of an execution: removes every throttle it still records — those of its tasks, and
   * the rates (and marker) of brokers no task names, such as those a recovered execution found in
   * Kafka with no record of what set them.
   */
  async clearAll(record: ExecutionRecord): Promise<void> {
    const recorded = record.throttledBrokers;
    await this.clearEnded(record, record.tasks);
    const byTasks = participatingBrokers(record.tasks);
    const others = recorded.filter((b) => !byTasks.has(b));
    if (others.length > 0) await this.alterConfigs(record, others.flatMap(rateClearChanges), 'removing throttles');
    record.throttledBrokers = [];
    record.throttleRatesByBroker = {};
  }

  /**
   * Removes the log-dir move throttle from brokers with no log-dir move running (from every broker
   * when `all`). A broker keeps it between two of its moves in one step, as the clear runs after
   * the next moves start.
   */
  async clearLogDirs(record: ExecutionRecord, all: boolean): Promise<void> {
    const throttled = record.logDirThrottledBrokers ?? [];
    if (throttled.length === 0) return;
    const busy = all ? new Set<number>() : logDirMoveBrokers(record.tasks.filter(running));
    const idle = throttled.filter((b) => !busy.has(b));
    if (idle.length === 0) return;
    await this.alterConfigs(record, logDirClearChanges(idle), 'removing log dir throttles');
    record.logDirThrottledBrokers = throttled.filter((b) => busy.has(b));
  }

  private async alterConfigs(record: ExecutionRecord, changes: ConfigChange[], what: string): Promise<void> {
    if (changes.length === 0) return;
    try {
      const results = await this.gateway.alterConfigs(changes);
      for (const r of results.filter((x) => !x.ok)) {
        pushEvent(
          record,
          `${what}: ${r.name} on ${r.resource.type === 'broker' ? `broker ${r.resource.brokerId}` : `topic ${r.resource.topic}`} failed: ${r.error ?? ''} ${r.message ?? ''}`.trim(),
        );
      }
    } catch (error) {
      pushEvent(record, `${what} failed: ${describeError(error)}`);
      throw error;
    }
  }

  /**
   * Throttles the moves about to start: replication rates on every broker of an inter-broker move
   * (static, or adaptive per broker) with its replicas in the topic lists, and the log-dir move
   * rate (the execution's static rate) on every broker of a log-dir move. Returns the alive
   * brokers that did not show their throttle in time: moves on them must not start yet.
   */
  async throttleStarting(
    record: ExecutionRecord,
    inter: readonly TaskRecord[],
    intra: readonly TaskRecord[],
    now: number,
  ): Promise<number[]> {
    const expected = new Map<number, Partial<BrokerThrottles>>();
    const rates = inter.length === 0 ? null : this.ratesFor(record, participatingBrokers(inter), now);
    // The throttled-replica lists the moves need, checked on every broker they involve: a broker that
    // has the rate but not yet the list would let the copy run unthrottled.
    const lists = rates === null ? null : { lists: throttledReplicas(inter), brokers: [...rates.keys()] };
    if (rates !== null) {
      record.throttledBrokers = [...new Set([...record.throttledBrokers, ...rates.keys()])];
      record.throttleRatesByBroker = { ...record.throttleRatesByBroker, ...Object.fromEntries(rates) };
      // Recorded before they are set (issue 15: Ballast killed as its first throttles reached Kafka
      // came back to a record naming none, and its stop left them all on the cluster). A restart
      // in between removes throttles that may not be there, never leaves one nothing records; the
      // topic lists follow the tasks, which the record holds already.
      await this.store.save(record);
      await this.alterConfigs(
        record,
        throttleChanges(inter, (b) => rates.get(b)!),
        'setting throttles',
      );
      for (const [b, r] of rates) {
        expected.set(b, { leaderReplicationThrottledRate: r, followerReplicationThrottledRate: r });
      }
    }
    const logDirRate = record.options.replicationThrottleBytesPerSecond;
    if (intra.length > 0 && logDirRate !== null) {
      const brokers = logDirMoveBrokers(intra);
      // Saved before it is set: a restart in between removes a throttle that may not be there
      // rather than leave one behind that nothing records.
      record.logDirThrottledBrokers = [...new Set([...(record.logDirThrottledBrokers ?? []), ...brokers])];
      await this.store.save(record);
      await this.alterConfigs(record, logDirThrottleChanges(brokers, logDirRate), 'setting log dir throttles');
      for (const b of brokers) {
        expected.set(b, { ...expected.get(b), replicaAlterLogDirsIoMaxBytesPerSecond: Math.floor(logDirRate) });
      }
    }
    return this.waitForBrokerConfigs(expected, lists);
  }

  /**
   * The replication rate of each of `brokers` in bytes per second, or null when the execution is
   * not throttled. Adaptive: a broker already throttled keeps its rate (the recompute changes it);
   * a new one gets the rate its traffic allows, or the static rate (else the floor) while its
   * traffic is unknown.
   */
  private ratesFor(record: ExecutionRecord, brokers: ReadonlySet<number>, now: number): Map<number, number> | null {
    const staticRate = record.options.replicationThrottleBytesPerSecond;
    const settings = this.options.adaptiveThrottle;
    if (record.options.throttleMode !== 'adaptive' || settings === undefined) {
      return staticRate === null ? null : new Map([...brokers].map((b) => [b, staticRate]));
    }
    const set = record.throttleRatesByBroker ?? {};
    const missing = [...brokers].filter((b) => set[b] === undefined);
    const traffic = missing.length === 0 ? null : this.trafficAt(now, settings, false);
    if (missing.length > 0) record.throttleRatesComputedAtMs ??= now;
    const fallback = staticRate ?? settings.floorBytesPerSecond;
    return new Map(
      [...brokers].map((b) => {
        const t = traffic?.get(b);
        return [b, set[b] ?? (t === undefined ? fallback : adaptiveRate(t, settings))];
      }),
    );
  }

  /** Every recompute interval, derives the adaptive rates again and re-applies those that moved enough. */
  async adaptRates(record: ExecutionRecord, now: number): Promise<void> {
    const settings = this.options.adaptiveThrottle;
    if (record.options.throttleMode !== 'adaptive' || settings === undefined) return;
    if (record.throttledBrokers.length === 0) return;
    const last = record.throttleRatesComputedAtMs;
    if (last !== undefined && now - last < settings.recomputeIntervalMs) return;
    record.throttleRatesComputedAtMs = now;
    const traffic = this.trafficAt(now, settings, true);
    if (traffic === null) return;
    const rates = record.throttleRatesByBroker ?? {};
    // A broker with no recorded rate (a record from before rates were kept) always gets one.
    const current = new Map(record.throttledBrokers.map((b) => [b, rates[b] ?? 0]));
    const changed = changedRates(current, traffic, settings);
    if (changed.size === 0) return;
    await this.alterConfigs(record, rateChanges(changed), 'adjusting adaptive throttles');
    record.throttleRatesByBroker = { ...rates, ...Object.fromEntries(changed) };
    const what = [...changed].map(([b, r]) => `broker ${b} ${current.get(b)} → ${r}`).join(', ');
    pushEvent(record, `adaptive throttle (bytes/s): ${what}`);
  }

  /** The brokers' live traffic, read again when `fresh` or older than the recompute interval; null when unknown. */
  private trafficAt(
    now: number,
    settings: AdaptiveThrottleSettings,
    fresh: boolean,
  ): Map<number, BrokerTraffic> | null {
    if (!fresh && this.traffic !== null && now - this.traffic.atMs < settings.recomputeIntervalMs) {
      return this.traffic.value;
    }
    let value: Map<number, BrokerTraffic> | null;
    try {
      value = this.options.brokerTraffic?.() ?? null;
    } catch {
      // No model yet (the monitor not ready): the static rate stands in, as documented on ratesFor.
      value = null;
    }
    this.traffic = { atMs: now, value };
    return value;
  }

  /**
   * Under KRaft a config change reaches the brokers asynchronously: waits (bounded) until they show
   * it — their own rates, and the topics' throttled-replica lists as each broker has applied them.
   * Returns the alive brokers that still do not, so no move starts unthrottled on them.
   */
  private async waitForBrokerConfigs(
    expected: ReadonlyMap<number, Partial<BrokerThrottles>>,
    lists: { lists: ThrottledReplicas; brokers: readonly number[] } | null,
  ): Promise<number[]> {
    if (expected.size === 0) return [];
    let missing: number[] = [];
    // Bounded by time, not by a count of snapshots: with a broker that does not answer, each snapshot
    // takes up to kafka.brokerTimeoutMs, and a count would wait that many times over.
    const deadline = Date.now() + (this.options.throttleVisibleTimeoutMs ?? 5_000);
    for (let attempt = 0; attempt === 0 || Date.now() < deadline; attempt++) {
      const snapshot = await this.gateway.snapshot({ topicPattern: /^$/ });
      const alive = (b: number) => snapshot.brokers.some((x) => x.id === b && x.alive);
      missing = [...expected]
        .filter(([b, want]) => {
          const t = snapshot.brokerThrottles[b];
          return (
            alive(b) && !Object.entries(want).every(([name, value]) => t?.[name as keyof BrokerThrottles] === value)
          );
        })
        .map(([b]) => b);
      if (lists !== null) {
        const listsMissing = await Promise.all(
          lists.brokers
            .filter((b) => alive(b) && !missing.includes(b))
            .map(async (b) => ((await this.seesLists(b, lists.lists)) ? null : b)),
        );
        missing = [...missing, ...listsMissing.filter((b): b is number => b !== null)].sort((a, b) => a - b);
      }
      if (missing.length === 0) return [];
      // Waiting on brokers that did not answer at all would only repeat their timeout.
      const silent = new Set(snapshot.brokerConfigErrors.map((e) => e.brokerId));
      if (missing.every((b) => silent.has(b))) return missing;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return missing;
  }

  /**
   * Whether broker `b` has applied every throttled-replica entry in `lists` (or `*`). A broker that
   * does not answer has not shown them: its rates are unknown too (absent from the snapshot's
   * brokerThrottles), so its moves wait, and the next step asks again.
   */
  private async seesLists(b: number, lists: ThrottledReplicas): Promise<boolean> {
    const topics = [...new Set([...lists.leader.keys(), ...lists.follower.keys()])];
    let configs: Map<string, TopicConfigs>;
    try {
      configs = await this.gateway.topicConfigsOn(b, topics);
    } catch {
      return false;
    }
    const covers = (applied: string | undefined, wanted: readonly string[] | undefined): boolean => {
      if (wanted === undefined || wanted.length === 0) return true;
      if (applied === undefined) return false;
      if (applied.trim() === '*') return true;
      const entries = new Set(applied.split(',').map((e) => e.trim()));
      return wanted.every((e) => entries.has(e));
    };
    return topics.every(
      (t) =>
        covers(configs.get(t)?.leaderThrottledReplicas, lists.leader.get(t)) &&
        covers(configs.get(t)?.followerThrottledReplicas, lists.follower.get(t)),
    );
  }
}
