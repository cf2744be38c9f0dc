// The CLI's errors: a usage mistake (exit 2, nothing was sent) and a request Ballast refused or
// could not answer (exit 1, with the server's own message).

/** Thrown when the command line is wrong; nothing has been sent to Ballast. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly exitCode = 2;
}

/** Thrown when Ballast answers 4xx/5xx, or cannot be reached; `message` is what Ballast said. */
export class CliRequestError extends Error {
  override readonly name = 'CliRequestError';
  readonly exitCode = 1;

  constructor(
    message: string,
    /** The HTTP status, or undefined when no answer came. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
