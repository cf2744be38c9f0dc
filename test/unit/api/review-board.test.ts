// The review board's state machine: PENDING_REVIEW → APPROVED → SUBMITTED (once), or DISCARDED;
// decisions that cannot apply change nothing; retention and the size limit.
import { describe, expect, it } from 'vitest';
import { ReviewBoard, type HeldRequest } from '../../../src/api/review/review-board.js';
import { ReviewStateError, UnknownReviewError } from '../../../src/api/review/review.errors.js';
import { endpointWithParams, reviewResult, reviewResultText } from '../../../src/api/review/review.responses.js';
import { validateReviewResult } from '../../support/review-schema.js';

const REBALANCE: HeldRequest = {
  endpoint: 'rebalance',
  query: { dryrun: 'false', json: 'true' },
  submitter: '10.0.0.7',
};
const PAUSE: HeldRequest = { endpoint: 'pause_sampling', query: { reason: 'maintenance' }, submitter: 'alice' };

function board(options: { retentionMs?: number; maxReviews?: number } = {}) {
  let nowMs = 1_000_000;
  const b = new ReviewBoard({
    retentionMs: options.retentionMs ?? 60_000,
    maxReviews: options.maxReviews ?? 25,
    now: () => nowMs,
  });
  return { b, advance: (ms: number) => (nowMs += ms) };
}

describe('ReviewBoard', () => {
  it('holds requests as PENDING_REVIEW with ids from 0, keeping a copy of their query', () => {
    const { b } = board();
    const query = { dryrun: 'false' };
    const first = b.add({ ...REBALANCE, query });
    query.dryrun = 'true';
    const second = b.add(PAUSE);
    expect([first.id, second.id]).toEqual([0, 1]);
    expect(first).toMatchObject({ status: 'PENDING_REVIEW', reason: 'Awaiting review.', submittedAtMs: 1_000_000 });
    expect(first.query).toEqual({ dryrun: 'false' });
    expect(b.list().map((r) => r.id)).toEqual([0, 1]);
    expect(b.list([1, 7]).map((r) => r.id)).toEqual([1]);
  });

  it('runs an approved review once: APPROVED → SUBMITTED, then only polls of its user task', () => {
    const { b } = board();
    const { id } = b.add(REBALANCE);
    expect(b.review({ approve: [id], discard: [], reason: 'looks right' })).toMatchObject([
      { id, status: 'APPROVED', reason: 'looks right' },
    ]);
    expect(b.submit(id, 'rebalance')).toMatchObject({ status: 'SUBMITTED', reason: 'Submitted after approval.' });
    b.recordUserTask(id, 'task-1');
    expect(() => b.submit(id, 'rebalance')).toThrow(/already submitted; a review runs once.*task-1/);
    expect(() => b.submit(id, 'rebalance', 'task-2')).toThrow(ReviewStateError);
    expect(b.submit(id, 'rebalance', 'task-1').status).toBe('SUBMITTED');
  });

  it('refuses to submit a review that is pending, discarded, for another endpoint, or polled before its submit', () => {
    const { b } = board();
    const pending = b.add(REBALANCE).id;
    expect(() => b.submit(pending, 'rebalance')).toThrow(/still PENDING_REVIEW: approve it/);
    const discarded = b.add(REBALANCE).id;
    b.review({ approve: [], discard: [discarded], reason: 'no' });
    expect(() => b.submit(discarded, 'rebalance')).toThrow(/DISCARDED and cannot be submitted/);
    const approved = b.add(PAUSE).id;
    b.review({ approve: [approved], discard: [], reason: 'ok' });
    expect(() => b.submit(approved, 'rebalance')).toThrow(/holds a pause_sampling request, not rebalance/);
    expect(() => b.submit(approved, 'pause_sampling', 'some-task')).toThrow(/no user task to poll/);
    expect(b.get(approved).status).toBe('APPROVED');
    expect(() => b.submit(99, 'rebalance')).toThrow(UnknownReviewError);
  });

  it('discards pending and approved reviews; SUBMITTED and DISCARDED are final', () => {
    const { b } = board();
    const a = b.add(REBALANCE).id;
    const c = b.add(REBALANCE).id;
    b.review({ approve: [c], discard: [], reason: 'ok' });
    expect(b.review({ approve: [], discard: [a, c], reason: 'changed my mind' }).map((r) => r.status)).toEqual([
      'DISCARDED',
      'DISCARDED',
    ]);
    expect(() => b.review({ approve: [a], discard: [], reason: 'again' })).toThrow(
      /Review 0 is DISCARDED and cannot become APPROVED: that status is final/,
    );
    const s = b.add(PAUSE).id;
    b.review({ approve: [s], discard: [], reason: 'ok' });
    b.submit(s, 'pause_sampling');
    expect(() => b.review({ approve: [], discard: [s], reason: 'too late' })).toThrow(
      /SUBMITTED and cannot become DISCARDED/,
    );
  });

  it('applies a decision wholly or not at all', () => {
    const { b } = board();
    const a = b.add(REBALANCE).id;
    const c = b.add(PAUSE).id;
    b.review({ approve: [], discard: [c], reason: 'no' });
    const unknown = (() => {
      try {
        b.review({ approve: [a, 42], discard: [], reason: 'yes' });
      } catch (error) {
        return error;
      }
    })();
    expect(unknown).toBeInstanceOf(UnknownReviewError);
    expect(unknown).toMatchObject({ parameter: 'approve', reviewIds: [42] });
    // a is fine, c is final: nothing moves.
    expect(() => b.review({ approve: [a, c], discard: [], reason: 'yes' })).toThrow(ReviewStateError);
    expect(() => b.review({ approve: [a], discard: [a], reason: 'both' })).toThrow(/both approved and discarded/);
    expect(b.get(a)).toMatchObject({ status: 'PENDING_REVIEW', reason: 'Awaiting review.' });
  });

  it('forgets reviews after the retention time and beyond the size limit, oldest first', () => {
    const { b, advance } = board({ retentionMs: 10_000, maxReviews: 3 });
    const first = b.add(REBALANCE).id;
    advance(6_000);
    b.add(PAUSE);
    advance(5_000);
    expect(b.list().map((r) => r.id)).toEqual([1]);
    expect(() => b.get(first)).toThrow(UnknownReviewError);
    b.add(PAUSE);
    b.add(PAUSE);
    b.add(PAUSE);
    expect(b.list().map((r) => r.id)).toEqual([2, 3, 4]);
  });
});

describe('ReviewResult answers', () => {
  it('list every review in Cruise Control shape, valid against the spec, and as a text table', () => {
    const { b } = board();
    b.add(REBALANCE);
    b.add(PAUSE);
    const json = reviewResult(b.list());
    expect(validateReviewResult(json), validateReviewResult.errors()).toBe(true);
    expect(json.RequestInfo[0]).toEqual({
      Id: 0,
      SubmitterAddress: '10.0.0.7',
      SubmissionTimeMs: 1_000_000,
      Status: 'PENDING_REVIEW',
      EndpointWithParams: 'POST /kafkacruisecontrol/rebalance?dryrun=false&json=true',
      Reason: 'Awaiting review.',
    });
    const text = reviewResultText(json);
    expect(text.split('\n')[0]).toMatch(
      /^ID\s+SUBMITTER ADDRESS\s+SUBMISSION TIME\s+STATUS\s+ENDPOINT WITH PARAMS\s+REASON$/,
    );
    expect(text).toContain('PENDING_REVIEW  POST /kafkacruisecontrol/pause_sampling?reason=maintenance');
    expect(reviewResultText(reviewResult([]))).toBe('No reviews.\n');
    expect(endpointWithParams({ endpoint: 'admin', query: {} })).toBe('POST /kafkacruisecontrol/admin');
  });

  it('are told apart from malformed ones by the validator', () => {
    expect(validateReviewResult({ version: 1, RequestInfo: [{ Id: 'x' }] })).toBe(false);
    expect(validateReviewResult({ version: 1, RequestInfo: { Id: 1 } })).toBe(false);
  });
});
