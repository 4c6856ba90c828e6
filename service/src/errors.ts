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

/** The ticket's lifecycle does not lead from its status to the one asked for. */
export class InvalidTransitionError extends AftercareError {
  constructor(message: string) {
    super('INVALID_TRANSITION', message);
  }
}

/** The record changed since the caller read it (optimistic concurrency); read it again and retry. */
export class StaleVersionError extends AftercareError {
  constructor(what: string, id: string, expected: number) {
    super('STALE_VERSION', `${what} ${id} changed since version ${expected}; read it again and retry`);
  }
}

/** Not enough unreserved stock for what was asked; nothing was reserved or moved. */
export class InsufficientStockError extends AftercareError {
  constructor(sku: string, locationId: string, quantity: number) {
    super('INSUFFICIENT_STOCK', `location ${locationId} has fewer than ${quantity} unreserved ${sku}`);
  }
}

/** Too many attempts from this client; the Retry-After header says when to try again. */
export class RateLimitedError extends AftercareError {
  constructor(message: string) {
    super('RATE_LIMITED', message);
  }
}
