// Cruise Control's REST API as a whole on a real sandbox (3 brokers in 3 racks, a skewed topic
// under load): the json=true answer of every endpoint validated against the spec, the 202 → poll →
// result flow of user tasks, the active user-task limit, and two-step verification end to end.
// Ballast is restarted between the parts with the configuration each needs (same Kafka and Redis).
import { connect } from 'node:net';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRUISE_CONTROL_ENDPOINTS, type CruiseControlEndpoint } from '../../src/api/endpoints.js';
import type { ReviewResultJson } from '../../src/api/review/review.responses.js';
import type { RunningApp } from '../../src/app.js';
import type { BallastConfigInput } from '../../src/config/index.js';
import { KafkaSandbox, RedisSandbox, waitFor } from '../../scripts/sandbox/index.js';
import { fastJmxMonitor, startBallast, waitForMonitorReady } from '../support/ballast.js';
import { responseValidator, type ResponseValidator } from '../support/openapi.js';
import { validateReviewResult } from '../support/review-schema.js';
import { startSteadyLoad, type SteadyLoad } from '../support/steady-load.js';

const TOPIC = 'flows';
// Broker 0 leads every partition: a rebalance always has leaders to move.
const ASSIGNMENT = [
  [0, 1],
  [0, 2],
  [0, 1],
  [0, 2],
  [0, 1],
  [0, 2],
];

const optimizationResult = responseValidator('optimizationResult.yaml', 'OptimizationResult');
const progressResult = responseValidator('progressResult.yaml', 'ProgressResult');
const userTaskState = responseValidator('userTaskState.yaml', 'UserTaskState');
const errorResponse = responseValidator('errorResponse.yaml', 'ErrorResponse');

// Answers are checked field by field; their static type adds nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const jsonOf = async (response: Response): Promise<Json> => response.json();

interface Case {
  method: 'GET' | 'POST';
  query: string;
  schema: ResponseValidator;
  /** Answered only with two-step verification on (checked in that part). */
  twoStep?: boolean;
}

describe('the REST API on a sandbox', () => {
  let kafka: KafkaSandbox;
  let redis: RedisSandbox;
  let ballast: RunningApp | undefined;
  let admin: Admin;
  let load: SteadyLoad;

  const url = () => ballast!.url;
  const restart = async (api: BallastConfigInput['api'] = {}) => {
    await ballast?.app.close();
    ballast = undefined;
    ballast = await startBallast(kafka.bootstrapServers, redis.url, {
      monitor: fastJmxMonitor(kafka),
      executor: { stepIntervalMs: 1_000 },
      api,
    });
  };
  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${url()}/kafkacruisecontrol/${path}`, { method, headers });
  /** Sends a request and, while it answers 202, polls it with its User-Task-ID; returns the final answer. */
  const settle = async (method: string, path: string): Promise<{ status: number; body: Json; headers: Headers }> => {
    let response = await send(method, path);
    const id = response.headers.get('User-Task-ID');
    while (response.status === 202) {
      expect(progressResult(await jsonOf(response)), progressResult.errors()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await send(method, path, { 'User-Task-ID': id! });
    }
    return { status: response.status, body: await jsonOf(response), headers: response.headers };
  };
  const executorState = async (): Promise<Json> =>
    (await settle('GET', 'state?json=true&substates=executor')).body.ExecutorState;

  const CASES: Record<CruiseControlEndpoint, Case> = {
    bootstrap: {
      method: 'GET',
      query: 'json=true',
      schema: responseValidator('bootstrapResult.yaml', 'BootstrapResult'),
    },
    train: { method: 'GET', query: 'json=true', schema: responseValidator('trainResult.yaml', 'TrainResult') },
    load: { method: 'GET', query: 'json=true', schema: responseValidator('brokerStats.yaml', 'BrokerStats') },
    partition_load: {
      method: 'GET',
      query: 'json=true&entries=5',
      schema: responseValidator('partitionLoadState.yaml', 'PartitionLoadState', { doubleAsNumber: true }),
    },
    proposals: { method: 'GET', query: 'json=true', schema: optimizationResult },
    state: {
      method: 'GET',
      query: 'json=true',
      schema: responseValidator('cruiseControlState.yaml', 'CruiseControlState'),
    },
    kafka_cluster_state: {
      method: 'GET',
      query: 'json=true&verbose=true',
      schema: responseValidator('kafkaClusterState.yaml', 'KafkaClusterState'),
    },
    user_tasks: { method: 'GET', query: 'json=true&fetch_completed_task=true', schema: userTaskState },
    review_board: { method: 'GET', query: 'json=true', schema: validateReviewResult, twoStep: true },
    permissions: {
      method: 'GET',
      query: 'json=true',
      schema: responseValidator('userPermissions.yaml', 'UserPermissions'),
    },
    add_broker: { method: 'POST', query: 'json=true&brokerid=2', schema: optimizationResult },
    remove_broker: { method: 'POST', query: 'json=true&brokerid=2', schema: optimizationResult },
    fix_offline_replicas: { method: 'POST', query: 'json=true', schema: optimizationResult },
    rebalance: { method: 'POST', query: 'json=true&verbose=true', schema: optimizationResult },
    stop_proposal_execution: {
      method: 'POST',
      query: 'json=true',
      schema: responseValidator('stopProposalResult.yaml', 'StopProposalResult'),
    },
    pause_sampling: {
      method: 'POST',
      query: 'json=true&reason=api-flows',
      schema: responseValidator('pauseSamplingResult.yaml', 'PauseSamplingResult'),
    },
    resume_sampling: {
      method: 'POST',
      query: 'json=true&reason=api-flows',
      schema: responseValidator('resumeSamplingResult.yaml', 'ResumeSamplingResult'),
    },
    demote_broker: { method: 'POST', query: 'json=true&brokerid=1', schema: optimizationResult },
    admin: { method: 'POST', query: 'json=true', schema: responseValidator('adminResult.yaml', 'AdminResult') },
    review: { method: 'POST', query: 'json=true', schema: validateReviewResult, twoStep: true },
    topic_configuration: {
      method: 'POST',
      query: `json=true&topic=${TOPIC}&replication_factor=3`,
      schema: optimizationResult,
    },
    rightsize: {
      method: 'POST',
      query: 'json=true&num_brokers_to_add=1',
      schema: responseValidator('rightsizeResult.yaml', 'RightsizeResult'),
    },
    // Filled in beforeAll with a log dir of broker 0.
    remove_disks: { method: 'POST', query: '', schema: optimizationResult },
  };

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([
      KafkaSandbox.start({ brokers: 3, racks: 3 }),
      RedisSandbox.start({ useEnv: false }),
    ]);
    admin = await kafka.admin();
    await kafka.createTopic(TOPIC, { assignment: ASSIGNMENT });
    await kafka.produce(TOPIC, 1_000, { valueBytes: 1000 });
    load = await startSteadyLoad(kafka.kafka, [{ name: TOPIC, weight: 1 }], 32 * 1024);
    CASES.remove_disks.query = `json=true&brokerid_and_logdirs=0-${kafka.broker(0).logDirs[1]}`;
    await restart();
    await waitForMonitorReady(url());
  });

  afterAll(async () => {
    await load?.stop();
    await admin?.disconnect();
    await ballast?.app.close();
    await Promise.all([kafka?.close(), redis?.close()]);
  });

  describe('json=true answers', () => {
    it('cover every Cruise Control endpoint', () => {
      expect(Object.keys(CASES).sort()).toEqual([...CRUISE_CONTROL_ENDPOINTS].sort());
    });

    it('validate against the spec for every endpoint answered without two-step verification', async () => {
      const failures: string[] = [];
      for (const endpoint of CRUISE_CONTROL_ENDPOINTS) {
        const c = CASES[endpoint];
        if (c.twoStep) continue;
        const answer = await settle(c.method, `${endpoint}?${c.query}`);
        if (answer.status !== 200) failures.push(`${endpoint}: ${answer.status} ${JSON.stringify(answer.body)}`);
        else if (!c.schema(answer.body)) failures.push(`${endpoint}: ${c.schema.errors()}`);
        else expect(answer.headers.get('content-type')).toMatch(/application\/json/);
      }
      expect(failures).toEqual([]);
      // The harmless POSTs left Ballast as it was: sampling resumed, nothing executing.
      const state = (await settle('GET', 'state?json=true&substates=monitor,executor')).body;
      expect(state.MonitorState.state).not.toBe('PAUSED');
      expect(state.ExecutorState.state).toBe('NO_TASK_IN_PROGRESS');
    });

    it('json=false answers readable plain text; an error has the spec error shape', async () => {
      const text = await send('GET', 'kafka_cluster_state');
      expect(text.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await text.text()).toMatch(/Brokers|Topic/);
      const error = await send('POST', 'rebalance?json=true&dryrun=maybe');
      expect(error.status).toBe(400);
      const body = await jsonOf(error);
      expect(errorResponse(body), errorResponse.errors()).toBe(true);
      expect(body).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'dryrun' });
      // A time range with no window is the request's fault, not the monitor's.
      for (const [query, parameter] of [
        ['end=1000', 'end'],
        ['time=1000', 'time'],
      ]) {
        const empty = await settle('GET', `load?json=true&${query}`);
        expect(empty.status, JSON.stringify(empty.body)).toBe(400);
        expect(empty.body).toMatchObject({ code: 'INVALID_PARAMETER', parameter });
      }
    });
  });

  describe('async user tasks (api.userTaskBlockMs: 1, api.maxActiveUserTasks: 1)', () => {
    beforeAll(async () => {
      await restart({ userTaskBlockMs: 1, maxActiveUserTasks: 1 });
      // state answers 202 too: wait through the polls.
      await waitFor(
        'the load monitor to be ready',
        async () =>
          (await settle('GET', 'state?json=true&substates=monitor')).body.MonitorState?.ready ? true : undefined,
        { timeoutMs: 120_000, intervalMs: 500 },
      );
    });

    const flow = async (method: 'GET' | 'POST', path: string) => {
      const first = await send(method, path);
      expect(first.status).toBe(202);
      const id = first.headers.get('User-Task-ID');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const progress = await jsonOf(first);
      expect(progressResult(progress), progressResult.errors()).toBe(true);
      expect(progress.progress[0].operation).toBe(`${method} ${path.split('?')[0]!.toUpperCase()}`);
      const done = await waitFor(
        `${path} to finish`,
        async () => {
          const poll = await send(method, path, { 'User-Task-ID': id! });
          expect(poll.headers.get('User-Task-ID')).toBe(id);
          if (poll.status === 202) return undefined;
          return { status: poll.status, body: await jsonOf(poll) };
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(optimizationResult(done.body), optimizationResult.errors()).toBe(true);
      // A finished task keeps answering the same result.
      const again = await send(method, path, { 'User-Task-ID': id! });
      expect(again.status).toBe(200);
      expect(await jsonOf(again)).toEqual(done.body);
      return id!;
    };

    it('rebalance (dry run) and proposals answer 202, then the result to a poll; user_tasks lists them', async () => {
      const rebalance = await flow('POST', 'rebalance?json=true&ignore_proposal_cache=true');
      const proposals = await flow('GET', 'proposals?json=true');
      const listed = await send('GET', `user_tasks?json=true&user_task_ids=${rebalance},${proposals}`);
      const body = await jsonOf(listed);
      expect(userTaskState(body), userTaskState.errors()).toBe(true);
      expect(body.userTasks).toHaveLength(2);
      expect(body.userTasks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            UserTaskId: rebalance,
            Status: 'Completed',
            RequestURL: 'POST /kafkacruisecontrol/rebalance?json=true&ignore_proposal_cache=true',
          }),
          expect.objectContaining({
            UserTaskId: proposals,
            Status: 'Completed',
            RequestURL: 'GET /kafkacruisecontrol/proposals?json=true',
          }),
        ]),
      );
      const onlyRebalance = (await jsonOf(
        await send('GET', 'user_tasks?json=true&endpoints=rebalance&types=completed'),
      )) as { userTasks: { UserTaskId: string }[] };
      const ids = onlyRebalance.userTasks.map((t) => t.UserTaskId);
      expect(ids).toContain(rebalance);
      expect(ids).not.toContain(proposals);
      // A poll names the endpoint that started the task.
      const wrong = await send('GET', 'proposals?json=true', { 'User-Task-ID': rebalance });
      expect(wrong.status).toBe(400);
      expect(await jsonOf(wrong)).toMatchObject({ code: 'UNKNOWN_USER_TASK', parameter: 'User-Task-ID' });
    });

    it('refuses a request beyond the active limit with 429 and says why', async () => {
      // Three requests pipelined on one connection reach Ballast together: the first becomes the
      // one active task (202), the other two arrive while it is still active. (Answers follow each
      // other without a line break: Express sends a Content-Length, not chunks.)
      const path = '/kafkacruisecontrol/proposals?json=true&ignore_proposal_cache=true';
      const { port } = new URL(url());
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            [0, 1, 2]
              .map((i) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${i === 2 ? 'Connection: close\r\n' : ''}\r\n`)
              .join(''),
          );
        });
        let out = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (out += chunk));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
      expect([...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]))).toEqual([202, 429, 429]);
      expect(raw).toContain('"code":"TOO_MANY_USER_TASKS"');
      expect(raw).toMatch(/already 1 active user tasks, the limit \(api\.maxActiveUserTasks\)/);
      // Once the active task finishes, a new request is accepted again.
      const active = /User-Task-ID: ([0-9a-f-]{36})/i.exec(raw)![1]!;
      await waitFor(
        'the active task to finish',
        async () =>
          (await send('GET', path.slice('/kafkacruisecontrol/'.length), { 'User-Task-ID': active })).status === 200
            ? true
            : undefined,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      expect((await settle('GET', 'proposals?json=true')).status).toBe(200);
    });
  });

  describe('two-step verification (api.twoStepVerification.enabled)', () => {
    beforeAll(async () => {
      await restart({ twoStepVerification: { enabled: true } });
      await waitForMonitorReady(url());
    });

    const postJson = async (path: string) => {
      const response = await send('POST', path);
      return { status: response.status, body: await jsonOf(response) };
    };

    it('holds a rebalance for review, runs it once approved and submitted, exactly as reviewed', async () => {
      const before = await executorState();
      const reason = `api-flows-review-${Date.now()}`;
      const query = `dryrun=false&replication_throttle=4194304&reason=${encodeURIComponent(reason)}&json=true`;
      const held = await postJson(`rebalance?${query}`);
      expect(held.status).toBe(200);
      expect(validateReviewResult(held.body), validateReviewResult.errors()).toBe(true);
      const [info] = held.body.RequestInfo;
      expect(info).toMatchObject({
        Status: 'PENDING_REVIEW',
        Reason: 'Awaiting review.',
        EndpointWithParams: `POST /kafkacruisecontrol/rebalance?${query}`,
      });
      const id: number = info.Id;
      // Held, not run.
      expect((await executorState()).lastExecution?.id).toBe(before.lastExecution?.id);

      const board = await settle('GET', `review_board?json=true&review_ids=${id}`);
      expect(CASES.review_board.schema(board.body), validateReviewResult.errors()).toBe(true);
      expect(board.body.RequestInfo).toEqual([info]);

      const early = await postJson(`rebalance?review_id=${id}&json=true`);
      expect(early.status).toBe(400);
      expect(early.body).toMatchObject({ code: 'REVIEW_STATE', parameter: 'review_id' });
      expect(early.body.errorMessage).toMatch(/still PENDING_REVIEW/);

      const approved = await postJson(`review?approve=${id}&reason=looks%20right&json=true`);
      expect(approved.status).toBe(200);
      expect(CASES.review.schema(approved.body), validateReviewResult.errors()).toBe(true);
      expect(approved.body.RequestInfo).toEqual([{ ...info, Status: 'APPROVED', Reason: 'looks right' }]);

      const changed = await postJson(`rebalance?review_id=${id}&replication_throttle=1&json=true`);
      expect(changed.status).toBe(400);
      expect(changed.body).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'replication_throttle' });

      await waitForMonitorReady(url());
      const submitted = await settle('POST', `rebalance?review_id=${id}&json=true`);
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      expect(optimizationResult(submitted.body), optimizationResult.errors()).toBe(true);
      const done = await waitFor(
        'the reviewed rebalance to finish',
        async () => {
          const state = (await executorState()) as { state: string; lastExecution?: { id: string } };
          if (state.state === 'NO_TASK_IN_PROGRESS' && state.lastExecution?.id !== before.lastExecution?.id)
            return state;
          throw new Error(JSON.stringify(state));
        },
        { timeoutMs: 180_000, intervalMs: 1_000 },
      );
      // The stored parameters ran: the reviewed reason and throttle, not the refused ones.
      expect(done.lastExecution).toMatchObject({ operation: 'rebalance', status: 'COMPLETED', reason, deadTasks: [] });
      expect((await admin.listPartitionReassignments({})).topics).toEqual([]);

      const second = await postJson(`rebalance?review_id=${id}&json=true`);
      expect(second.status).toBe(400);
      expect(second.body).toMatchObject({ code: 'REVIEW_STATE', parameter: 'review_id' });
      expect(second.body.errorMessage).toMatch(/already submitted/);
      const after = await settle('GET', `review_board?json=true&review_ids=${id}`);
      expect(after.body.RequestInfo[0]).toMatchObject({ Id: id, Status: 'SUBMITTED' });
      expect((await executorState()).lastExecution.id).toBe(done.lastExecution!.id);
    });

    it('discards a held request, which then cannot run', async () => {
      const held = await postJson('pause_sampling?reason=api-flows-discard&json=true');
      expect(held.status).toBe(200);
      const id: number = held.body.RequestInfo[0].Id;
      const discarded = await postJson(`review?discard=${id}&reason=not%20now&json=true`);
      expect(discarded.status).toBe(200);
      expect(validateReviewResult(discarded.body), validateReviewResult.errors()).toBe(true);
      expect(discarded.body.RequestInfo[0]).toMatchObject({ Id: id, Status: 'DISCARDED', Reason: 'not now' });
      const submit = await postJson(`pause_sampling?review_id=${id}&json=true`);
      expect(submit.status).toBe(400);
      expect(submit.body.errorMessage).toMatch(/DISCARDED and cannot be submitted/);
      const approve = await postJson(`review?approve=${id}&json=true`);
      expect(approve.status).toBe(400);
      expect(approve.body).toMatchObject({ code: 'REVIEW_STATE', parameter: 'approve' });
      const state = (await settle('GET', 'state?json=true&substates=monitor')).body;
      expect(state.MonitorState.state).not.toBe('PAUSED');
      const board = await settle('GET', 'review_board?json=true');
      expect(validateReviewResult(board.body), validateReviewResult.errors()).toBe(true);
      expect((board.body as ReviewResultJson).RequestInfo.map((r) => r.Status)).toEqual(['SUBMITTED', 'DISCARDED']);
    });
  });
});
