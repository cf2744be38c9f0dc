// Calling a running Ballast from the e2e tests: a POST, the executor and detector parts of /state,
// and waits on an execution (a move in flight, the executor idle, a request executed to the end).
import { expect } from 'vitest';
import { waitFor } from '../../scripts/sandbox/index.js';
import type { OptimizationResultJson } from '../../src/api/optimization-result.js';
import type { CruiseControlState } from '../../src/api/state.service.js';
import type { AnomalyDetectorStateJson } from '../../src/detector/index.js';
import { waitForMonitorReady } from './ballast.js';

/** An execution as /state summarises it: `execution` while it runs, `lastExecution` once none runs. */
export interface ExecutionSummary {
  id: string;
  operation: string;
  status: string;
  reason: string;
  startedAtMs: number;
  finishedAtMs: number | null;
  tasksByState: Record<string, number>;
  deadTasks: string[];
  events: string[];
}

/** The executor part of /state. */
export type ExecutorState = Record<string, unknown> & {
  state: string;
  execution?: ExecutionSummary;
  lastExecution?: ExecutionSummary;
};

/** A wait's timeout and polling interval. */
export interface WaitTiming {
  timeoutMs: number;
  intervalMs: number;
}

/** POSTs `path` (with its query) to the Ballast at `url`. */
export const post = (url: string, path: string): Promise<Response> => fetch(`${url}${path}`, { method: 'POST' });

/** GET /kafkacruisecontrol/state with the given substates (comma-separated). */
export async function stateOf(url: string, substates: string): Promise<CruiseControlState> {
  return (await (
    await fetch(`${url}/kafkacruisecontrol/state?json=true&substates=${substates}`)
  ).json()) as CruiseControlState;
}

/** The executor part of /state. */
export const executorStateOf = async (url: string): Promise<ExecutorState> =>
  (await stateOf(url, 'executor')).ExecutorState as ExecutorState;

/** The anomaly detector and executor parts of /state, read at once. */
export async function detectorAndExecutorOf(
  url: string,
): Promise<{ detector: AnomalyDetectorStateJson; executor: ExecutorState }> {
  const body = await stateOf(url, 'anomaly_detector,executor');
  return { detector: body.AnomalyDetectorState!, executor: body.ExecutorState as ExecutorState };
}

/**
 * Waits until no execution runs and `accept` holds of the executor state (by default, any), and
 * returns that state. A failed read is tried again; on a timeout the error shows the last state seen.
 */
export function waitForExecutorIdle(
  url: string,
  what: string,
  { timeoutMs, intervalMs, accept = () => true }: WaitTiming & { accept?: (state: ExecutorState) => boolean },
): Promise<ExecutorState> {
  return waitFor(
    what,
    async () => {
      const state = await executorStateOf(url);
      if (state.state === 'NO_TASK_IN_PROGRESS' && accept(state)) return state;
      throw new Error(JSON.stringify(state));
    },
    { timeoutMs, intervalMs },
  );
}

/** Waits (30 s at most) until the running execution has a partition move in flight, and returns that state. */
export function waitForMoveInFlight(url: string): Promise<ExecutorState> {
  return waitFor(
    'a move to be in flight',
    async () => {
      const state = await executorStateOf(url);
      return Number(state.numInProgressPartitionMovements ?? 0) > 0 ? state : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

/**
 * Posts an executing request once the load model is ready (a busy machine can leave a window short
 * of samples after earlier moves), expects it accepted, and waits for the execution to complete with
 * no dead task: of `operation` when given, else whichever ends.
 */
export async function executeToCompletion(
  url: string,
  path: string,
  { operation, timeoutMs }: { operation?: string; timeoutMs: number },
): Promise<OptimizationResultJson> {
  await waitForMonitorReady(url);
  const response = await post(url, path);
  const body = (await response.json()) as OptimizationResultJson;
  expect(response.status, JSON.stringify(body)).toBe(200);
  const done = await waitForExecutorIdle(url, `${operation ?? path} to finish`, {
    timeoutMs,
    intervalMs: 1_000,
    accept: (state) => operation === undefined || state.lastExecution?.operation === operation,
  });
  expect(done.lastExecution, JSON.stringify(done)).toMatchObject({ status: 'COMPLETED', deadTasks: [] });
  return body;
}
