// The detector runner: runs the detectors on the cluster as it is now: broker and disk failures and topic anomalies from
// a fresh Kafka snapshot every cycle, slow brokers from the monitor's latency history, goal violations from the load monitor's model on their own
// (longer) interval, and only while no broker or disk is down and the model is ready. Partitions
// caught mid-move are judged by what will remain, or the check waits for the moves to end.
import { Injectable } from '@nestjs/common';
import type { Goal } from '../../goals/index.js';
import { AnalyzerService, GoalRegistry } from '../analyzer/index.js';
import { BallastConfig, ConfigError } from '../config/index.js';
import { KafkaGateway, unansweredBrokers } from '../kafka/index.js';
import { LoadMonitorService } from '../monitor/index.js';
import type { Anomaly, FirstSeen, GoalViolationAnomaly } from './anomaly.js';
import { detectBrokerFailures } from './broker-failure.detector.js';
import { detectDiskFailures } from './disk-failure.detector.js';
import { detectGoalViolations } from './goal-violation.detector.js';
import { detectSlowBrokers } from './metric-anomaly.detector.js';
import { keepUnansweredDisks } from './unanswered-disks.js';
import { brokersReceivingMoves, hasMovesInFlight } from './moves-in-flight.js';
import {
  detectTopicAnomalies,
  replicationFactorTargets,
  type ReplicationFactorTarget,
} from './topic-anomaly.detector.js';

export interface Detection {
  anomalies: Anomaly[];
  firstSeen: FirstSeen;
  failedBrokers: number[];
  /** Live brokers with a failed log dir. */
  impairedBrokers: number[];
  /** Balancedness of the detection goals at their last check; null before one ran. */
  balancednessScore: number | null;
}

@Injectable()
export class DetectorRunner {
  private readonly goals: readonly Goal[];
  private readonly targets: ReplicationFactorTarget[];
  private lastGoalCheckMs: number | null = null;
  private lastGoalAnomaly: GoalViolationAnomaly | null = null;
  private lastBalancedness: number | null = null;
  /** Set while a check waited for moves to end: the first cycle after them checks at once. */
  private checkAfterMoves = false;

  /** @throws ConfigError naming detector.goalViolation.goals when a goal is unknown. */
  constructor(
    private readonly gateway: KafkaGateway,
    private readonly monitor: LoadMonitorService,
    private readonly registry: GoalRegistry,
    private readonly config: BallastConfig,
    private readonly analyzer: AnalyzerService,
  ) {
    const names = config.detector.goalViolation.goals;
    const unknown = names.filter((n) => !registry.byName.has(n));
    if (unknown.length > 0) {
      throw new ConfigError([
        {
          key: 'detector.goalViolation.goals',
          source: 'config',
          message: `unknown goal(s) ${unknown.join(', ')}; known: ${[...registry.byName.keys()].join(', ')}`,
        },
      ]);
    }
    this.goals = names.map((n) => registry.byName.get(n)!);
    this.targets = replicationFactorTargets(config.detector.topicAnomaly.targets);
  }

  async detect(previous: FirstSeen, nowMs: number): Promise<Detection> {
    const d = this.config.detector;
    const snapshot = await this.gateway.snapshot();
    const brokers = detectBrokerFailures(snapshot, previous.brokers, nowMs);
    const disks = keepUnansweredDisks(detectDiskFailures(snapshot, previous.disks, nowMs), snapshot, previous.disks);
    const topics = d.topicAnomaly.enabled
      ? detectTopicAnomalies(
          snapshot,
          this.targets,
          previous.topics,
          nowMs,
          d.topicAnomaly.maxPartitionSizeBytes ?? null,
        )
      : { anomaly: null, firstSeen: {} };
    const failedBrokers = snapshot.brokers.filter((b) => !b.alive).map((b) => b.id);
    const leaders = new Map<number, number>();
    for (const p of snapshot.partitions) if (p.leader !== null) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
    const slow = d.metricAnomaly.enabled
      ? detectSlowBrokers(
          this.monitor.brokerLatencyHistory(),
          snapshot.brokers.filter((b) => b.alive).map((b) => b.id),
          leaders,
          d.metricAnomaly,
          { scores: previous.slownessScores, firstSeen: previous.slowBrokers },
          nowMs,
          brokersReceivingMoves(snapshot),
        )
      : { anomaly: null, scores: {}, firstSeen: {} };
    const impairedBrokers = Object.keys(disks.anomaly?.failedDisksByTimeMs ?? {}).map(Number);
    const goals = await this.goalViolations(
      previous.goals,
      nowMs,
      // A broker that does not answer leaves the model's view of it stale: no verdict on the goals.
      failedBrokers.length + impairedBrokers.length + unansweredBrokers(snapshot).length > 0,
      hasMovesInFlight(snapshot),
    );
    const anomalies: Anomaly[] = [];
    if (d.brokerFailure.enabled && brokers.anomaly) anomalies.push(brokers.anomaly);
    if (d.diskFailure.enabled && disks.anomaly) anomalies.push(disks.anomaly);
    if (slow.anomaly) anomalies.push(slow.anomaly);
    if (goals.anomaly) anomalies.push(goals.anomaly);
    if (topics.anomaly) anomalies.push(topics.anomaly);
    return {
      anomalies,
      // Failure times are kept even for types not detected, so enabling one later keeps the truth.
      firstSeen: {
        brokers: brokers.firstSeen,
        disks: disks.firstSeen,
        topics: topics.firstSeen,
        goals: goals.firstSeen,
        slowBrokers: slow.firstSeen,
        slownessScores: slow.scores,
      },
      failedBrokers,
      impairedBrokers,
      balancednessScore: this.lastBalancedness,
    };
  }

  private async goalViolations(
    previous: Record<string, number>,
    nowMs: number,
    somethingDown: boolean,
    reassigning: boolean,
  ): Promise<{ anomaly: GoalViolationAnomaly | null; firstSeen: Record<string, number> }> {
    const g = this.config.detector.goalViolation;
    // With brokers or disks down the goals would restate that failure; its own anomaly handles it.
    if (!g.enabled || somethingDown || this.monitor.state().ready !== true) {
      this.lastGoalAnomaly = null;
      return { anomaly: null, firstSeen: { ...previous } };
    }
    // While partitions move (an execution, or someone else's reassignment) the model shows them with
    // old and new replicas together, and the goals would judge a placement that is neither; a log dir
    // move in flight leaves the disk goals judging a placement about to change. As Cruise
    // Control does, the check waits: the last verdict stands, and the first cycle after the moves
    // end checks again. The monitor's snapshot is checked too: it may be newer than this cycle's
    // (an execution's next batch started since) or older (still showing moves that have ended).
    const due = this.checkAfterMoves || this.lastGoalCheckMs === null || nowMs - this.lastGoalCheckMs >= g.intervalMs;
    if (reassigning || (due && (await this.monitor.refreshSnapshotIfReassigning()))) {
      this.checkAfterMoves = true;
      return { anomaly: this.lastGoalAnomaly, firstSeen: { ...previous } };
    }
    if (!due) return { anomaly: this.lastGoalAnomaly, firstSeen: { ...previous } };
    const workload = this.monitor.workload({
      mode: 'expected',
      minValidWindows: this.config.monitor.minValidWindows,
      minValidPartitionRatio: this.config.monitor.minValidPartitionRatio,
      allowCapacityEstimation: true,
    });
    // The dry run goes to the optimizer thread: at scale it is seconds of CPU every interval.
    const result = await detectGoalViolations(
      {
        model: workload.model,
        goals: this.goals,
        thresholds: this.registry.thresholds,
        topicMinInsyncReplicas: workload.topicMinInsyncReplicas,
      },
      previous,
      nowMs,
      async (model, options) => (await this.analyzer.optimizeCopy(model, options)).result,
    );
    this.lastGoalCheckMs = nowMs;
    this.checkAfterMoves = false;
    this.lastGoalAnomaly = result.anomaly;
    this.lastBalancedness = result.balancednessScore;
    return result;
  }
}
