import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.ts';
import { catalogMetric, recentHour } from '../testing/telemetry-fixtures.ts';
import { createSqliteStore } from './sqlite/index.ts';
import { schemaVersion } from './sqlite/schema.ts';
import type { TelemetryPoint } from './telemetry-store.ts';

const current = catalogMetric('split-ac', 'compressor_current_a');
const t0 = recentHour(2);
const sample = (deviceId: string, value: number): TelemetryPoint => ({
  deviceId,
  model: 'split-ac',
  ts: t0,
  metrics: { [current]: value },
});

describe('SqliteTelemetryStore when the file misbehaves', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-faults-'));
    file = join(dir, 'telemetry.db');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what was written across close and reopen, at the current schema version', async () => {
    const first = createSqliteStore({ file, retentionDays: 30 });
    await first.init();
    await first.write([sample('ac-0001', 6.1)]);
    await first.close();
    const second = createSqliteStore({ file, retentionDays: 30 });
    await second.init();
    expect(await second.latest()).toEqual([{ deviceId: 'ac-0001', ts: t0, metrics: { [current]: 6.1 } }]);
    await second.write([sample('ac-0002', 4.2)]);
    expect((await second.latest()).map((l) => l.deviceId)).toEqual(['ac-0001', 'ac-0002']);
    await second.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('reports a file that is not a database as unavailable', async () => {
    await writeFile(file, 'this is not a database, just some text that is long enough to look like a header');
    await expect(createSqliteStore({ file, retentionDays: 30 }).init()).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('reports a path it cannot open as unavailable', async () => {
    await mkdir(file);
    await expect(createSqliteStore({ file, retentionDays: 30 }).init()).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('refuses a file written by a newer schema', async () => {
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    await expect(createSqliteStore({ file, retentionDays: 30 }).init()).rejects.toThrow(/schema version 99/);
  });

  it('reports a lock held by another connection as unavailable, then writes once it is released', async () => {
    const store = createSqliteStore({ file, retentionDays: 30 });
    await store.init();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await store.write([sample('ac-0003', 5.5)]).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/SQLITE_BUSY/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.write([sample('ac-0003', 5.5)]);
    expect(await store.latest(['ac-0003'])).toEqual([
      { deviceId: 'ac-0003', ts: t0, metrics: { [current]: 5.5 } },
    ]);
    await store.close();
  });
});
