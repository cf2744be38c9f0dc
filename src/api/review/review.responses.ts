// The answers of two-step verification in Cruise Control's ReviewResult shape, as JSON and as
// plain text. Cruise Control answers `RequestInfo` as a list (one entry per review); the spec's
// reviewResult.yaml describes one entry (and misspells `version` in its `required`), so clients
// written against Cruise Control, which Ballast follows, read a list.
import type { Review } from './review-board.js';

export interface RequestInfoJson {
  Id: number;
  SubmitterAddress: string;
  SubmissionTimeMs: number;
  Status: Review['status'];
  EndpointWithParams: string;
  Reason: string;
}

export interface ReviewResultJson {
  version: 1;
  RequestInfo: RequestInfoJson[];
}

/** The held request as the client would repeat it: method, path and its query in sent order. */
export function endpointWithParams(review: Pick<Review, 'endpoint' | 'query'>): string {
  const query = new URLSearchParams(Object.entries(review.query)).toString();
  return `POST /kafkacruisecontrol/${review.endpoint}${query === '' ? '' : `?${query}`}`;
}

export function reviewResult(reviews: readonly Review[]): ReviewResultJson {
  return {
    version: 1,
    RequestInfo: reviews.map((r) => ({
      Id: r.id,
      SubmitterAddress: r.submitter,
      SubmissionTimeMs: r.submittedAtMs,
      Status: r.status,
      EndpointWithParams: endpointWithParams(r),
      Reason: r.reason,
    })),
  };
}

export function reviewResultText(json: ReviewResultJson): string {
  if (json.RequestInfo.length === 0) return 'No reviews.\n';
  const header = ['ID', 'SUBMITTER ADDRESS', 'SUBMISSION TIME', 'STATUS', 'ENDPOINT WITH PARAMS', 'REASON'];
  const rows = json.RequestInfo.map((r) => [
    String(r.Id),
    r.SubmitterAddress,
    new Date(r.SubmissionTimeMs).toISOString(),
    r.Status,
    r.EndpointWithParams,
    r.Reason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
