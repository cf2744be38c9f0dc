// Errors of HTTP itself, found before any route runs: a method the API does not serve, a request
// Node's parser refused. src/api/http-refusals.ts raises them; the exception filter maps them.
import { BallastError } from '../common/index.js';

/** Thrown for a method no route serves (CONNECT, TRACE, PUT, DELETE, WebDAV's…). Maps to 405 with Allow. Not retryable. */
export class MethodNotAllowedError extends BallastError {
  readonly code = 'METHOD_NOT_ALLOWED';

  constructor(
    readonly method: string,
    /** The methods the API serves, for the Allow header. */
    readonly allowed: readonly string[],
  ) {
    super(`Method ${method} is not served here; use ${allowed.join(', ')}`);
  }
}

/** Thrown when a request cannot be parsed as HTTP (a garbage request line, a bad header). Maps to 400. Not retryable. */
export class MalformedRequestError extends BallastError {
  readonly code = 'MALFORMED_REQUEST';

  constructor(
    /** Node's parser code, e.g. HPE_INVALID_METHOD: says what was wrong without quoting the request. */
    readonly parserCode: string,
  ) {
    super(`Malformed HTTP request (${parserCode})`);
  }
}

/** Thrown when the request line and headers exceed the server's limit (Node's 16 KiB). Maps to 431. Not retryable. */
export class HeadersTooLargeError extends BallastError {
  readonly code = 'HEADERS_TOO_LARGE';

  constructor() {
    super('Request line and headers too large');
  }
}

/** Thrown when a client takes longer than the server allows to send its request. Maps to 408. Retryable. */
export class RequestTimeoutError extends BallastError {
  readonly code = 'REQUEST_TIMEOUT';

  constructor() {
    super('The request was not received in time', { retryable: true });
  }
}
