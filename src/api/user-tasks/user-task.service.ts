// Runs a Cruise Control async request as a user task: waits up to api.userTaskBlockMs for the
// answer, else replies 202 with the progress; a request carrying `User-Task-ID` polls that task.
// Every answer carries the `User-Task-ID` header, as Cruise Control's do.
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BallastConfig } from '../../config/index.js';
import type { CruiseControlEndpoint } from '../endpoints.js';
import { UserTaskManager, type UserTask, type UserTaskProgress } from './user-task.manager.js';
import { progressResult, progressResultText } from './user-task.responses.js';

export const USER_TASK_ID_HEADER = 'User-Task-ID';

/** A controller's answer: JSON for an object, plain text for a string. */
export type ApiAnswer = object | string;

@Injectable()
export class UserTaskService {
  readonly manager: UserTaskManager;

  constructor(private readonly config: BallastConfig) {
    this.manager = new UserTaskManager({
      maxActiveTasks: config.api.maxActiveUserTasks,
      completedRetentionMs: config.api.completedUserTaskRetentionMs,
      maxCompletedTasks: config.api.maxCompletedUserTasks,
    });
  }

  /**
   * Answers `request` with the outcome of `work`, started now or (with the header) earlier.
   * Errors of the work are thrown here, so the exception filter maps them as for a synchronous request.
   */
  async respond(
    endpoint: CruiseControlEndpoint,
    json: boolean,
    request: Request,
    response: Response,
    work: (progress: UserTaskProgress) => ApiAnswer | Promise<ApiAnswer>,
  ): Promise<void> {
    const name = endpoint.toUpperCase();
    const pollId = request.header(USER_TASK_ID_HEADER)?.trim();
    // The block timer is armed before the work may start, and the work starts on a later timer:
    // the optimizer is synchronous, so a timer armed after it would always lose to an answer that
    // is in fact late. This way a block time shorter than the timer tick answers 202 first.
    const blocked = blockFor(this.config.api.userTaskBlockMs);
    try {
      const task =
        pollId !== undefined && pollId !== ''
          ? this.manager.get(pollId, { endpoint: name, method: request.method })
          : this.manager.submit(
              {
                endpoint: name,
                method: request.method,
                url: request.originalUrl,
                clientIdentity: request.ip ?? 'unknown',
              },
              async (progress) => {
                await new Promise((resolve) => setTimeout(resolve, 0));
                return work(progress);
              },
            );
      response.setHeader(USER_TASK_ID_HEADER, task.id);
      await this.answer(task, json, response, blocked.promise);
    } finally {
      blocked.cancel();
    }
  }

  private async answer(task: UserTask, json: boolean, response: Response, blocked: Promise<false>): Promise<void> {
    const finished = task.active ? await Promise.race([task.done.then(() => true as const), blocked]) : true;
    if (!finished) {
      const progress = progressResult(task, Date.now());
      send(response, 202, json ? progress : progressResultText(progress, task.id));
      return;
    }
    const outcome = (task as UserTask<ApiAnswer>).outcome!;
    if (!outcome.ok) throw outcome.error;
    send(response, 200, outcome.value);
  }
}

/** A promise that resolves false after `blockMs`, and the way to clear its timer. */
function blockFor(blockMs: number): { promise: Promise<false>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), blockMs);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function send(response: Response, status: number, body: ApiAnswer): void {
  if (typeof body === 'string') response.status(status).type('text/plain').send(body);
  else response.status(status).json(body);
}
