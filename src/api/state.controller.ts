// Cruise Control's GET /kafkacruisecontrol/state.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseQuery } from './query-params.js';
import { StateService, SUBSTATES, type CruiseControlState, type Substate } from './state.service.js';

const STATE_PARAMS = {
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
  constructor(private readonly stateService: StateService) {}

  @Get('state')
  state(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): CruiseControlState | string {
    const params = parseQuery('GET /kafkacruisecontrol/state', STATE_PARAMS, query);
    const state = this.stateService.state(params.substates as Substate[] | undefined);
    if (params.json) return state;
    response.type('text/plain');
    return this.stateService.toText(state);
  }
}
