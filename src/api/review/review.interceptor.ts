// Two-step verification's submit step: a POST to a reviewed endpoint that carries review_id is
// the approved request, to be run exactly as it was reviewed. Before the controller reads its
// parameters, this swaps the request's query for the reviewed one (the controller then validates
// and runs it as any request), and afterwards remembers the user task the submit started.
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { InvalidParameterError } from '../api.errors.js';
import { REVIEWED_ENDPOINTS, type CruiseControlEndpoint } from '../endpoints.js';
import { parseQuery } from '../query-params.js';
import { USER_TASK_ID_HEADER } from '../user-tasks/user-task.service.js';
import { ReviewService } from './review.service.js';

const REVIEW_ID = { review_id: { kind: 'integer', min: 0, max: 2_147_483_647 } } as const;

@Injectable()
export class ReviewInterceptor implements NestInterceptor {
  constructor(private readonly reviews: ReviewService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const endpoint = reviewedEndpoint(request);
    const entry = Object.entries(request.query).find(([name]) => name.toLowerCase() === 'review_id');
    if (endpoint === undefined || entry === undefined) return next.handle();
    const [name, raw] = entry;
    if (!this.reviews.enabled) {
      throw new InvalidParameterError(
        name,
        `Parameter '${name}' submits a reviewed request, but two-step verification is off (api.twoStepVerification.enabled): send the request without it`,
      );
    }
    if (typeof raw !== 'string') throw new InvalidParameterError(name, `Parameter '${name}' is given more than once`);
    const { review_id: reviewId } = parseQuery(`POST /kafkacruisecontrol/${endpoint}`, REVIEW_ID, { review_id: raw });
    const pollId = request.header(USER_TASK_ID_HEADER)?.trim();
    const query = this.reviews.submit(endpoint, request, reviewId!, pollId === '' ? undefined : pollId);
    // Express 5 parses `query` anew on every read through a getter; an own property shadows it.
    Object.defineProperty(request, 'query', { value: query, writable: true, configurable: true, enumerable: true });
    return next.handle().pipe(
      finalize(() => {
        const userTaskId = response.getHeader(USER_TASK_ID_HEADER);
        this.reviews.afterSubmit(request, typeof userTaskId === 'string' ? userTaskId : undefined);
      }),
    );
  }
}

/** The reviewed endpoint a POST goes to, if any (routes match case-insensitively). */
function reviewedEndpoint(request: Request): CruiseControlEndpoint | undefined {
  if (request.method !== 'POST') return undefined;
  const match = /^\/kafkacruisecontrol\/([^/]+)\/?$/i.exec(request.path);
  const name = match?.[1]?.toLowerCase();
  return REVIEWED_ENDPOINTS.find((e) => e === name);
}
