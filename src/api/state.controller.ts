// Cruise Control's GET /kafkacruisecontrol/state.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseQuery } from './query-params.js';
import { UserTaskService } from './user-tasks/user-task.service.js';
import { StateService, SUBSTATES, type CruiseControlState, type Substate } from './state.service.js';

export const STATE_PARAMS = {
  substates: { kind: 'enumList', values: SUBSTATES },
  json: { kind: 'boolean', default: false },
  verbose: { kind: 'boolean', default: false },
  super_verbose: { kind: 'boolean', default: false },
  get_response_schema: { kind: 'boolean', default: false },
  doas: { kind: 'string' },
  reason: { kind: 'string' },
} as const;

@Controller('kafkacruisecontrol')
export class StateController {
  constructor(
    private readonly stateService: StateService,
    private readonly userTasks: UserTaskService,
  ) {}

  @Get('state')
  async state(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const params = parseQuery('GET /kafkacruisecontrol/state', STATE_PARAMS, query);
    return this.userTasks.respond('state', params.json, request, response, (): CruiseControlState | string => {
      const state = this.stateService.state(params.substates as Substate[] | undefined);
      return params.json ? state : this.stateService.toText(state);
    });
  }
}
