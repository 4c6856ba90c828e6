import { AftercareError } from '@aftercare/core';
import Database from 'better-sqlite3';
import { StoreRejectedError, StoreUnavailableError } from '../../errors.ts';

/** Codes that say the data itself is unacceptable; any other engine error is about the engine. */
const dataErrorPrefixes = ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'];

/**
 * Translates what better-sqlite3 throws into the port's two errors: the caller retries an
 * unavailable store (busy, locked, disk full, I/O error, closed) and drops a rejected write.
 */
export function toStoreError(err: unknown, action: string): unknown {
  if (err instanceof AftercareError) return err;
  if (err instanceof Database.SqliteError) {
    const message = `sqlite ${action} failed: ${err.code}: ${err.message}`;
    if (dataErrorPrefixes.some((prefix) => err.code.startsWith(prefix))) {
      return new StoreRejectedError(message, { cause: err });
    }
    return new StoreUnavailableError(message, { cause: err });
  }
  if (err instanceof TypeError && /database connection is not open/.test(err.message)) {
    return new StoreUnavailableError(`sqlite ${action} failed: the database is closed`, { cause: err });
  }
  return err;
}
