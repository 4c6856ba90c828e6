/** The API answered with an error status; `status` and the API's `code` say which. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
    /** The API's Retry-After (seconds), when it said how long to wait (a 429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field a 400 names, as the request spelt it (`appointment`, `sku`), without `body.` or `querystring.`. */
  get field(): string | null {
    return fieldPrefix.exec(this.message)?.[1] ?? null;
  }

  /** What the API said, without the field it names: for people, who see the form the field is on. */
  get said(): string {
    return this.message.replace(fieldPrefix, '');
  }

  /** `said`, as a sentence starts. */
  get sentence(): string {
    const said = this.said;
    return said.charAt(0).toUpperCase() + said.slice(1);
  }
}

const fieldPrefix = /^(?:(?:body|querystring|params)\.)?([A-Za-z]\w*(?:\.\w+)*): /;
