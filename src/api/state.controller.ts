// Cruise Control's GET /kafkacruisecontrol/state.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseQuery } from './query-params.js';
import { UserTaskService } from './user-tasks/user-task.service.js';
import { STATE_PARAMS } from './endpoint-params.js';
import { StateService, type CruiseControlState, type Substate } from './state.service.js';

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
