// runCli against a scripted HTTP peer (fetch is injected): the 202 → User-Task-ID polling, errors
// with the server's message and exit codes, and following an execution with the progress bar.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli.js';

interface Sent {
  method: string;
  url: URL;
  headers: Record<string, string>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

/** A fetch that answers each request from `script` in turn, recording what was sent. */
function scripted(script: ((sent: Sent) => Reply)[]) {
  const sent: Sent[] = [];
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: Sent = {
      method: init?.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input),
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    sent.push(request);
    const step = script.shift();
    if (step === undefined) throw new Error(`unexpected request ${request.method} ${request.url.href}`);
    const reply = step(request);
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return Promise.resolve(new Response(body, { status: reply.status, headers: reply.headers }));
  };
  return { fetch: fetchFn, sent, left: () => script.length };
}

function io(fetchFn: typeof fetch, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(t), isTTY: tty },
      stderr: { write: (t: string) => err.push(t), isTTY: tty },
      fetch: fetchFn,
      sleep: () => Promise.resolve(),
      nowMs: (() => {
        let t = 0;
        return () => (t += 1000);
      })(),
    },
  };
}

const ok = (body: unknown): Reply => ({ status: 200, body });

describe('runCli', () => {
  it('polls a 202 by repeating the request with its User-Task-ID until the answer comes', async () => {
    const peer = scripted([
      () => ({ status: 202, body: { version: 1, progress: [] }, headers: { 'User-Task-ID': 'task-1' } }),
      () => ({ status: 202, body: { version: 1, progress: [] }, headers: { 'User-Task-ID': 'task-1' } }),
      () => ok({ version: 1, summary: { numReplicaMovements: 0 }, goalSummary: [] }),
    ]);
    const run = io(peer.fetch);
    expect(await runCli(['proposals', '--url', 'http://b:1'], {}, run.io)).toBe(0);
    expect(peer.sent.map((s) => [s.method, s.url.pathname, s.url.searchParams.get('json')])).toEqual([
      ['GET', '/kafkacruisecontrol/proposals', 'true'],
      ['GET', '/kafkacruisecontrol/proposals', 'true'],
      ['GET', '/kafkacruisecontrol/proposals', 'true'],
    ]);
    expect(peer.sent.map((s) => s.headers['User-Task-ID'])).toEqual([undefined, 'task-1', 'task-1']);
    expect(run.out.join('')).toMatch(/^Proposal \(dry run\): 0 replica moves/);
    expect(run.err.join('')).toBe('Waiting for user task task-1...\n');
  });

  it("exits 1 with the server's error message on a 4xx, and sends the credentials", async () => {
    const peer = scripted([
      () => ({
        status: 400,
        body: {
          version: 1,
          errorMessage: "Parameter 'goals' names an unknown goal: NoSuchGoal",
          code: 'INVALID_PARAMETER',
        },
      }),
    ]);
    const run = io(peer.fetch);
    const code = await runCli(['rebalance', '--goals', 'NoSuchGoal', '--token', 'jwt'], {}, run.io);
    expect(code).toBe(1);
    expect(run.err.join('')).toBe(
      "ballast: POST /kafkacruisecontrol/rebalance failed with HTTP 400: Parameter 'goals' names an unknown goal: NoSuchGoal\n",
    );
    expect(peer.sent[0]!.headers.authorization).toBe('Bearer jwt');
    expect(peer.sent[0]!.url.searchParams.get('dryrun')).toBe('true');
  });

  it('exits 2 on a usage error without sending anything', async () => {
    const peer = scripted([]);
    const run = io(peer.fetch);
    expect(await runCli(['remove-broker'], {}, run.io)).toBe(2);
    expect(run.err.join('')).toMatch(/needs broker ids/);
    expect(peer.sent).toEqual([]);
  });

  it('follows an execution to its end, a line per change when not on a terminal', async () => {
    const MiB = 1024 * 1024;
    const running = (doneBytes: number) =>
      ok({
        version: 1,
        ExecutorState: {
          state: 'INTER_BROKER_REPLICA_MOVEMENT_TASK_IN_PROGRESS',
          numTotalPartitionMovements: 2,
          numFinishedPartitionMovements: doneBytes / MiB,
          totalDataToMoveBytes: 2 * MiB,
          finishedDataMovementBytes: doneBytes,
          estimatedRemainingMs: null,
          execution: { id: 'new' },
        },
      });
    const peer = scripted([
      () => ok({ version: 1, ExecutorState: { state: 'NO_TASK_IN_PROGRESS', lastExecution: { id: 'old' } } }),
      () => ok({ version: 1, summary: { numReplicaMovements: 2, dataToMoveMB: 2 }, goalSummary: [] }),
      () => running(0),
      () => running(0),
      () => running(MiB),
      () =>
        ok({
          version: 1,
          ExecutorState: {
            state: 'NO_TASK_IN_PROGRESS',
            lastExecution: { id: 'new', status: 'COMPLETED', elapsedMs: 3000 },
          },
        }),
    ]);
    const run = io(peer.fetch);
    expect(await runCli(['rebalance', '--execute'], {}, run.io)).toBe(0);
    expect(peer.left()).toBe(0);
    expect(peer.sent[1]!.url.searchParams.get('dryrun')).toBe('false');
    expect(peer.sent[2]!.url.searchParams.get('substates')).toBe('executor');
    const lines = run.err.join('').trimEnd().split('\n');
    // The second poll repeated the first: one line for it, then one for 50%.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\.{30}\]\s+0%.*ETA --/);
    expect(lines[1]).toMatch(/^\[#{15}\.{15}\]\s+50%\s+1\.0 MiB\/2\.0 MiB\s+partitions 1\/2\s+ETA 2s/);
    expect(run.out.join('')).toMatch(
      /Proposal being executed: 2 replica moves[\s\S]*Execution new COMPLETED in 3s\.\n$/,
    );
  });

  it('redraws the bar in place on a terminal and exits 1 when the execution did not complete', async () => {
    const peer = scripted([
      () => ok({ version: 1, ExecutorState: { state: 'NO_TASK_IN_PROGRESS' } }),
      () => ok({ version: 1, summary: { numLeaderMovements: 1 }, goalSummary: [] }),
      () =>
        ok({
          version: 1,
          ExecutorState: { state: 'LEADER_MOVEMENT_TASK_IN_PROGRESS', numTotalLeadershipMovements: 1 },
        }),
      () =>
        ok({
          version: 1,
          ExecutorState: { state: 'NO_TASK_IN_PROGRESS', lastExecution: { id: 'e', status: 'STOPPED' } },
        }),
    ]);
    const run = io(peer.fetch, true);
    expect(await runCli(['demote-broker', '1', '--execute'], {}, run.io)).toBe(1);
    const err = run.err.join('');
    expect(err.startsWith('\r[')).toBe(true);
    expect(err).toMatch(/\s+0%\s+leaders 0\/1/);
    expect(err.endsWith('\u001b[K\n')).toBe(true);
    expect(run.out.join('')).toMatch(/Execution e STOPPED\.\n$/);
  });

  it('starts nothing to follow when the proposal has no moves', async () => {
    const peer = scripted([
      () => ok({ version: 1, ExecutorState: { state: 'NO_TASK_IN_PROGRESS' } }),
      () => ok({ version: 1, summary: { numReplicaMovements: 0 }, goalSummary: [] }),
    ]);
    const run = io(peer.fetch);
    expect(await runCli(['rebalance', '--execute'], {}, run.io)).toBe(0);
    expect(run.out.join('')).toMatch(/Nothing to move: no execution started\.\n$/);
  });

  it('says a request was held for review, and follows nothing, under two-step verification', async () => {
    const peer = scripted([
      () => ok({ version: 1, ExecutorState: { state: 'NO_TASK_IN_PROGRESS' } }),
      () =>
        ok({
          version: 1,
          RequestInfo: [
            { Id: 4, Status: 'PENDING_REVIEW', EndpointWithParams: 'POST /kafkacruisecontrol/rebalance?dryrun=false' },
          ],
        }),
    ]);
    const run = io(peer.fetch);
    expect(await runCli(['rebalance', '--execute'], {}, run.io)).toBe(0);
    expect(run.out.join('')).toBe(
      'Held for review: request 4 PENDING_REVIEW: POST /kafkacruisecontrol/rebalance?dryrun=false\n' +
        '  Once approved (POST /kafkacruisecontrol/review?approve=4), run the same command with --review-id 4.\n',
    );
    expect(peer.left()).toBe(0);
  });

  it('prints the raw JSON with --json', async () => {
    const body = { version: 1, message: 'No proposal execution in progress.' };
    const peer = scripted([() => ok(body)]);
    const run = io(peer.fetch);
    expect(await runCli(['stop', '--json'], {}, run.io)).toBe(0);
    expect(JSON.parse(run.out.join(''))).toEqual(body);
  });

  it('says plainly when Ballast cannot be reached', async () => {
    const run = io(() => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') })));
    expect(await runCli(['state', '--url', 'http://127.0.0.1:9'], {}, run.io)).toBe(1);
    expect(run.err.join('')).toBe('ballast: Cannot reach Ballast at http://127.0.0.1:9: connect ECONNREFUSED\n');
  });
});
