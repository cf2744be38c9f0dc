// GET /kafkacruisecontrol/state: Cruise Control's state document, reporting only what Ballast
// actually runs. Stages not built yet say so (NOT_STARTED, not ready) rather than invent figures.
import { Injectable } from '@nestjs/common';
import { AnalyzerService } from '../analyzer/index.js';
import { AnomalyDetectorService, type AnomalyDetectorStateJson } from '../detector/index.js';
import { ExecutorService, executorState } from '../executor/index.js';
import { LoadMonitorService, type LoadMonitorState } from '../monitor/index.js';
import { SUBSTATES } from './endpoint-params.js';

export type Substate = (typeof SUBSTATES)[number];

// Substates this build cannot report yet; listed in the response instead of being made up.
const UNAVAILABLE_SUBSTATES: readonly Substate[] = [];

export interface CruiseControlState {
  version: 1;
  MonitorState?: LoadMonitorState;
  ExecutorState?: Record<string, unknown>;
  AnalyzerState?: Record<string, unknown>;
  AnomalyDetectorState?: AnomalyDetectorStateJson;
  /** Ballast addition: requested substates this version does not report yet. */
  unavailableSubstates?: string[];
}

@Injectable()
export class StateService {
  constructor(
    private readonly monitor: LoadMonitorService,
    private readonly analyzer: AnalyzerService,
    private readonly executor: ExecutorService,
    private readonly detector: AnomalyDetectorService,
  ) {}

  state(substates: readonly Substate[] = SUBSTATES): CruiseControlState {
    const state: CruiseControlState = { version: 1 };
    if (substates.includes('monitor')) state.MonitorState = this.monitor.state();
    if (substates.includes('executor')) state.ExecutorState = executorState(this.executor.lastKnown(), Date.now());
    if (substates.includes('analyzer')) state.AnalyzerState = this.analyzer.state();
    if (substates.includes('anomaly_detector')) state.AnomalyDetectorState = this.detector.state();
    const unavailable = substates.filter((s) => UNAVAILABLE_SUBSTATES.includes(s));
    if (unavailable.length > 0) state.unavailableSubstates = unavailable;
    return state;
  }

  toText(state: CruiseControlState): string {
    const lines: string[] = [];
    const monitor = state.MonitorState;
    if (monitor) {
      lines.push(
        `MonitorState: {state: ${monitor.state}, NumValidWindows: ${monitor.numMonitoredWindows}, ` +
          `NumValidPartitions: ${monitor.numValidPartitions}/${monitor.numTotalPartitions} ` +
          `(${monitor.monitoringCoveragePct.toFixed(3)}%), NumFlawedPartitions: ${monitor.numFlawedPartitions}` +
          `${monitor.error ? `, error: ${monitor.error}` : ''}}`,
      );
      lines.push(
        monitor.ready ? 'Load model: ready' : `Load model: not ready: ${(monitor.notReadyReasons ?? []).join('; ')}`,
      );
    }
    if (state.ExecutorState) lines.push(`ExecutorState: {state: ${String(state.ExecutorState.state)}}`);
    if (state.AnalyzerState) {
      const a = state.AnalyzerState;
      lines.push(
        `AnalyzerState: {isProposalReady: ${String(a.isProposalReady)}, ReadyGoals: [${(a.readyGoals as string[]).join(', ')}]}`,
      );
    }
    const detector = state.AnomalyDetectorState;
    if (detector) {
      const open = [
        ...detector.recentBrokerFailures,
        ...detector.recentDiskFailures,
        ...detector.recentGoalViolations,
        ...detector.recentTopicAnomalies,
      ].filter((r) => r.resolvedMs === undefined);
      lines.push(
        `AnomalyDetectorState: {selfHealingEnabled: [${detector.selfHealingEnabled.join(', ')}], ` +
          `ongoingSelfHealingAnomaly: ${detector.ongoingSelfHealingAnomaly ?? 'None'}, ` +
          `balancednessScore: ${detector.balancednessScore.toFixed(3)}}`,
      );
      lines.push(`Failure budget: ${detector.failureBudget.reason}`);
      for (const r of open) lines.push(`Anomaly ${r.anomalyId}: ${r.status} (${r.action}: ${r.reason})`);
    }
    if (state.unavailableSubstates)
      lines.push(`Not reported by this version: ${state.unavailableSubstates.join(', ')}`);
    return `${lines.join('\n')}\n`;
  }
}
