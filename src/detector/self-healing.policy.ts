// The notifier's policy as a pure function: for every anomaly detected this cycle, alert, heal,
// wait or ignore, and why. Thresholds count from when the anomaly was first seen; healing happens
// only within the N-1 failure budget, one heal at a time, and never while another execution runs —
// except that a broker or disk failure that began during an execution stops it first.
import {
  ANOMALY_TYPES,
  brokerList,
  formatDurationMs,
  type Anomaly,
  type AnomalyType,
  type DetectedType,
} from './anomaly.js';

/** One anomaly type's policy (the `detector.<type>` config keys). */
export interface TypePolicy {
  enabled: boolean;
  alertThresholdMs: number;
  fixThresholdMs: number;
}

/** `STOP_EXECUTION`: stop the running execution, so that this failure's heal can start once it ends. */
export type DecisionAction = 'ALERT' | 'FIX' | 'WAIT' | 'IGNORE' | 'BUDGET_EXCEEDED' | 'STOP_EXECUTION';

/** Cruise Control's anomaly statuses (AnomalyDetectorState). */
export type AnomalyStatus =
  | 'DETECTED'
  | 'IGNORED'
  | 'FIX_STARTED'
  | 'FIX_FAILED_TO_START'
  | 'CHECK_WITH_DELAY'
  | 'LOAD_MONITOR_NOT_READY'
  | 'COMPLETENESS_NOT_READY';

export interface Decision {
  anomalyId: string;
  type: DetectedType;
  action: DecisionAction;
  /** The status GET /state reports for it until something happens. */
  status: AnomalyStatus;
  reason: string;
}

export interface FailureBudgetStatus {
  budget: number;
  /** Kafka ids of brokers down. */
  failedBrokers: number[];
  /** Kafka ids of live brokers with a failed log dir. */
  impairedBrokers: number[];
  /** Brokers counted against the budget: failed ones, plus impaired ones when configured. */
  countedBrokers: number;
  withinBudget: boolean;
  reason: string;
}

/** Whether the cluster's failures leave room for automatic healing (the N-1 failure budget). */
export function failureBudgetStatus(input: {
  budget: number;
  countImpairedBrokers: boolean;
  failedBrokers: readonly number[];
  impairedBrokers: readonly number[];
}): FailureBudgetStatus {
  const failed = [...new Set(input.failedBrokers)].sort((a, b) => a - b);
  const failedSet = new Set(failed);
  const impaired = [...new Set(input.impairedBrokers)].filter((id) => !failedSet.has(id)).sort((a, b) => a - b);
  const counted = failed.length + (input.countImpairedBrokers ? impaired.length : 0);
  const withinBudget = counted <= input.budget;
  const parts = [`${failed.length} ${failed.length === 1 ? 'broker' : 'brokers'} down`];
  if (impaired.length > 0) {
    parts.push(
      `${impaired.length} impaired (failed disk on ${brokerList(impaired)}${input.countImpairedBrokers ? '' : ', not counted'})`,
    );
  }
  const what = parts.join(', ');
  const reason = withinBudget
    ? `${what}, failure budget ${input.budget}: within budget`
    : `${what}, failure budget ${input.budget}: not healing; run fix_offline_replicas or remove_broker to act`;
  return {
    budget: input.budget,
    failedBrokers: failed,
    impairedBrokers: impaired,
    countedBrokers: counted,
    withinBudget,
    reason,
  };
}

/** An execution that has not ended, as the policy needs it. */
export interface RunningExecution {
  id: string;
  operation: string;
  status: 'IN_PROGRESS' | 'STOPPING';
  startedAtMs: number;
}

export interface PolicyInput {
  nowMs: number;
  anomalies: readonly Anomaly[];
  policies: Readonly<Record<DetectedType, TypePolicy>>;
  /** Self-healing per type as switched at run time. */
  selfHealing: Readonly<Record<AnomalyType, boolean>>;
  budget: FailureBudgetStatus;
  /** The execution running now, whoever started it; null when none. */
  runningExecution: RunningExecution | null;
  /** The anomaly a self-healing execution is healing now; null when none. */
  healing: { anomalyId: string; executionId: string } | null;
}

/** One decision per anomaly, in Cruise Control's priority order; at most one FIX. */
export function decide(input: PolicyInput): Decision[] {
  const ordered = [...input.anomalies].sort(
    (a, b) => ANOMALY_TYPES.indexOf(a.type) - ANOMALY_TYPES.indexOf(b.type) || a.firstSeenMs - b.firstSeenMs,
  );
  const decisions: Decision[] = [];
  let fixing: Anomaly | null = null;
  for (const anomaly of ordered) {
    const decision = decideOne(anomaly, input, fixing);
    if (decision.action === 'FIX') fixing = anomaly;
    decisions.push(decision);
  }
  return decisions;
}

function decideOne(anomaly: Anomaly, input: PolicyInput, fixing: Anomaly | null): Decision {
  const { type, id } = anomaly;
  const of = (action: DecisionAction, status: AnomalyStatus, reason: string): Decision => ({
    anomalyId: id,
    type,
    action,
    status,
    reason,
  });
  const policy = input.policies[type];
  if (!policy.enabled) return of('IGNORE', 'IGNORED', `${type} detection is disabled`);
  const ageMs = input.nowMs - anomaly.firstSeenMs;
  const age = formatDurationMs(ageMs);
  if (input.healing?.anomalyId === id) {
    return of('WAIT', 'FIX_STARTED', `self-healing execution ${input.healing.executionId} is healing it`);
  }
  if (ageMs < policy.alertThresholdMs) {
    return of('WAIT', 'CHECK_WITH_DELAY', `seen for ${age}; alert after ${formatDurationMs(policy.alertThresholdMs)}`);
  }
  if (!input.budget.withinBudget) return of('BUDGET_EXCEEDED', 'DETECTED', input.budget.reason);
  if (!input.selfHealing[type]) return of('ALERT', 'DETECTED', `seen for ${age}; self-healing is off for ${type}`);
  if (ageMs < policy.fixThresholdMs) {
    return of('ALERT', 'CHECK_WITH_DELAY', `seen for ${age}; heal after ${formatDurationMs(policy.fixThresholdMs)}`);
  }
  const unfixable = nothingToFix(anomaly);
  if (unfixable !== null) return of('ALERT', 'DETECTED', unfixable);
  const running = input.runningExecution;
  if (running !== null && failedDuring(anomaly, running)) {
    // A broker or disk lost mid-execution leaves moves Kafka cannot finish and new ones paused
    // until it returns (issue 15: the heal waited on such an execution for good). Within the
    // budget the execution is stopped and the heal starts once the stop has ended.
    const what = `execution ${running.id} (${running.operation})`;
    if (running.status === 'STOPPING') {
      return of('WAIT', 'CHECK_WITH_DELAY', `${what} is stopping; the heal starts once it has ended`);
    }
    if (fixing === null) {
      return of(
        'STOP_EXECUTION',
        'CHECK_WITH_DELAY',
        `${failureOf(anomaly)} while ${what} ran (its moves cannot all finish and new ones are paused): stopping it, then healing within the failure budget`,
      );
    }
  }
  if (input.healing !== null) {
    return of(
      'WAIT',
      'CHECK_WITH_DELAY',
      `one heal at a time: self-healing execution ${input.healing.executionId} (${input.healing.anomalyId}) runs; retried next cycle`,
    );
  }
  if (input.runningExecution !== null) {
    const e = input.runningExecution;
    return of(
      'WAIT',
      'CHECK_WITH_DELAY',
      `execution ${e.id} (${e.operation}) is running: the heal waits and is retried next cycle`,
    );
  }
  if (fixing !== null) {
    return of('WAIT', 'CHECK_WITH_DELAY', `one heal at a time: ${fixing.id} is healed first; retried next cycle`);
  }
  return of(
    'FIX',
    'FIX_STARTED',
    `seen for ${age}, past the fix threshold of ${formatDurationMs(policy.fixThresholdMs)}`,
  );
}

/** Whether `anomaly` is a failure (broker or disk) that began while `execution` ran. */
function failedDuring(anomaly: Anomaly, execution: RunningExecution): boolean {
  if (anomaly.type === 'BROKER_FAILURE') {
    return Object.values(anomaly.failedBrokersByTimeMs).some((ms) => ms >= execution.startedAtMs);
  }
  return anomaly.type === 'DISK_FAILURE' && anomaly.firstSeenMs >= execution.startedAtMs;
}

function failureOf(anomaly: Anomaly): string {
  if (anomaly.type === 'BROKER_FAILURE') {
    return `${brokerList(Object.keys(anomaly.failedBrokersByTimeMs).map(Number))} failed`;
  }
  return 'a disk failed';
}

/** Why an anomaly past its fix threshold has nothing to heal, or null when it has. */
function nothingToFix(anomaly: Anomaly): string | null {
  if (anomaly.type === 'GOAL_VIOLATION' && anomaly.fixableViolatedGoals.length === 0) {
    return `no rebalance satisfies ${anomaly.unfixableViolatedGoals.join(', ')}: alert only`;
  }
  if (anomaly.type === 'DISK_FAILURE' && anomaly.offlineReplicas.length === 0) {
    return 'no replica is offline on the failed log dirs: nothing to re-home';
  }
  if (anomaly.type === 'METRIC_ANOMALY' && anomaly.action === 'NONE') {
    return 'the slow brokers lead nothing already; removal is off or their score is below the removal score: alert only';
  }
  if (anomaly.type === 'TOPIC_ANOMALY' && anomaly.topics.length === 0) {
    return 'oversized partitions cannot be healed by moving replicas (add partitions or lower retention): alert only';
  }
  return null;
}
