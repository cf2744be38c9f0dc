// Cruise Control's operation endpoints: POST /rebalance, /add_broker, /remove_broker,
// /fix_offline_replicas, /remove_disks, /demote_broker and /topic_configuration (dryrun=true by
// default: the proposal only), and POST /stop_proposal_execution. Each parses its query and makes
// one call; progress of an execution is in the executor part of GET /state.
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENDPOINTS } from './endpoints.js';
import {
  addBrokerRequest,
  demoteBrokerRequest,
  fixOfflineReplicasRequest,
  rebalanceRequest,
  removeBrokerRequest,
  removeDisksRequest,
  topicConfigurationRequest,
} from './operation-requests.js';
import { OperationRequestService } from './operation-request.service.js';
import { parseQuery } from './query-params.js';
import type { ReviewResultJson } from './review/review.responses.js';

type Query = Record<string, unknown>;

@Controller('kafkacruisecontrol')
export class ExecutionController {
  constructor(private readonly requests: OperationRequestService) {}

  @Post('rebalance')
  async rebalance(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = rebalanceRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('add_broker')
  async addBroker(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = addBrokerRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('remove_broker')
  async removeBroker(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = removeBrokerRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('fix_offline_replicas')
  async fixOfflineReplicas(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = fixOfflineReplicasRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('remove_disks')
  async removeDisks(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = removeDisksRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('demote_broker')
  async demoteBroker(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = demoteBrokerRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('topic_configuration')
  async topicConfiguration(@Query() query: Query, @Req() request: Request, @Res() response: Response): Promise<void> {
    const r = topicConfigurationRequest(query);
    return this.requests.handle(r, request, response);
  }

  @Post('stop_proposal_execution')
  @HttpCode(200)
  async stop(
    @Query() query: Query,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ version: 1; message: string } | ReviewResultJson | string> {
    const p = parseQuery(
      'POST /kafkacruisecontrol/stop_proposal_execution',
      ENDPOINTS.stop_proposal_execution.params,
      query,
    );
    return this.requests.stop(p, request, response);
  }
}
