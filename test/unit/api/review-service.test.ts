// Two-step verification over (fake) HTTP: a reviewed POST is held instead of acting, review and
// review_board decide and list, and the submit with review_id runs exactly the reviewed request, once.
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { lastValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InvalidParameterError, TwoStepVerificationDisabledError } from '../../../src/api/api.errors.js';
import { ReviewController } from '../../../src/api/review.controller.js';
import { ReviewInterceptor } from '../../../src/api/review/review.interceptor.js';
import type { ReviewResultJson } from '../../../src/api/review/review.responses.js';
import { ReviewService } from '../../../src/api/review/review.service.js';
import { ReviewStateError, UnknownReviewError } from '../../../src/api/review/review.errors.js';
import type { BallastConfig } from '../../../src/config/index.js';
import { validateReviewResult } from '../../support/review-schema.js';

function service(enabled: boolean): ReviewService {
  return new ReviewService({
    api: { twoStepVerification: { enabled, reviewRetentionMs: 60_000, maxReviews: 25 } },
  } as BallastConfig);
}

function fakeRequest(method: string, url: string, userTaskId?: string): Request {
  const [path, search] = url.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search ?? '')) {
    const before = query[k];
    query[k] = before === undefined ? v : [...(Array.isArray(before) ? before : [before]), v];
  }
  return {
    method,
    path,
    query,
    ip: '10.0.0.7',
    header: (name: string) => (name.toLowerCase() === 'user-task-id' ? userTaskId : undefined),
  } as unknown as Request;
}

function fakeResponse(userTaskId?: string): Response {
  const res = {
    contentType: undefined as string | undefined,
    type(t: string) {
      res.contentType = t;
      return res;
    },
    getHeader: (name: string) => (name.toLowerCase() === 'user-task-id' ? userTaskId : undefined),
  };
  return res as unknown as Response;
}

function context(request: Request, response: Response): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

/** Runs `request` through the interceptor; resolves to the query the controller would read. */
async function intercept(reviews: ReviewService, request: Request, response = fakeResponse()): Promise<unknown> {
  const next: CallHandler = { handle: () => of(request.query) };
  return lastValueFrom(new ReviewInterceptor(reviews).intercept(context(request, response), next));
}

/** A POST the controller found valid, held for review; returns its review id. */
function hold(reviews: ReviewService, url: string): number {
  const request = fakeRequest('POST', url);
  const answer = reviews.hold('rebalance', request, fakeResponse(), true) as ReviewResultJson;
  expect(validateReviewResult(answer), validateReviewResult.errors()).toBe(true);
  return answer.RequestInfo[0]!.Id;
}

describe('two-step verification off (the default)', () => {
  const reviews = service(false);

  it('lets every request act, and refuses review_id, review and review_board naming why', async () => {
    expect(reviews.hold('rebalance', fakeRequest('POST', '/kafkacruisecontrol/rebalance'), fakeResponse(), true)).toBe(
      undefined,
    );
    await expect(intercept(reviews, fakeRequest('POST', '/kafkacruisecontrol/rebalance?review_id=0'))).rejects.toThrow(
      /'review_id' submits a reviewed request, but two-step verification is off/,
    );
    const controller = new ReviewController(reviews);
    expect(() => controller.reviewBoard({}, fakeResponse())).toThrow(TwoStepVerificationDisabledError);
    expect(() => controller.review({ approve: '0' }, fakeResponse())).toThrow(TwoStepVerificationDisabledError);
  });

  it('passes requests without review_id, and GETs, through untouched', async () => {
    const request = fakeRequest('POST', '/kafkacruisecontrol/rebalance?dryrun=true');
    expect(await intercept(reviews, request)).toEqual({ dryrun: 'true' });
    expect(await intercept(reviews, fakeRequest('GET', '/kafkacruisecontrol/state?review_id=1'))).toEqual({
      review_id: '1',
    });
  });
});

describe('two-step verification on', () => {
  it('holds a request as PENDING_REVIEW, answering in JSON or as text', () => {
    const reviews = service(true);
    const response = fakeResponse();
    const text = reviews.hold(
      'pause_sampling',
      fakeRequest('POST', '/kafkacruisecontrol/pause_sampling?reason=x'),
      response,
      false,
    );
    expect(text).toMatch(
      /^ID\s+SUBMITTER ADDRESS.*\n0\s+10\.0\.0\.7\s+\S+\s+PENDING_REVIEW\s+POST \/kafkacruisecontrol\/pause_sampling\?reason=x\s+Awaiting review\.\n$/,
    );
    expect((response as unknown as { contentType: string }).contentType).toBe('text/plain');
  });

  it('runs an approved review exactly as reviewed, once; polls of its user task still pass', async () => {
    const reviews = service(true);
    const controller = new ReviewController(reviews);
    const id = hold(reviews, '/kafkacruisecontrol/rebalance?dryrun=false&replication_throttle=1000&json=false');
    const submitUrl = `/kafkacruisecontrol/rebalance?review_id=${id}`;
    await expect(intercept(reviews, fakeRequest('POST', submitUrl))).rejects.toThrow(/still PENDING_REVIEW/);

    const approved = controller.review({ approve: String(id), reason: 'checked', json: 'true' }, fakeResponse());
    expect(validateReviewResult(approved), validateReviewResult.errors()).toBe(true);
    expect(approved).toMatchObject({ RequestInfo: [{ Id: id, Status: 'APPROVED', Reason: 'checked' }] });

    // Different parameters are refused, naming the parameter, and leave the review APPROVED.
    for (const [extra, parameter] of [
      ['dryrun=true', 'dryrun'],
      ['goals=RackAwareGoal', 'goals'],
      ['replication_throttle=2000', 'replication_throttle'],
    ] as const) {
      const error = await intercept(reviews, fakeRequest('POST', `${submitUrl}&${extra}`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect(error).toMatchObject({ parameter });
    }
    expect(reviews.board.get(id).status).toBe('APPROVED');

    // The same parameters again, or only json, are the same request.
    const submit = fakeRequest('POST', `${submitUrl}&DRYRUN=false&json=true`);
    expect(await intercept(reviews, submit, fakeResponse('task-1'))).toEqual({
      dryrun: 'false',
      replication_throttle: '1000',
      json: 'true',
    });
    expect(reviews.hold('rebalance', submit, fakeResponse(), true)).toBe(undefined);
    expect(reviews.board.get(id)).toMatchObject({ status: 'SUBMITTED', userTaskId: 'task-1' });

    await expect(intercept(reviews, fakeRequest('POST', submitUrl))).rejects.toThrow(ReviewStateError);
    await expect(intercept(reviews, fakeRequest('POST', submitUrl, 'task-2'))).rejects.toThrow(/already submitted/);
    expect(await intercept(reviews, fakeRequest('POST', submitUrl, 'task-1'))).toMatchObject({ dryrun: 'false' });
  });

  it('refuses a discarded review, an unknown one, another endpoint and malformed review ids', async () => {
    const reviews = service(true);
    const controller = new ReviewController(reviews);
    const id = hold(reviews, '/kafkacruisecontrol/rebalance?dryrun=false');
    const discarded = controller.review({ discard: String(id), json: 'true' }, fakeResponse());
    expect(discarded).toMatchObject({ RequestInfo: [{ Id: id, Status: 'DISCARDED', Reason: 'Discarded.' }] });
    await expect(
      intercept(reviews, fakeRequest('POST', `/kafkacruisecontrol/rebalance?review_id=${id}`)),
    ).rejects.toThrow(/DISCARDED/);
    await expect(intercept(reviews, fakeRequest('POST', '/kafkacruisecontrol/rebalance?review_id=9'))).rejects.toThrow(
      UnknownReviewError,
    );
    const other = hold(reviews, '/kafkacruisecontrol/rebalance?dryrun=true');
    controller.review({ approve: String(other) }, fakeResponse());
    await expect(
      intercept(reviews, fakeRequest('POST', `/kafkacruisecontrol/add_broker?review_id=${other}`)),
    ).rejects.toThrow(/holds a rebalance request, not add_broker/);
    for (const bad of ['-1', 'x', '1.5', '99999999999']) {
      await expect(
        intercept(reviews, fakeRequest('POST', `/kafkacruisecontrol/rebalance?review_id=${bad}`)),
      ).rejects.toThrow(/'review_id' must be an integer/);
    }
    await expect(
      intercept(reviews, fakeRequest('POST', `/kafkacruisecontrol/rebalance?review_id=${other}&review_id=${other}`)),
    ).rejects.toThrow(/more than once/);
    expect(reviews.board.get(other).status).toBe('APPROVED');
  });

  it('review and review_board validate their parameters and list reviews', () => {
    const reviews = service(true);
    const controller = new ReviewController(reviews);
    hold(reviews, '/kafkacruisecontrol/rebalance');
    hold(reviews, '/kafkacruisecontrol/rebalance?dryrun=false');
    const board = controller.reviewBoard({ json: 'true' }, fakeResponse());
    expect(validateReviewResult(board), validateReviewResult.errors()).toBe(true);
    expect((board as ReviewResultJson).RequestInfo.map((r) => r.Id)).toEqual([0, 1]);
    expect(controller.reviewBoard({ json: 'true', review_ids: '1' }, fakeResponse())).toMatchObject({
      RequestInfo: [{ Id: 1 }],
    });
    expect(() => controller.review({}, fakeResponse())).toThrow(/'approve' or 'discard' is required/);
    expect(() => controller.review({ approve: '0', discard: '0' }, fakeResponse())).toThrow(
      /both approved and discarded/,
    );
    expect(() => controller.review({ approve: '5' }, fakeResponse())).toThrow(UnknownReviewError);
    expect(() => controller.reviewBoard({ review_ids: '-1' }, fakeResponse())).toThrow(InvalidParameterError);
    expect(reviews.board.list().map((r) => r.status)).toEqual(['PENDING_REVIEW', 'PENDING_REVIEW']);
  });
});
