// Cruise Control's GET /kafkacruisecontrol/user_tasks: the async requests Ballast still keeps.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidParameterError } from '../api.errors.js';
import { CRUISE_CONTROL_ENDPOINTS } from '../endpoints.js';
import { parseQuery } from '../query-params.js';
import type { UserTaskFilter, UserTaskStatus } from './user-task.manager.js';
import { userTaskState, userTaskStateText, type UserTaskStateJson } from './user-task.responses.js';
import { UserTaskService } from './user-task.service.js';

/** The spec's `types` values, and the status each names. */
const TYPES: Record<string, UserTaskStatus> = {
  active: 'Active',
  in_execution: 'InExecution',
  completed: 'Completed',
  completed_with_error: 'CompletedWithError',
};

export const USER_TASKS_PARAMS = {
  client_ids: { kind: 'string' },
  endpoints: { kind: 'enumList', values: CRUISE_CONTROL_ENDPOINTS },
  entries: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  types: { kind: 'enumList', values: Object.keys(TYPES) },
  user_task_ids: { kind: 'string' },
  json: { kind: 'boolean', default: false },
  fetch_completed_task: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

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
      statuses: p.types?.map((t) => TYPES[t]!),
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
