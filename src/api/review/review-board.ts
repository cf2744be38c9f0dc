// The review board of two-step verification, without HTTP: requests held for review and the
// moves between their states (PENDING_REVIEW → APPROVED → SUBMITTED, or → DISCARDED), as Cruise
// Control's purgatory keeps them. In memory only: a restart of Ballast forgets every review.
// Time is injected so tests drive retention with a fake clock.
import { ReviewStateError, UnknownReviewError } from './review.errors.js';

/** Cruise Control's review states, spelled as its review_board answer spells them. */
export const REVIEW_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'SUBMITTED', 'DISCARDED'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The moves a review may make; SUBMITTED and DISCARDED are final. */
const NEXT: Record<ReviewStatus, readonly ReviewStatus[]> = {
  PENDING_REVIEW: ['APPROVED', 'DISCARDED'],
  APPROVED: ['SUBMITTED', 'DISCARDED'],
  SUBMITTED: [],
  DISCARDED: [],
};

/** What the board keeps of a held request: enough to run it later exactly as it was asked. */
export interface HeldRequest {
  /** Cruise Control's endpoint name, lower case: `rebalance`, `pause_sampling`, … */
  endpoint: string;
  /** The query parameters as the client sent them (names as spelled, raw values). */
  query: Readonly<Record<string, string>>;
  /** Who asked: the client address, or the authenticated user when there is one. */
  submitter: string;
}

export interface Review extends HeldRequest {
  readonly id: number;
  readonly submittedAtMs: number;
  status: ReviewStatus;
  /** Why it is in its status: the reviewer's reason once reviewed. */
  reason: string;
  /** The user task the submit started, which a poll of the submitted request may name. */
  userTaskId?: string;
}

export interface ReviewBoardOptions {
  /** How long a review stays on the board after it was created, whatever its status. */
  retentionMs: number;
  /** Most reviews kept; the oldest go first. */
  maxReviews: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

export const AWAITING_REVIEW = 'Awaiting review.';
export const SUBMITTED_REASON = 'Submitted after approval.';

export class ReviewBoard {
  private readonly reviews = new Map<number, Review>();
  private nextId = 0;
  private readonly now: () => number;

  constructor(private readonly options: ReviewBoardOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Holds a request for review (status PENDING_REVIEW) and returns its review. */
  add(request: HeldRequest): Review {
    this.purge();
    const review: Review = {
      ...request,
      query: { ...request.query },
      id: this.nextId++,
      submittedAtMs: this.now(),
      status: 'PENDING_REVIEW',
      reason: AWAITING_REVIEW,
    };
    this.reviews.set(review.id, review);
    // Beyond the limit the oldest go, whatever their status, as Cruise Control's purgatory does.
    for (const id of this.reviews.keys()) {
      if (this.reviews.size <= this.options.maxReviews) break;
      this.reviews.delete(id);
    }
    return review;
  }

  /** The reviews with the given ids (those the board still holds), or all of them; oldest first. */
  list(ids?: readonly number[]): Review[] {
    this.purge();
    const all = [...this.reviews.values()];
    return ids === undefined || ids.length === 0 ? all : all.filter((r) => ids.includes(r.id));
  }

  /** The review with this id. @throws UnknownReviewError naming `parameter` */
  get(id: number, parameter = 'review_id'): Review {
    this.purge();
    const review = this.reviews.get(id);
    if (review === undefined) throw new UnknownReviewError(parameter, [id]);
    return review;
  }

  /**
   * Approves and discards reviews in one go: every id is checked before any review changes, so a
   * rejected review changes nothing. Returns the reviewed reviews, oldest first.
   * @throws UnknownReviewError, ReviewStateError (an id both approved and discarded, or a move its status forbids)
   */
  review(decision: { approve: readonly number[]; discard: readonly number[]; reason: string }): Review[] {
    this.purge();
    const targets: [number, ReviewStatus, string][] = [
      ...decision.approve.map((id): [number, ReviewStatus, string] => [id, 'APPROVED', 'approve']),
      ...decision.discard.map((id): [number, ReviewStatus, string] => [id, 'DISCARDED', 'discard']),
    ];
    const both = decision.approve.find((id) => decision.discard.includes(id));
    if (both !== undefined) {
      throw new ReviewStateError('discard', both, `Review ${both} is both approved and discarded: name it once`);
    }
    for (const parameter of ['approve', 'discard'] as const) {
      const unknown = decision[parameter].filter((id) => !this.reviews.has(id));
      if (unknown.length > 0) throw new UnknownReviewError(parameter, unknown);
    }
    for (const [id, status, parameter] of targets) {
      const review = this.reviews.get(id)!;
      if (!NEXT[review.status].includes(status)) {
        throw new ReviewStateError(
          parameter,
          id,
          `Review ${id} is ${review.status} and cannot become ${status}${
            NEXT[review.status].length > 0
              ? ` (it can become ${NEXT[review.status].join(' or ')})`
              : ': that status is final'
          }`,
        );
      }
    }
    for (const [id, status] of targets) {
      const review = this.reviews.get(id)!;
      review.status = status;
      review.reason = decision.reason;
    }
    return this.list(targets.map(([id]) => id));
  }

  /**
   * Submits an approved review for `endpoint` (status SUBMITTED), once. A repeat of the submit is
   * accepted only as a poll: it must name the user task the first submit started.
   * @throws UnknownReviewError, ReviewStateError
   */
  submit(id: number, endpoint: string, pollUserTaskId?: string): Review {
    const review = this.get(id);
    if (review.endpoint !== endpoint) {
      throw new ReviewStateError(
        'review_id',
        id,
        `Review ${id} holds a ${review.endpoint} request, not ${endpoint}: submit it to POST /kafkacruisecontrol/${review.endpoint}`,
      );
    }
    if (review.status === 'SUBMITTED') {
      if (pollUserTaskId !== undefined && pollUserTaskId === review.userTaskId) return review;
      throw new ReviewStateError(
        'review_id',
        id,
        `Review ${id} was already submitted; a review runs once. To follow its result, repeat the request with the User-Task-ID header its submit answered${
          review.userTaskId !== undefined ? ` (${review.userTaskId})` : ''
        }; to run it again, create and approve a new review`,
      );
    }
    if (review.status !== 'APPROVED') {
      throw new ReviewStateError(
        'review_id',
        id,
        review.status === 'PENDING_REVIEW'
          ? `Review ${id} is still PENDING_REVIEW: approve it with POST /kafkacruisecontrol/review?approve=${id} first`
          : `Review ${id} was DISCARDED and cannot be submitted`,
      );
    }
    if (pollUserTaskId !== undefined) {
      throw new ReviewStateError(
        'review_id',
        id,
        `Review ${id} has not been submitted yet, so there is no user task to poll: submit it without the User-Task-ID header`,
      );
    }
    review.status = 'SUBMITTED';
    review.reason = SUBMITTED_REASON;
    return review;
  }

  /** Remembers the user task a submit started, so polls of it are told apart from a second submit. */
  recordUserTask(id: number, userTaskId: string): void {
    const review = this.reviews.get(id);
    if (review !== undefined && review.status === 'SUBMITTED') review.userTaskId = userTaskId;
  }

  /** Drops reviews older than the retention time. */
  private purge(): void {
    const oldest = this.now() - this.options.retentionMs;
    for (const [id, review] of this.reviews) {
      if (review.submittedAtMs < oldest) this.reviews.delete(id);
    }
  }
}
