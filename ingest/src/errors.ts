import { AftercareError } from '@aftercare/core';

/** The telemetry store could not be reached; the write may be retried. */
export class StoreUnavailableError extends AftercareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INGEST_STORE_UNAVAILABLE', message, options);
  }
}

/** The store refused the data itself; retrying the same write cannot succeed. */
export class StoreRejectedError extends AftercareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INGEST_STORE_REJECTED', message, options);
  }
}

/** Ingest holds more unwritten samples than its bound; the caller must wait or redeliver later. */
export class IngestOverloadedError extends AftercareError {
  constructor(message: string) {
    super('INGEST_OVERLOADED', message);
  }
}

export class IngestStoppedError extends AftercareError {
  constructor() {
    super('INGEST_STOPPED', 'ingest is shutting down');
  }
}
