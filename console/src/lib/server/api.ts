import { ApiError } from './api-error.ts';
import { apiBaseUrl } from './config.ts';
import { forgetSessionUser } from './session-cache.ts';

export { ApiError };

/**
 * The console's only way to the service API: HTTP with the signed-in user's bearer token, which
 * lives in an httpOnly cookie and in this server's memory, never in the browser bundle.
 */

/** Anything with a zod-style safeParse: core's schemas, or the console's own guards. */
export interface Parser<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** The API did not answer at all (down, wrong URL, timed out). */
export class ApiUnavailableError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`the Aftercare API at ${baseUrl} is not answering (${describeCause(cause)})`, { cause });
    this.name = 'ApiUnavailableError';
  }
}

/** The API answered 2xx with a body this console does not understand: a version mismatch. */
export class ApiContractError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} answered in a shape this console does not understand: ${detail}`);
    this.name = 'ApiContractError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause.cause as { code?: string } | undefined)?.code;
    if (cause.name === 'TimeoutError') return 'timed out';
    return code ?? cause.message;
  }
  return String(cause);
}

const timeoutMs = 15_000;

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /**
   * The browser's address, for the few calls the service counts by who makes them (sign-in): the
   * console calls from this host, so without it every browser would look alike to the service.
   */
  forwardedFor?: string;
}

export class ApiClient {
  constructor(
    private readonly token: string | null,
    readonly baseUrl: string = apiBaseUrl(),
  ) {}

  /** Calls the API and parses a 2xx body with `parser`; error statuses throw ApiError. */
  async request<T>(path: string, parser: Parser<T>, options: ApiRequest = {}): Promise<T> {
    const body = await this.raw(path, options);
    const parsed = parser.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiContractError(
        path,
        issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid',
      );
    }
    return parsed.data;
  }

  get<T>(path: string, parser: Parser<T>, query?: ApiRequest['query']): Promise<T> {
    return this.request(path, parser, { query });
  }

  /**
   * The same as `get`, but an endpoint this service does not have (404 ROUTE_NOT_FOUND, as opposed
   * to a record that is not there) answers null, so a page can say "not available yet".
   */
  async getIfAvailable<T>(path: string, parser: Parser<T>, query?: ApiRequest['query']): Promise<T | null> {
    try {
      return await this.get(path, parser, query);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'ROUTE_NOT_FOUND') return null;
      throw err;
    }
  }

  async raw(path: string, options: ApiRequest = {}): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ApiUnavailableError(this.baseUrl, path, err);
    }
    const text = await response.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        if (response.ok) throw new ApiContractError(path, 'the body is not JSON');
      }
    }
    if (!response.ok) {
      if (response.status === 401 && this.token) forgetSessionUser(this.token);
      const error = (json ?? {}) as { code?: unknown; message?: unknown };
      throw new ApiError(
        response.status,
        typeof error.code === 'string' ? error.code : `HTTP_${response.status}`,
        typeof error.message === 'string' ? error.message : `${response.status} ${response.statusText}`,
        path,
        retryAfterOf(response.headers.get('retry-after')),
      );
    }
    return json;
  }
}

/** Retry-After in seconds (the API sends a number of seconds); null when absent or not a number. */
function retryAfterOf(header: string | null): number | null {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** The API as the signed-in user of this request sees it. */
export function apiFor(locals: App.Locals): ApiClient {
  return new ApiClient(locals.token);
}
