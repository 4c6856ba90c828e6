import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  Kysely,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { seedReferenceData } from '../knowledge/reference-data.ts';
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
 * SQLite's plain BEGIN takes the write lock only at the first write, and a transaction that read
 * before another connection committed then fails with SQLITE_BUSY_SNAPSHOT instead of waiting.
 * BEGIN IMMEDIATE takes the lock up front, so writers from several processes queue on busy_timeout:
 * every transaction here writes, and this one process already serialises them on its one connection.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function sqliteDialect(database: SqliteDatabase.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateTransactionSqliteDriver({ database }),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/**
 * Opens the service database, migrates it to the latest schema and brings the reference data (the
 * knowledge base and the parts catalogue) up to date. SQLite is the embedded default;
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
  const db = new Kysely<ServiceTables>({ dialect: sqliteDialect(sqlite) });
  try {
    await migrateToLatest(db);
    await seedReferenceData(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}
