// UserTaskManager: limits, polling by id, filters and retention with a fake clock.
import { describe, expect, it } from 'vitest';
import { TooManyUserTasksError, UnknownUserTaskError } from '../../../src/api/user-tasks/user-task.errors.js';
import { UserTaskManager, waitForTask, type UserTaskRequest } from '../../../src/api/user-tasks/user-task.manager.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(
  options: Partial<{ maxActiveTasks: number; completedRetentionMs: number; maxCompletedTasks: number }> = {},
) {
  const clock = { ms: 1_000 };
  let n = 0;
  const manager = new UserTaskManager({
    maxActiveTasks: 2,
    completedRetentionMs: 60_000,
    maxCompletedTasks: 10,
    ...options,
    now: () => clock.ms,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
  return { manager, clock };
}

const rebalance: UserTaskRequest = {
  endpoint: 'REBALANCE',
  method: 'POST',
  url: '/kafkacruisecontrol/rebalance?dryrun=false',
  clientIdentity: '10.0.0.1',
};
const proposals: UserTaskRequest = {
  endpoint: 'PROPOSALS',
  method: 'GET',
  url: '/kafkacruisecontrol/proposals',
  clientIdentity: '10.0.0.2',
};

describe('UserTaskManager', () => {
  it('runs the work, reports Active then Completed, and keeps the answer for polls', async () => {
    const { manager } = setup();
    const work = deferred<string>();
    const task = manager.submit(rebalance, () => work.promise);
    expect(task.status).toBe('Active');
    expect(await waitForTask(task, 5)).toBe(false);
    work.resolve('done');
    expect(await waitForTask(task, 5)).toBe(true);
    expect(task.status).toBe('Completed');
    expect(manager.get(task.id, rebalance)).toBe(task);
    expect(task.outcome).toEqual({ ok: true, value: 'done' });
  });

  it('records a failure as CompletedWithError, synchronous throws included', async () => {
    const { manager } = setup();
    const task = manager.submit(rebalance, () => {
      throw new Error('boom');
    });
    await task.done;
    expect(task.status).toBe('CompletedWithError');
    expect(task.outcome?.ok).toBe(false);
  });

  it('reports InExecution while an execution runs', async () => {
    const { manager } = setup();
    const work = deferred<string>();
    const task = manager.submit(rebalance, async (progress) => {
      progress.step('STARTING_EXECUTION', 'starting');
      progress.inExecution();
      return work.promise;
    });
    await Promise.resolve();
    expect(task.status).toBe('InExecution');
    expect(task.steps.map((s) => s.step)).toEqual(['Pending', 'STARTING_EXECUTION']);
    work.resolve('ok');
    await task.done;
    expect(task.status).toBe('Completed');
  });

  it('refuses a task beyond the active limit, naming the limit, and accepts again once one finishes', async () => {
    const { manager } = setup({ maxActiveTasks: 2 });
    const first = deferred<string>();
    const firstTask = manager.submit(rebalance, () => first.promise);
    manager.submit(rebalance, () => new Promise<string>(() => {}));
    expect(() => manager.submit(rebalance, () => 'x')).toThrow(TooManyUserTasksError);
    expect(() => manager.submit(rebalance, () => 'x')).toThrow(/2 active user tasks.*api\.maxActiveUserTasks/);
    first.resolve('ok');
    await firstTask.done;
    expect(() => manager.submit(rebalance, () => 'x')).not.toThrow();
  });

  it('rejects an unknown id and an id polled through another endpoint', () => {
    const { manager } = setup();
    const task = manager.submit(rebalance, () => 'x');
    expect(() => manager.get('00000000-0000-4000-8000-999999999999', rebalance)).toThrow(UnknownUserTaskError);
    expect(() => manager.get(task.id, proposals)).toThrow(/belongs to POST REBALANCE, not GET PROPOSALS/);
  });

  it('forgets finished tasks after the retention time, never running ones', async () => {
    const { manager, clock } = setup({ completedRetentionMs: 60_000 });
    const done = manager.submit(rebalance, () => 'x');
    const running = manager.submit(proposals, () => new Promise<string>(() => {}));
    await done.done;
    clock.ms += 59_999;
    expect(manager.get(done.id, rebalance)).toBe(done);
    clock.ms += 1;
    expect(() => manager.get(done.id, rebalance)).toThrow(/finished more than 60000 ms ago/);
    clock.ms += 10_000_000;
    expect(manager.list().map((t) => t.id)).toEqual([running.id]);
  });

  it('keeps at most maxCompletedTasks finished tasks, dropping the oldest', async () => {
    const { manager, clock } = setup({ maxCompletedTasks: 2, maxActiveTasks: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.ms += 1;
      const task = manager.submit(rebalance, () => i);
      await task.done;
      ids.push(task.id);
    }
    expect(manager.list().map((t) => t.id)).toEqual([ids[2], ids[1]]);
  });

  it('filters by id, client, endpoint, status and entries, newest first', async () => {
    const { manager, clock } = setup({ maxActiveTasks: 10 });
    const a = manager.submit(rebalance, () => 'a');
    clock.ms += 1;
    const b = manager.submit(proposals, () => new Promise<string>(() => {}));
    clock.ms += 1;
    const c = manager.submit(proposals, () => 'c');
    await Promise.all([a.done, c.done]);
    expect(manager.list().map((t) => t.id)).toEqual([c.id, b.id, a.id]);
    expect(manager.list({ userTaskIds: [a.id] }).map((t) => t.id)).toEqual([a.id]);
    expect(manager.list({ clientIds: ['10.0.0.1'] }).map((t) => t.id)).toEqual([a.id]);
    expect(manager.list({ endpoints: ['proposals'] }).map((t) => t.id)).toEqual([c.id, b.id]);
    expect(manager.list({ statuses: ['Active'] }).map((t) => t.id)).toEqual([b.id]);
    expect(manager.list({ entries: 1 }).map((t) => t.id)).toEqual([c.id]);
  });
});
