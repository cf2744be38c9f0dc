// Runs a Cruise Control async request as a user task: waits up to api.userTaskBlockMs for the
// answer, else replies 202 with the progress; a request carrying `User-Task-ID` polls that task.
// Every answer carries the `User-Task-ID` header, as Cruise Control's do.
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BallastConfig } from '../../config/index.js';
import type { CruiseControlEndpoint } from '../endpoints.js';
import { UserTaskManager, waitForTask, type UserTask, type UserTaskProgress } from './user-task.manager.js';
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
            work,
          );
    response.setHeader(USER_TASK_ID_HEADER, task.id);
    if (!(await waitForTask(task, this.config.api.userTaskBlockMs))) {
      const progress = progressResult(task, Date.now());
      send(response, 202, json ? progress : progressResultText(progress, task.id));
      return;
    }
    const outcome = (task as UserTask<ApiAnswer>).outcome!;
    if (!outcome.ok) throw outcome.error;
    send(response, 200, outcome.value);
  }
}

function send(response: Response, status: number, body: ApiAnswer): void {
  if (typeof body === 'string') response.status(status).type('text/plain').send(body);
  else response.status(status).json(body);
}
