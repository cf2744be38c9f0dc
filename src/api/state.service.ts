// GET /kafkacruisecontrol/state: Cruise Control's state document, reporting only what Ballast
// actually runs. Stages not built yet say so (NOT_STARTED, not ready) rather than invent figures.
import { Injectable } from '@nestjs/common';
import { describeError, withTimeout } from '../common/index.js';
import { BallastConfig } from '../config/index.js';
import { KafkaGateway, KafkaUnavailableError } from '../kafka/index.js';

export const SUBSTATES = ['executor', 'analyzer', 'monitor', 'anomaly_detector'] as const;
export type Substate = (typeof SUBSTATES)[number];

// Substates this build cannot report yet; listed in the response instead of being made up.
const UNAVAILABLE_SUBSTATES: readonly Substate[] = ['anomaly_detector'];

/** Cruise Control's LoadMonitorState (responses/loadMonitorState.yaml). */
export interface LoadMonitorState {
  state: 'NOT_STARTED' | 'RUNNING' | 'PAUSED' | 'SAMPLING' | 'BOOTSTRAPPING' | 'TRAINING' | 'LOADING';
  trained: boolean;
  trainingPct: number;
  numMonitoredWindows: number;
  monitoredWindows: Record<string, number>;
  numValidPartitions: number;
  numTotalPartitions: number;
  monitoringCoveragePct: number;
  numFlawedPartitions: number;
  error?: string;
}

export interface CruiseControlState {
  version: 1;
  MonitorState?: LoadMonitorState;
  ExecutorState?: Record<string, unknown>;
  AnalyzerState?: Record<string, unknown>;
  /** Ballast addition: requested substates this version does not report yet. */
  unavailableSubstates?: string[];
}

@Injectable()
export class StateService {
  constructor(
    private readonly config: BallastConfig,
    private readonly kafka: KafkaGateway,
  ) {}

  async state(substates: readonly Substate[] = SUBSTATES): Promise<CruiseControlState> {
    const state: CruiseControlState = { version: 1 };
    if (substates.includes('monitor')) state.MonitorState = await this.monitorState();
    if (substates.includes('executor')) state.ExecutorState = { state: 'NO_TASK_IN_PROGRESS' };
    if (substates.includes('analyzer')) state.AnalyzerState = { isProposalReady: false, readyGoals: [] };
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
    }
    if (state.ExecutorState) lines.push(`ExecutorState: {state: ${String(state.ExecutorState.state)}}`);
    if (state.AnalyzerState) {
      const a = state.AnalyzerState;
      lines.push(
        `AnalyzerState: {isProposalReady: ${String(a.isProposalReady)}, ReadyGoals: [${(a.readyGoals as string[]).join(', ')}]}`,
      );
    }
    if (state.unavailableSubstates)
      lines.push(`Not reported by this version: ${state.unavailableSubstates.join(', ')}`);
    return `${lines.join('\n')}\n`;
  }

  // The load monitor is not built yet: nothing is sampled, so no partition is valid. The total
  // comes from Kafka itself; when Kafka cannot be read the `error` field says why.
  private async monitorState(): Promise<LoadMonitorState> {
    const base: LoadMonitorState = {
      state: 'NOT_STARTED',
      trained: false,
      trainingPct: 0,
      numMonitoredWindows: 0,
      monitoredWindows: {},
      numValidPartitions: 0,
      numTotalPartitions: 0,
      monitoringCoveragePct: 0,
      numFlawedPartitions: 0,
    };
    try {
      const timeoutMs = this.config.api.readinessTimeoutMs;
      const { partitions } = await withTimeout(
        this.kafka.clusterSummary(),
        timeoutMs,
        () => new KafkaUnavailableError(this.config.kafka.bootstrapServers, `no metadata within ${timeoutMs} ms`),
      );
      return { ...base, numTotalPartitions: partitions };
    } catch (error) {
      return { ...base, error: describeError(error) };
    }
  }
}
