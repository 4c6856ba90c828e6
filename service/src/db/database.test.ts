import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from './database.ts';
import { migrateToLatest } from './migrations.ts';

describe('createDatabase', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-service-db-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates <dataDir>/service.db in WAL mode with every table', async () => {
    const db = await createDatabase({ dataDir: join(dataDir, 'nested') });
    await db.destroy();
    const raw = new SqliteDatabase(join(dataDir, 'nested', 'service.db'), { readonly: true });
    const tables = raw
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'kysely%' order by name",
      )
      .pluck()
      .all();
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect(tables).toEqual(['api_tokens', 'devices']);
  });

  it('applies each migration once, however often it is opened', async () => {
    const first = await createDatabase({ dataDir });
    await first.destroy();
    const second = await createDatabase({ dataDir });
    expect(await migrateToLatest(second)).toEqual([]);
    await second.destroy();
  });
});
