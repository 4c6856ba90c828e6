import { AftercareError } from '@aftercare/core';

/** No usable credentials; `challenge` is what the WWW-Authenticate header tells the client. */
export class UnauthorizedError extends AftercareError {
  readonly challenge: string;
  constructor(message: string, challenge = 'Bearer realm="aftercare"') {
    super('UNAUTHORIZED', message);
    this.challenge = challenge;
  }
}

export class ForbiddenError extends AftercareError {
  constructor(message = 'your role may not do this') {
    super('FORBIDDEN', message);
  }
}

/** The query would return more points than a client can sensibly draw; the message says what to change. */
export class QueryTooLargeError extends AftercareError {
  constructor(message: string) {
    super('QUERY_TOO_LARGE', message);
  }
}
