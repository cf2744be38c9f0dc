// The 202 → poll → result flow of UserTaskService on fake Express requests, the user_tasks
// answer against the spec's schemas, and the HTTP statuses of user-task errors.
import type { ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { ApiExceptionFilter } from '../../../src/api/api-exception.filter.js';
import { TwoStepVerificationDisabledError } from '../../../src/api/api.errors.js';
import { TooManyUserTasksError, UnknownUserTaskError } from '../../../src/api/user-tasks/user-task.errors.js';
import { UserTaskService } from '../../../src/api/user-tasks/user-task.service.js';
import { UserTasksController, userTaskQuery } from '../../../src/api/user-tasks/user-tasks.controller.js';
import { InvalidParameterError } from '../../../src/api/index.js';
import type { BallastConfig } from '../../../src/config/index.js';
import { responseValidator } from '../../support/openapi.js';

const validateProgress = responseValidator('progressResult.yaml', 'ProgressResult');
const validateUserTaskState = responseValidator('userTaskState.yaml', 'UserTaskState');
const validateError = responseValidator('errorResponse.yaml', 'ErrorResponse');

interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

function fakeResponse(): { res: Response; out: FakeResponse } {
  const out: FakeResponse = { statusCode: 200, headers: {} };
  const res = {
    headersSent: false,
    setHeader(name: string, value: string) {
      out.headers[name.toLowerCase()] = value;
      return res;
    },
    status(code: number) {
      out.statusCode = code;
      return res;
    },
    type(t: string) {
      out.contentType = t;
      return res;
    },
    json(body: unknown) {
      out.contentType ??= 'application/json';
      out.body = body;
      return res;
    },
    send(body: unknown) {
      out.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, out };
}

function fakeRequest(method: string, url: string, userTaskId?: string): Request {
  const [path, search] = url.split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  return {
    method,
    path,
    originalUrl: url,
    query,
    ip: '10.0.0.7',
    header: (name: string) => (name.toLowerCase() === 'user-task-id' ? userTaskId : undefined),
  } as unknown as Request;
}

function service(api: Partial<BallastConfig['api']> = {}): UserTaskService {
  const config = {
    api: {
      readinessTimeoutMs: 5_000,
      userTaskBlockMs: 20,
      maxActiveUserTasks: 2,
      completedUserTaskRetentionMs: 60_000,
      maxCompletedUserTasks: 25,
      ...api,
    },
  } as BallastConfig;
  return new UserTaskService(config);
}

describe('UserTaskService', () => {
  it('answers 200 with the result and a User-Task-ID when the work finishes within the block time', async () => {
    const tasks = service();
    const { res, out } = fakeResponse();
    await tasks.respond('proposals', true, fakeRequest('GET', '/kafkacruisecontrol/proposals?json=true'), res, () => ({
      version: 1,
    }));
    expect(out.statusCode).toBe(200);
    expect(out.body).toEqual({ version: 1 });
    expect(out.headers['user-task-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 202 with the progress after the block time, then the result to a poll with the same id', async () => {
    const tasks = service({ userTaskBlockMs: 10 });
    let finish!: (v: object) => void;
    const work = new Promise<object>((resolve) => (finish = resolve));
    const url = '/kafkacruisecontrol/rebalance?json=true&dryrun=false';
    const first = fakeResponse();
    await tasks.respond('rebalance', true, fakeRequest('POST', url), first.res, async (task) => {
      task.step('OPTIMIZING', 'Computing the proposal.');
      return work;
    });
    expect(first.out.statusCode).toBe(202);
    expect(validateProgress(first.out.body), validateProgress.errors()).toBe(true);
    const id = first.out.headers['user-task-id']!;

    const stillRunning = fakeResponse();
    await tasks.respond('rebalance', false, fakeRequest('POST', url, id), stillRunning.res, () => {
      throw new Error('a poll must not start new work');
    });
    expect(stillRunning.out.statusCode).toBe(202);
    expect(stillRunning.out.contentType).toBe('text/plain');
    expect(stillRunning.out.body).toContain(`User-Task-ID: ${id}`);

    finish({ version: 1, summary: {} });
    const poll = fakeResponse();
    await tasks.respond('rebalance', true, fakeRequest('POST', url, id), poll.res, () => ({}));
    expect(poll.out.statusCode).toBe(200);
    expect(poll.out.body).toEqual({ version: 1, summary: {} });
    expect(poll.out.headers['user-task-id']).toBe(id);
  });

  it('answers 202 to synchronous work when the block time is shorter than the first timer tick', async () => {
    // The optimizer computes synchronously: the block timer is armed before the work starts.
    const tasks = service({ userTaskBlockMs: 1 });
    const url = '/kafkacruisecontrol/proposals?json=true';
    const first = fakeResponse();
    await tasks.respond('proposals', true, fakeRequest('GET', url), first.res, () => ({ version: 1 }));
    expect(first.out.statusCode).toBe(202);
    const id = first.out.headers['user-task-id']!;
    const poll = fakeResponse();
    await tasks.respond('proposals', true, fakeRequest('GET', url, id), poll.res, () => ({}));
    expect(poll.out.statusCode).toBe(200);
    expect(poll.out.body).toEqual({ version: 1 });
    // With a longer block time the same work answers at once.
    const quick = fakeResponse();
    await service({ userTaskBlockMs: 50 }).respond('proposals', true, fakeRequest('GET', url), quick.res, () => ({
      version: 1,
    }));
    expect(quick.out.statusCode).toBe(200);
  });

  it('answers plain text for a string result', async () => {
    const tasks = service();
    const { res, out } = fakeResponse();
    await tasks.respond('state', false, fakeRequest('GET', '/kafkacruisecontrol/state'), res, () => 'text\n');
    expect(out.contentType).toBe('text/plain');
    expect(out.body).toBe('text\n');
  });

  it('rethrows the error of the work to the poll that finds it finished', async () => {
    const tasks = service();
    const failure = new InvalidParameterError('goals', 'bad goals');
    const { res } = fakeResponse();
    await expect(
      tasks.respond('proposals', true, fakeRequest('GET', '/kafkacruisecontrol/proposals'), res, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('rejects an unknown User-Task-ID and one beyond the active limit', async () => {
    const tasks = service({ maxActiveUserTasks: 1, userTaskBlockMs: 1 });
    await expect(
      tasks.respond(
        'proposals',
        true,
        fakeRequest('GET', '/kafkacruisecontrol/proposals', '5b7c8e52-7e1a-4c59-9d4f-4a4e5e2a1f00'),
        fakeResponse().res,
        () => ({}),
      ),
    ).rejects.toBeInstanceOf(UnknownUserTaskError);
    await tasks.respond(
      'rebalance',
      true,
      fakeRequest('POST', '/kafkacruisecontrol/rebalance'),
      fakeResponse().res,
      () => new Promise<object>(() => {}),
    );
    await expect(
      tasks.respond(
        'proposals',
        true,
        fakeRequest('GET', '/kafkacruisecontrol/proposals'),
        fakeResponse().res,
        () => ({}),
      ),
    ).rejects.toThrow(/already 1 active user tasks/);
  });
});

describe('GET /user_tasks', () => {
  it('lists tasks in the spec shape, with the original response on request', async () => {
    const tasks = service({ userTaskBlockMs: 1 });
    await tasks.respond(
      'proposals',
      true,
      fakeRequest('GET', '/kafkacruisecontrol/proposals?json=true'),
      fakeResponse().res,
      () => ({ version: 1 }),
    );
    await tasks.respond(
      'rebalance',
      true,
      fakeRequest('POST', '/kafkacruisecontrol/rebalance'),
      fakeResponse().res,
      () => new Promise<object>(() => {}),
    );
    const controller = new UserTasksController(tasks);
    const { res } = fakeResponse();
    const json = controller.userTasksState({ json: 'true', fetch_completed_task: 'true' }, res);
    expect(validateUserTaskState(json), validateUserTaskState.errors()).toBe(true);
    expect(json).toMatchObject({
      userTasks: [
        { Status: 'Active', RequestURL: 'POST /kafkacruisecontrol/rebalance', ClientIdentity: '10.0.0.7' },
        { Status: 'Completed', originalResponse: '{"version":1}' },
      ],
    });
    const filtered = controller.userTasksState({ json: 'true', types: 'COMPLETED', endpoints: 'PROPOSALS' }, res);
    expect((filtered as { userTasks: unknown[] }).userTasks).toHaveLength(1);
    const text = controller.userTasksState({}, res);
    expect(text).toContain('USER TASK ID');
  });

  it('validates its parameters, naming the bad one', () => {
    expect(() => userTaskQuery({ user_task_ids: 'not-a-uuid' })).toThrow(/user_task_ids.*not a UUID/);
    expect(() => userTaskQuery({ types: 'RUNNING' })).toThrow(/'types'/);
    expect(() => userTaskQuery({ endpoints: 'NOPE' })).toThrow(/'endpoints'/);
    expect(() => userTaskQuery({ entries: '-1' })).toThrow(/'entries'/);
    expect(() => userTaskQuery({ bogus: '1' })).toThrow(/Unrecognized parameter\(s\).*bogus/);
    expect(userTaskQuery({ types: 'in_execution,COMPLETED_WITH_ERROR', client_ids: '1.2.3.4' }).filter).toMatchObject({
      statuses: ['InExecution', 'CompletedWithError'],
      clientIds: ['1.2.3.4'],
    });
  });
});

describe('ApiExceptionFilter on user-task errors', () => {
  function statusOf(error: unknown): { status: number; body: unknown } {
    const { res, out } = fakeResponse();
    const host = {
      switchToHttp: () => ({
        getRequest: () => fakeRequest('GET', '/kafkacruisecontrol/proposals?json=true'),
        getResponse: () => res,
      }),
    } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(error, host);
    return { status: out.statusCode, body: out.body };
  }

  it('maps an unknown task to 400 naming the header and the limit to 429', () => {
    const unknown = statusOf(new UnknownUserTaskError('x', 'No user task x'));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ parameter: 'User-Task-ID', code: 'UNKNOWN_USER_TASK' });
    expect(validateError(unknown.body), validateError.errors()).toBe(true);
    expect(statusOf(new TooManyUserTasksError(5)).status).toBe(429);
    const review = statusOf(new TwoStepVerificationDisabledError('REVIEW'));
    expect(review.status).toBe(400);
    expect(validateError(review.body), validateError.errors()).toBe(true);
  });
});
