// The CLI's HTTP side: one Cruise Control request, with the Authorization header, json=true, and
// Cruise Control's async protocol (202 + User-Task-ID: repeat the request with that header until
// it answers). fetch and sleep are injected, so the polling is tested without a server.
import { authorizationHeader, type Auth, type CliRequest } from './cli-args.js';
import { CliRequestError } from './cli.errors.js';

export type Json = Record<string, unknown>;

export interface BallastClientOptions {
  url: string;
  auth: Auth;
  pollIntervalMs: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every 202: the task id and its progress body. */
  onWaiting?: (userTaskId: string, progress: Json) => void;
}

const USER_TASK_ID = 'User-Task-ID';

export class BallastClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BallastClientOptions) {
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The JSON answer of `request`, after polling its user task as long as Ballast answers 202.
   * @throws CliRequestError with Ballast's errorMessage on 4xx/5xx, or when Ballast cannot be reached.
   */
  async request(request: CliRequest): Promise<Json> {
    const query = new URLSearchParams({ ...request.params, json: 'true' });
    const url = `${this.options.url}/kafkacruisecontrol/${request.endpoint}?${query.toString()}`;
    const label = `${request.method} /kafkacruisecontrol/${request.endpoint}`;
    const authorization = authorizationHeader(this.options.auth);
    let userTaskId: string | undefined;
    for (;;) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;
      if (userTaskId !== undefined) headers[USER_TASK_ID] = userTaskId;
      let response: Response;
      try {
        response = await this.fetch(url, { method: request.method, headers });
      } catch (error) {
        throw new CliRequestError(`Cannot reach Ballast at ${this.options.url}: ${causeText(error)}`, undefined, {
          cause: error,
        });
      }
      const text = await response.text();
      if (response.status === 202) {
        const id = response.headers.get(USER_TASK_ID);
        if (id === null || id === '')
          throw new CliRequestError(`${label} answered 202 without a ${USER_TASK_ID} header`, 202);
        userTaskId = id;
        this.options.onWaiting?.(id, parseJson(text) ?? {});
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      if (!response.ok) {
        throw new CliRequestError(
          `${label} failed with HTTP ${response.status}: ${errorText(text, response.statusText)}`,
          response.status,
        );
      }
      const body = parseJson(text);
      if (body === undefined)
        throw new CliRequestError(`${label} answered with something that is not a JSON object`, response.status);
      return body;
    }
  }
}

function parseJson(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Cruise Control's errorMessage when the body has one, else the body itself. */
export function errorText(body: string, statusText: string): string {
  const json = parseJson(body);
  const message = json?.errorMessage ?? json?.message;
  if (typeof message === 'string' && message !== '') return message;
  const trimmed = body.trim();
  return trimmed !== '' ? trimmed.slice(0, 2000) : statusText || 'no message';
}

function causeText(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
