// The API side of every operation endpoint: hold it for review when two-step verification is on,
// run it as a user task on the operations' path, and answer with Cruise Control's
// OptimizationResult. Refusals are told as the HTTP parameter the client sent.
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UnknownBrokerError, UnknownLogDirError, type BrokerRole } from '../analyzer/index.js';
import { OperationService, type OperationProgress } from '../operations/index.js';
import type { CruiseControlEndpoint } from './endpoints.js';
import type { OperationRequest } from './operation-requests.js';
import { optimizationResult, optimizationResultText, type OptimizationResultJson } from './optimization-result.js';
import type { ReviewResultJson } from './review/review.responses.js';
import { ReviewService } from './review/review.service.js';
import { UserTaskService } from './user-tasks/user-task.service.js';

/** The request parameter that names each kind of broker an operation takes. */
const BROKER_PARAMETER: Readonly<Record<BrokerRole, string>> = {
  brokers: 'brokerid',
  destinationBrokers: 'destination_broker_ids',
  excludedBrokers: 'excluded_broker_ids',
  logDirBrokers: 'brokerid_and_logdirs',
};

@Injectable()
export class OperationRequestService {
  constructor(
    private readonly operations: OperationService,
    private readonly userTasks: UserTaskService,
    private readonly reviews: ReviewService,
  ) {}

  /** Answers an operation endpoint's request (already validated): its review, or its user task's outcome. */
  async handle(r: OperationRequest, request: Request, response: Response): Promise<void> {
    if (this.held(r.endpoint, r.answer.json, request, response)) return;
    return this.userTasks.respond(r.endpoint, r.answer.json, request, response, (task) => this.answer(r, task));
  }

  /** Stops the running execution (POST /stop_proposal_execution), unless held for review. */
  async stop(
    p: { json: boolean; reason?: string },
    request: Request,
    response: Response,
  ): Promise<{ version: 1; message: string } | ReviewResultJson | string> {
    const review = this.reviews.hold('stop_proposal_execution', request, response, p.json);
    if (review !== undefined) return review;
    const record = await this.operations.stop(p.reason ?? 'stop_proposal_execution');
    const message =
      record === null
        ? 'No proposal execution in progress.'
        : `Proposal execution ${record.id} is stopping: pending moves dropped, moves in flight cancelled where all original replicas are alive, throttles removed.`;
    if (p.json) return { version: 1, message };
    response.type('text/plain');
    return `${message}\n`;
  }

  /** With two-step verification on, answers the request's new review instead of acting; true when it did. */
  private held(endpoint: CruiseControlEndpoint, json: boolean, request: Request, response: Response): boolean {
    const review = this.reviews.hold(endpoint, request, response, json);
    if (review === undefined) return false;
    if (typeof review === 'string') response.status(200).send(review);
    else response.status(200).json(review);
    return true;
  }

  private async answer(r: OperationRequest, task: OperationProgress): Promise<OptimizationResultJson | string> {
    try {
      const { proposal } = await this.operations.run(r.operation, r.run, task);
      const { excludedTopics } = r.answer;
      const json = optimizationResult(proposal, {
        verbose: r.answer.verbose,
        excludedTopics: excludedTopics
          ? proposal.before.model.tables.topicNames.filter((t) => excludedTopics.test(t))
          : [],
        replicationThrottle: r.answer.replicationThrottle,
      });
      return r.answer.json ? json : optimizationResultText(json);
    } catch (error) {
      throw asParameterError(error);
    }
  }
}

/** The analyzer's refusals of brokers and log dirs, told as the parameter that named them. */
function asParameterError(error: unknown): unknown {
  if (error instanceof UnknownBrokerError && error.parameter === undefined)
    return error.forParameter(BROKER_PARAMETER[error.role]);
  if (error instanceof UnknownLogDirError && error.parameter === undefined)
    return error.forParameter('brokerid_and_logdirs');
  return error;
}
