// The anomaly detector: every detector.intervalMs it detects, lets the policy decide (alert, heal,
// wait) under the N-1 failure budget, starts at most one heal, tells people, and saves what it must
// remember across restarts. Also the run-time self-healing switches (POST /admin) and GET /state's
// anomaly_detector part.
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BallastError, describeError } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { ExecutionInProgressError } from '../executor/index.js';
import { LoadMonitorNotReadyError } from '../monitor/index.js';
import {
  ANOMALY_TYPES,
  DETECTED_TYPES,
  emptyFirstSeen,
  type Anomaly,
  type AnomalyType,
  type DetectedType,
} from './anomaly.js';
import { DetectorRunner } from './detector-runner.service.js';
import { anomalyDetectorState, type AnomalyDetectorStateJson } from './anomaly-detector-state.js';
import { AnomalyNotifier } from './anomaly-notifier.service.js';
import { recordCycle, withOutcome, type AnomalyRecord } from './anomaly-records.js';
import type { Alert } from './alert.js';
import { DetectorStore, type PersistedDetectorState } from './detector-store.js';
import { SelfHealer } from './self-healer.service.js';
import {
  decide,
  failureBudgetStatus,
  type FailureBudgetStatus,
  type RunningExecution,
  type TypePolicy,
} from './self-healing.policy.js';

/** Recent anomalies kept per type (Cruise Control's num.cached.recent.anomaly.states). */
const RECENT_PER_TYPE = 10;

const POLICY_KEYS = {
  BROKER_FAILURE: 'brokerFailure',
  DISK_FAILURE: 'diskFailure',
  METRIC_ANOMALY: 'metricAnomaly',
  GOAL_VIOLATION: 'goalViolation',
  TOPIC_ANOMALY: 'topicAnomaly',
} as const satisfies Record<DetectedType, string>;

@Injectable()
export class AnomalyDetectorService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AnomalyDetector');
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> | null = null;
  private persisted: PersistedDetectorState = {
    version: 1,
    firstSeen: emptyFirstSeen(),
    selfHealing: {},
    records: [],
    healing: null,
    numSelfHealingStarted: 0,
    numSelfHealingFailedToStart: 0,
  };
  private loaded = false;
  private budget: FailureBudgetStatus;
  private balancedness: number | null = null;
  private lastDetectionMs: number | null = null;
  private lastDetectionError: string | undefined;

  constructor(
    private readonly config: BallastConfig,
    private readonly detection: DetectorRunner,
    private readonly healer: SelfHealer,
    private readonly notifier: AnomalyNotifier,
    private readonly store: DetectorStore,
  ) {
    this.budget = this.budgetOf([], []);
  }

  onModuleInit(): void {
    if (!this.config.detector.enabled) return;
    this.timer = setInterval(() => void this.runCycle(), this.config.detector.intervalMs);
    this.timer.unref();
    void this.runCycle();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One detection cycle; concurrent calls share the cycle in flight. Never throws. */
  runCycle(): Promise<void> {
    this.cycle ??= this.detectAndAct().finally(() => {
      this.cycle = null;
    });
    return this.cycle;
  }

  /** Self-healing per type now: switched at run time, else as configured. */
  selfHealing(): Record<AnomalyType, boolean> {
    const result = {} as Record<AnomalyType, boolean>;
    for (const t of ANOMALY_TYPES) {
      const configured = t in POLICY_KEYS ? this.config.detector[POLICY_KEYS[t as DetectedType]].selfHealing : false;
      result[t] = this.persisted.selfHealing[t] ?? configured;
    }
    return result;
  }

  /**
   * Switches self-healing on for `enable` and off for `disable` (POST /admin); saved, so a restart
   * keeps the switch. Returns the switches before and after, as Cruise Control's AdminResult.
   */
  async switchSelfHealing(switches: {
    enable?: readonly AnomalyType[];
    disable?: readonly AnomalyType[];
  }): Promise<{ before: Record<AnomalyType, boolean>; after: Record<AnomalyType, boolean> }> {
    await this.ensureLoaded();
    const before = this.selfHealing();
    if (!switches.enable?.length && !switches.disable?.length) return { before, after: before };
    for (const [types, enabled] of [
      [switches.enable ?? [], true],
      [switches.disable ?? [], false],
    ] as const) {
      if (types.length === 0) continue;
      for (const t of types) this.persisted.selfHealing[t] = enabled;
      this.logger.warn({ msg: `self-healing ${enabled ? 'enabled' : 'disabled'} at run time`, types });
    }
    await this.save();
    return { before, after: this.selfHealing() };
  }

  state(): AnomalyDetectorStateJson {
    const p = this.persisted;
    return anomalyDetectorState({
      nowMs: Date.now(),
      selfHealing: this.selfHealing(),
      records: p.records,
      budget: this.budget,
      ongoingSelfHealingAnomaly: p.healing?.anomalyId ?? null,
      numSelfHealingStarted: p.numSelfHealingStarted,
      numSelfHealingFailedToStart: p.numSelfHealingFailedToStart,
      balancednessScore: this.balancedness ?? 100,
      lastDetectionMs: this.lastDetectionMs,
      lastDetectionError: this.lastDetectionError,
      fixThresholdMs: Object.fromEntries(
        Object.entries(this.policies()).map(([t, p]) => [t, p.fixThresholdMs]),
      ) as Record<DetectedType, number>,
    });
  }

  private async detectAndAct(): Promise<void> {
    try {
      await this.ensureLoaded();
      const nowMs = Date.now();
      const p = this.persisted;
      const running = this.healer.runningExecution();
      // Our heal ended (completed, stopped or failed): the anomaly, if still there, is decided afresh.
      if (p.healing !== null && running?.id !== p.healing.executionId) p.healing = null;
      const detection = await this.detection.detect(p.firstSeen, nowMs);
      p.firstSeen = detection.firstSeen;
      this.balancedness = detection.balancednessScore ?? this.balancedness;
      this.budget = this.budgetOf(detection.failedBrokers, detection.impairedBrokers);
      const decisions = decide({
        nowMs,
        anomalies: detection.anomalies,
        policies: this.policies(),
        selfHealing: this.selfHealing(),
        budget: this.budget,
        runningExecution: running,
        healing: p.healing,
      });
      const cycle = recordCycle(p.records, detection.anomalies, decisions, nowMs, RECENT_PER_TYPE);
      p.records = cycle.records;
      for (const r of cycle.resolved) await this.alert(r, 'RESOLVED', 'warning', r.reason);
      for (const d of decisions) {
        const anomaly = detection.anomalies.find((a) => a.id === d.anomalyId)!;
        const record = p.records.find((r) => r.anomalyId === d.anomalyId && r.resolvedMs === undefined)!;
        if (d.action === 'ALERT') await this.alert(record, 'ALERT', 'warning', d.reason);
        if (d.action === 'BUDGET_EXCEEDED') await this.alert(record, 'BUDGET_EXCEEDED', 'critical', d.reason);
        if (d.action === 'STOP_EXECUTION') await this.stopForHeal(record, running!, d.reason);
        if (d.action !== 'FIX') continue;
        await this.alert(record, 'ALERT', 'warning', d.reason);
        await this.heal(anomaly, nowMs);
      }
      this.lastDetectionMs = nowMs;
      this.lastDetectionError = undefined;
    } catch (error) {
      this.lastDetectionError = describeError(error);
      this.logger.warn({ msg: 'anomaly detection failed; retrying next cycle', error: this.lastDetectionError });
    }
    try {
      await this.save();
    } catch (error) {
      this.logger.warn({ msg: 'could not save the anomaly detector state', error: describeError(error) });
    }
  }

  /**
   * Stops the execution a failure interrupted so that its heal can start once the stop has ended:
   * said in the log, in the anomaly's record (GET /state) and as an alert.
   */
  private async stopForHeal(record: AnomalyRecord, running: RunningExecution, reason: string): Promise<void> {
    this.logger.warn({
      msg: 'stopping an execution to heal a failure that began while it ran',
      execution: running.id,
      operation: running.operation,
      anomaly: record.anomalyId,
      reason,
    });
    await this.healer.stopExecution(`${record.type} ${record.anomalyId}: ${reason}`);
    await this.alert(record, 'STOP_EXECUTION', 'warning', reason);
  }

  /** Starts the heal of `anomaly` and records what happened; a heal that cannot start is retried next cycle. */
  private async heal(anomaly: Anomaly, nowMs: number): Promise<void> {
    const p = this.persisted;
    const anomalyId = anomaly.id;
    const recordOf = () => p.records.find((r) => r.anomalyId === anomalyId && r.resolvedMs === undefined)!;
    try {
      const outcome = await this.healer.heal(anomaly);
      if (outcome.executionId === null) {
        p.records = withOutcome(p.records, anomalyId, nowMs, { status: 'DETECTED', reason: outcome.reason });
        return;
      }
      p.healing = { anomalyId, executionId: outcome.executionId };
      p.numSelfHealingStarted++;
      p.records = withOutcome(p.records, anomalyId, nowMs, {
        status: 'FIX_STARTED',
        reason: `self-healing execution ${outcome.executionId} started (${outcome.replicaMoves} replica moves)`,
        executionId: outcome.executionId,
      });
      await this.alert(recordOf(), 'FIX_STARTED', 'warning', recordOf().reason);
    } catch (error) {
      if (error instanceof ExecutionInProgressError) {
        // Someone started an execution since the check: the heal waits for the next cycle.
        p.records = withOutcome(p.records, anomalyId, nowMs, {
          status: 'CHECK_WITH_DELAY',
          reason: `execution ${error.executionId} (${error.operation}) is running: the heal waits and is retried next cycle`,
        });
        return;
      }
      const notReady = error instanceof LoadMonitorNotReadyError;
      p.numSelfHealingFailedToStart++;
      const reason = `self-healing could not start: ${describeError(error)}${error instanceof BallastError && error.retryable ? ' (retried next cycle)' : '; retried next cycle'}`;
      p.records = withOutcome(p.records, anomalyId, nowMs, {
        status: notReady ? 'LOAD_MONITOR_NOT_READY' : 'FIX_FAILED_TO_START',
        reason,
      });
      await this.alert(recordOf(), 'FIX_FAILED_TO_START', 'critical', reason);
    }
  }

  private async alert(
    record: AnomalyRecord,
    event: Alert['event'],
    severity: Alert['severity'],
    reason: string,
  ): Promise<void> {
    await this.notifier.notify({
      severity,
      event,
      anomalyType: record.type,
      anomalyId: record.anomalyId,
      description: record.description,
      reason,
      detectionMs: record.detectionMs,
      atMs: Date.now(),
      failureBudget: this.budget,
      ...(record.executionId !== undefined && event === 'FIX_STARTED' ? { executionId: record.executionId } : {}),
    });
  }

  private policies(): Record<DetectedType, TypePolicy> {
    const result = {} as Record<DetectedType, TypePolicy>;
    for (const t of DETECTED_TYPES) {
      const { enabled, alertThresholdMs, fixThresholdMs } = this.config.detector[POLICY_KEYS[t]];
      result[t] = { enabled, alertThresholdMs, fixThresholdMs };
    }
    return result;
  }

  private budgetOf(failedBrokers: number[], impairedBrokers: number[]): FailureBudgetStatus {
    const { failureBudget, countImpairedBrokers } = this.config.detector;
    return failureBudgetStatus({ budget: failureBudget, countImpairedBrokers, failedBrokers, impairedBrokers });
  }

  /** Loads the saved state once; until Redis answers, detection waits (failure times must not restart). */
  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    const saved = await this.store.load();
    if (saved !== null && saved.version === 1) {
      this.persisted = { ...this.persisted, ...saved, firstSeen: { ...emptyFirstSeen(), ...saved.firstSeen } };
    }
    this.loaded = true;
  }

  private async save(): Promise<void> {
    if (this.loaded) await this.store.save(this.persisted);
  }
}
