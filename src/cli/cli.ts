// Runs one `ballast` command: parse, send, print, and for an execution follow its progress until it
// ends. Streams, fetch, sleep and the clock come in from main.ts (or a test), so this holds no globals.
import { BallastClient, type Json } from './ballast-client.js';
import { parseCli, USAGE, type CliPlan } from './cli-args.js';
import { CliRequestError, CliUsageError } from './cli.errors.js';
import {
  formatDuration,
  formatLoad,
  formatMessage,
  formatOptimization,
  formatReview,
  formatState,
  isReviewResult,
  moveCount,
} from './format.js';
import { EtaEstimator, executionProgress, renderProgressLine, type ExecutorStateView } from './progress.js';

export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
}

/** How many polls an execution may take to show up in /state before the CLI gives up. */
const EXECUTION_APPEAR_POLLS = 30;

/** Runs `argv`; resolves to the process exit code (0 ok, 1 Ballast refused or failed, 2 usage). */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  try {
    const invocation = parseCli(argv, env);
    if (invocation.kind === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    return await run(invocation.plan, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`ballast: ${error.message}\nRun 'ballast --help' for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof CliRequestError) {
      io.stderr.write(`ballast: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

async function run(plan: CliPlan, io: CliIo): Promise<number> {
  const client = new BallastClient({
    url: plan.url,
    auth: plan.auth,
    pollIntervalMs: plan.pollIntervalMs,
    fetch: io.fetch,
    sleep: io.sleep,
    onWaiting: waitingReporter(io.stderr),
  });
  const follow = plan.execute && plan.wait;
  // The execution Ballast knew before this request, so a finished one is told apart from ours.
  const priorExecutionId = follow ? executionId(await executorState(client)) : undefined;
  const answer = await client.request(plan.request);
  if (plan.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else io.stdout.write(isReviewResult(answer) ? formatReview(answer) : humanText(plan, answer));
  // Held for review (two-step verification): nothing runs until it is approved and submitted.
  if (!plan.execute || isReviewResult(answer)) return 0;
  if (moveCount(answer) === 0) {
    if (!plan.json) io.stdout.write('Nothing to move: no execution started.\n');
    return 0;
  }
  if (!follow) {
    if (!plan.json) io.stdout.write("Execution started. Follow it with 'ballast state'; 'ballast stop' stops it.\n");
    return 0;
  }
  return followExecution(client, plan, io, priorExecutionId);
}

function humanText(plan: CliPlan, answer: Json): string {
  switch (plan.command) {
    case 'state':
      return formatState(answer);
    case 'load':
      return formatLoad(answer);
    case 'stop':
      return formatMessage(answer);
    default:
      return formatOptimization(answer, { dryRun: !plan.execute });
  }
}

async function executorState(client: BallastClient): Promise<ExecutorStateView & Json> {
  const state = await client.request({ method: 'GET', endpoint: 'state', params: { substates: 'executor' } });
  const executor = state.ExecutorState;
  return executor !== null && typeof executor === 'object' ? (executor as ExecutorStateView & Json) : {};
}

/** The running execution's id, else the last one's. */
function executionId(state: ExecutorStateView & Json): string | undefined {
  const running = state.execution as { id?: string } | undefined;
  return running?.id ?? state.lastExecution?.id;
}

/** Polls the executor state and draws the bar until the execution ends; its outcome is the exit code. */
async function followExecution(
  client: BallastClient,
  plan: CliPlan,
  io: CliIo,
  priorExecutionId: string | undefined,
): Promise<number> {
  const out = io.stderr;
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = io.nowMs ?? Date.now;
  const eta = new EtaEstimator();
  let lastLine = '';
  let seenRunning = false;
  for (let poll = 0; ; poll++) {
    const state = await executorState(client);
    const progress = executionProgress(state);
    if (progress.running) {
      seenRunning = true;
      const clientEta = eta.update(now(), progress.fraction);
      const line = renderProgressLine(progress, progress.serverEtaMs ?? clientEta);
      if (out.isTTY) out.write(`\r${line}\x1b[K`);
      else if (line !== lastLine) out.write(`${line}\n`);
      lastLine = line;
    } else {
      const last = state.lastExecution;
      const ours = last?.id !== undefined && last.id !== priorExecutionId;
      if (seenRunning || ours) {
        if (out.isTTY && lastLine !== '') out.write('\n');
        const status = last?.status ?? 'UNKNOWN';
        const took = last?.elapsedMs !== undefined ? ` in ${formatDuration(last.elapsedMs)}` : '';
        io.stdout.write(`${['Execution', last?.id, status].filter((w) => w !== undefined).join(' ')}${took}.\n`);
        for (const dead of last?.deadTasks ?? []) io.stdout.write(`  dead task: ${dead}\n`);
        return status === 'COMPLETED' ? 0 : 1;
      }
      if (poll >= EXECUTION_APPEAR_POLLS) {
        throw new CliRequestError(`Ballast accepted the ${plan.command} but reports no execution after ${poll} polls`);
      }
    }
    await sleep(plan.pollIntervalMs);
  }
}

/** One line on stderr per user task that keeps Ballast busy (stdout stays the answer alone). */
function waitingReporter(err: CliStream): (id: string, progress: Json) => void {
  const told = new Set<string>();
  return (id) => {
    if (told.has(id)) return;
    told.add(id);
    err.write(`Waiting for user task ${id}...\n`);
  };
}
