// Cruise Control's GET /proposals: the optimization proposal for the current workload (a dry run;
// nothing is executed), on the same path as the operation endpoints.
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { proposalsRequest } from './operation-requests.js';
import { OperationRequestService } from './operation-request.service.js';

@Controller('kafkacruisecontrol')
export class ProposalsController {
  constructor(private readonly requests: OperationRequestService) {}

  @Get('proposals')
  async proposals(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const r = proposalsRequest(query);
    return this.requests.handle(r, request, response);
  }
}
