// Cruise Control's GET /kafkacruisecontrol/user_tasks: the async requests Ballast still keeps.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidParameterError } from '../api.errors.js';
import { USER_TASK_TYPES, USER_TASKS_PARAMS } from '../endpoint-params.js';
import { parseQuery } from '../query-params.js';
import type { UserTaskFilter } from './user-task.manager.js';
import { userTaskState, userTaskStateText, type UserTaskStateJson } from './user-task.responses.js';
import { UserTaskService } from './user-task.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filter a user_tasks query asks for; throws InvalidParameterError naming a bad parameter. */
export function userTaskQuery(query: Record<string, unknown>): {
  filter: UserTaskFilter;
  json: boolean;
  fetchCompletedTask: boolean;
} {
  const p = parseQuery('GET /kafkacruisecontrol/user_tasks', USER_TASKS_PARAMS, query);
  const userTaskIds = list(p.user_task_ids);
  const bad = userTaskIds?.find((id) => !UUID.test(id));
  if (bad !== undefined) {
    throw new InvalidParameterError('user_task_ids', `Parameter 'user_task_ids' has '${bad}', which is not a UUID`);
  }
  return {
    filter: {
      userTaskIds: userTaskIds?.map((id) => id.toLowerCase()),
      clientIds: list(p.client_ids),
      endpoints: p.endpoints,
      statuses: p.types?.map((t) => USER_TASK_TYPES[t]!),
      entries: p.entries,
    },
    json: p.json,
    fetchCompletedTask: p.fetch_completed_task,
  };
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items.length > 0 ? items : undefined;
}

@Controller('kafkacruisecontrol')
export class UserTasksController {
  constructor(private readonly userTasks: UserTaskService) {}

  @Get('user_tasks')
  userTasksState(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): UserTaskStateJson | string {
    const q = userTaskQuery(query);
    const json = userTaskState(this.userTasks.manager.list(q.filter), q.fetchCompletedTask);
    if (q.json) return json;
    response.type('text/plain');
    return userTaskStateText(json);
  }
}
