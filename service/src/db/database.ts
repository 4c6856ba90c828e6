import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations.ts';
import type { ServiceTables } from './tables.ts';

export type ServiceDatabase = Kysely<ServiceTables>;

export type DatabaseLocation =
  /** `<dataDir>/service.db`; the directory is created when missing. */
  | { dataDir: string }
  /** An explicit file, or `':memory:'` for a database that lives as long as the connection. */
  | { file: string };

export const serviceDatabaseFile = 'service.db';

/**
 * Opens the service database and migrates it to the latest schema. SQLite is the embedded default;
 * queries stay within what PostgreSQL also accepts, so another dialect can take its place here.
 */
export async function createDatabase(location: DatabaseLocation): Promise<ServiceDatabase> {
  let file: string;
  if ('dataDir' in location) {
    mkdirSync(location.dataDir, { recursive: true });
    file = join(location.dataDir, serviceDatabaseFile);
  } else {
    file = location.file;
  }
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers (the API) proceed while a writer commits; busy_timeout rides out a second process.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<ServiceTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}
