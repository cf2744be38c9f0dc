// The base of every error Ballast throws on purpose: a stable code, whether retrying can help,
// and the cause. src/api maps these to HTTP in one place (api-exception.filter.ts).

export interface BallastErrorOptions {
  /** The error underneath, kept for logs. */
  cause?: unknown;
  /** True when the same call may succeed later (a broker restarting, Redis failing over). @defaultValue false */
  retryable?: boolean;
}

export abstract class BallastError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`; never reworded once published. */
  abstract readonly code: string;
  readonly retryable: boolean;

  protected constructor(message: string, options: BallastErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** A message for an unknown thrown value, for logs and error bodies. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Rejects with `onTimeout()` if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
