// Validates a ReviewResult (review_board, review, and a POST held for review) against Cruise
// Control's spec as Cruise Control answers it: the spec's reviewResult.yaml describes `RequestInfo`
// as one object and requires a misspelt `vesion`, while Cruise Control's ReviewResult writes
// {version, RequestInfo: [one entry per review]}. Each entry is checked against the spec's own
// RequestInfo schema; the envelope against Cruise Control's shape.
import { responseValidator, type ResponseValidator } from './openapi.js';

const requestInfo = responseValidator('reviewResult.yaml', 'RequestInfo');
let lastErrors: string[] = [];
export const validateReviewResult: ResponseValidator = Object.assign(
  (document: unknown): boolean => {
    lastErrors = [];
    if (document === null || typeof document !== 'object') {
      lastErrors.push('not an object');
      return false;
    }
    const { version, RequestInfo, ...rest } = document as Record<string, unknown>;
    if (version !== 1) lastErrors.push(`version is ${JSON.stringify(version)}, not 1`);
    if (Object.keys(rest).length > 0) lastErrors.push(`unexpected fields ${Object.keys(rest).join(', ')}`);
    if (!Array.isArray(RequestInfo)) {
      lastErrors.push('RequestInfo is not a list');
      return false;
    }
    RequestInfo.forEach((entry, i) => {
      if (!requestInfo(entry)) lastErrors.push(`RequestInfo[${i}]: ${requestInfo.errors()}`);
      else if (Object.keys(entry as object).length !== 6) lastErrors.push(`RequestInfo[${i}] has extra fields`);
    });
    return lastErrors.length === 0;
  },
  { errors: () => lastErrors.join('\n') },
);
