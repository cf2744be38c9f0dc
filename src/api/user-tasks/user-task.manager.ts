// Cruise Control's user tasks, without HTTP: every async request becomes a task with a UUID that
// the client can poll; finished tasks keep their answer for a while. Time and ids are injected so
// tests drive retention with a fake clock.
import { randomUUID } from 'node:crypto';
import { TooManyUserTasksError, UnknownUserTaskError } from './user-task.errors.js';

/** Cruise Control's task states, spelled as its `user_tasks` answer spells them. */
export const USER_TASK_STATUSES = ['Active', 'InExecution', 'Completed', 'CompletedWithError'] as const;
export type UserTaskStatus = (typeof USER_TASK_STATUSES)[number];

/** What a task remembers of the request that started it. */
export interface UserTaskRequest {
  /** Cruise Control's endpoint name, upper case: `REBALANCE`, `PROPOSALS`, … */
  endpoint: string;
  /** `GET` or `POST`. */
  method: string;
  /** The request path and query, as the client sent them. */
  url: string;
  /** Who asked: the client address until requests are authenticated. */
  clientIdentity: string;
}

/** One step of a task's progress, as Cruise Control reports it in a 202 answer. */
export interface UserTaskStep {
  step: string;
  description: string;
  startMs: number;
}

/** How the work of a task reports what it is doing. */
export interface UserTaskProgress {
  /** Starts a new step; the previous one counts as done. */
  step(step: string, description: string): void;
  /** The task now runs an execution on the cluster (status InExecution). */
  inExecution(): void;
}

export type UserTaskOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class UserTask<T = unknown> implements UserTaskProgress {
  status: UserTaskStatus = 'Active';
  /** Set once the work has settled. */
  outcome: UserTaskOutcome<T> | undefined;
  completedMs: number | undefined;
  readonly steps: UserTaskStep[] = [];
  /** Settles (never rejects) when the work does. */
  readonly done: Promise<void>;

  constructor(
    readonly id: string,
    readonly request: UserTaskRequest,
    readonly startMs: number,
    private readonly now: () => number,
    work: (progress: UserTaskProgress) => T | Promise<T>,
  ) {
    this.steps.push({ step: 'Pending', description: 'The request has started.', startMs });
    // Run the work at once, inside a promise, so a synchronous throw becomes an outcome too.
    this.done = new Promise<T>((resolve) => resolve(work(this))).then(
      (value) => this.finish({ ok: true, value }),
      (error: unknown) => this.finish({ ok: false, error }),
    );
  }

  step(step: string, description: string): void {
    this.steps.push({ step, description, startMs: this.now() });
  }

  inExecution(): void {
    if (this.outcome === undefined) this.status = 'InExecution';
  }

  get active(): boolean {
    return this.outcome === undefined;
  }

  private finish(outcome: UserTaskOutcome<T>): void {
    this.outcome = outcome;
    this.completedMs = this.now();
    this.status = outcome.ok ? 'Completed' : 'CompletedWithError';
  }
}

export interface UserTaskManagerOptions {
  /** Most tasks running at once. */
  maxActiveTasks: number;
  /** How long a finished task stays pollable. */
  completedRetentionMs: number;
  /** Most finished tasks kept; the oldest go first. */
  maxCompletedTasks: number;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue crypto.randomUUID */
  newId?: () => string;
}

/** Filters of Cruise Control's GET /user_tasks; an absent filter matches everything. */
export interface UserTaskFilter {
  userTaskIds?: readonly string[];
  clientIds?: readonly string[];
  /** Endpoint names, any case. */
  endpoints?: readonly string[];
  statuses?: readonly UserTaskStatus[];
  /** Most tasks returned, newest first. */
  entries?: number;
}

export class UserTaskManager {
  private readonly tasks = new Map<string, UserTask>();
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: UserTaskManagerOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  /** Starts `work` as a new task. Throws TooManyUserTasksError when the active limit is reached. */
  submit<T>(request: UserTaskRequest, work: (progress: UserTaskProgress) => T | Promise<T>): UserTask<T> {
    this.purge();
    const active = [...this.tasks.values()].filter((t) => t.active).length;
    if (active >= this.options.maxActiveTasks) throw new TooManyUserTasksError(this.options.maxActiveTasks);
    const task = new UserTask(this.newId(), request, this.now(), this.now, work);
    this.tasks.set(task.id, task);
    return task;
  }

  /**
   * The task a poll names. Throws UnknownUserTaskError when Ballast keeps no such task, or when it
   * was started by another endpoint (a poll repeats the original request).
   */
  get(id: string, request: Pick<UserTaskRequest, 'endpoint' | 'method'>): UserTask {
    this.purge();
    const task = this.tasks.get(id);
    if (task === undefined) {
      throw new UnknownUserTaskError(
        id,
        `No user task ${id}: it never existed or finished more than ${this.options.completedRetentionMs} ms ago (api.completedUserTaskRetentionMs). Send the request without the User-Task-ID header to start a new one`,
      );
    }
    if (task.request.endpoint !== request.endpoint || task.request.method !== request.method) {
      throw new UnknownUserTaskError(
        id,
        `User task ${id} belongs to ${task.request.method} ${task.request.endpoint}, not ${request.method} ${request.endpoint}: poll by repeating the original request`,
      );
    }
    return task;
  }

  /** Kept tasks matching `filter`, newest first. */
  list(filter: UserTaskFilter = {}): UserTask[] {
    this.purge();
    const endpoints = filter.endpoints?.map((e) => e.toUpperCase());
    // Newest first; among tasks started in the same millisecond, the later submitted first.
    return [...this.tasks.values()]
      .reverse()
      .filter((t) => filter.userTaskIds?.includes(t.id) ?? true)
      .filter((t) => filter.clientIds?.includes(t.request.clientIdentity) ?? true)
      .filter((t) => endpoints?.includes(t.request.endpoint) ?? true)
      .filter((t) => filter.statuses?.includes(t.status) ?? true)
      .sort((a, b) => b.startMs - a.startMs)
      .slice(0, filter.entries ?? Number.MAX_SAFE_INTEGER);
  }

  /** Drops finished tasks past their retention time, then the oldest beyond the count limit. */
  private purge(): void {
    const now = this.now();
    const finished: UserTask[] = [];
    for (const task of this.tasks.values()) {
      if (task.completedMs === undefined) continue;
      if (now - task.completedMs >= this.options.completedRetentionMs) this.tasks.delete(task.id);
      else finished.push(task);
    }
    finished.sort((a, b) => a.completedMs! - b.completedMs!);
    for (const task of finished.slice(0, Math.max(0, finished.length - this.options.maxCompletedTasks))) {
      this.tasks.delete(task.id);
    }
  }
}

/** Resolves true once `task` has finished, or false after `blockMs` if it has not. */
export async function waitForTask(task: UserTask, blockMs: number): Promise<boolean> {
  if (!task.active) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), blockMs);
  });
  try {
    return await Promise.race([task.done.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
