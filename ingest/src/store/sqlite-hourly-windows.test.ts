import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { catalogMetric, hourMs, minuteMs } from '../testing/telemetry-fixtures.ts';
import { expectValues } from './contract.ts';
import { createSqliteStore, type SqliteTelemetryStore } from './sqlite/index.ts';
import type { TelemetryPoint } from './telemetry-store.ts';

const current = catalogMetric('split-ac', 'compressor_current_a');
const now = Date.UTC(2026, 0, 31, 12, 30);
const start = Date.UTC(2026, 0, 31, 6);

/** Six hours, a sample every 10 minutes; in hour h the values are h, h + 0.1, … h + 0.5 (mean h + 0.25). */
function sixHours(): TelemetryPoint[] {
  return Array.from({ length: 36 }, (_, i) => ({
    deviceId: 'ac-0001',
    model: 'split-ac',
    ts: start + i * 10 * minuteMs,
    metrics: { [current]: Math.floor(i / 6) + (i % 6) / 10 },
  }));
}

describe('SqliteTelemetryStore hourly windows', () => {
  let dir: string;
  let file: string;
  let store: SqliteTelemetryStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-hourly-'));
    file = join(dir, 'telemetry.db');
    store = createSqliteStore({ file, retentionDays: 30 });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const hourly = async () => {
    const [window] = await store.windows({
      deviceIds: ['ac-0001'],
      metrics: [current],
      from: start,
      to: start + 6 * hourMs,
      stepMs: hourMs,
    });
    return window!.values[current]!;
  };
  const onTheSide = (sql: string) => {
    const db = new Database(file);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };

  it('reads compacted whole hours from the rollup, and hours written since from the raw samples', async () => {
    await store.write(sixHours());
    await store.compact(now);
    // Changed behind the store's back, the raw samples of hour 2 no longer match its rollup: the
    // hourly read keeps answering from the rollup, which shows it is the rollup that is read.
    onTheSide(
      `UPDATE samples SET value = 100 WHERE ts >= ${start + 2 * hourMs} AND ts < ${start + 3 * hourMs}`,
    );
    expectValues(await hourly(), [0.25, 1.25, 2.25, 3.25, 4.25, 5.25]);
    // A write into hour 4 makes that hour dirty: it is read raw until compaction rolls it up again.
    await store.write([
      {
        deviceId: 'ac-0001',
        model: 'split-ac',
        ts: start + 4 * hourMs + minuteMs,
        metrics: { [current]: 11.25 },
      },
    ]);
    expectValues(await hourly(), [0.25, 1.25, 2.25, 3.25, (6 * 4.25 + 11.25) / 7, 5.25]);
    // Compaction rolls up only the dirty hour again; hour 2 keeps the rollup it had.
    await store.compact(now);
    expectValues(await hourly(), [0.25, 1.25, 2.25, 3.25, (6 * 4.25 + 11.25) / 7, 5.25]);
  });

  it('reads a file written before the rollup was tracked from its raw samples until compaction', async () => {
    await store.write(sixHours());
    await store.close();
    // What the previous schema version left: no dirty range, no risk tables, and no rollup.
    onTheSide(`DROP TABLE risks; DROP TABLE risk_latest; DROP TABLE risk_daily;
      ALTER TABLE devices DROP COLUMN dirty_from; ALTER TABLE devices DROP COLUMN dirty_to;
      PRAGMA user_version = 1;`);
    store = createSqliteStore({ file, retentionDays: 30 });
    await store.init();
    expectValues(await hourly(), [0.25, 1.25, 2.25, 3.25, 4.25, 5.25]);
    await store.compact(now);
    expectValues(await hourly(), [0.25, 1.25, 2.25, 3.25, 4.25, 5.25]);
  });

  it('counts a late sample below the retention floor together with its hour’s rollup', async () => {
    const old = createSqliteStore({ file: join(dir, 'old.db'), retentionDays: 1 });
    await old.init();
    try {
      await old.write(sixHours());
      const later = start + 2 * 24 * hourMs;
      await old.compact(later);
      await old.write([
        {
          deviceId: 'ac-0001',
          model: 'split-ac',
          ts: start + hourMs + minuteMs,
          metrics: { [current]: 8.25 },
        },
      ]);
      const [window] = await old.windows({
        deviceIds: ['ac-0001'],
        metrics: [current],
        from: start,
        to: start + 3 * hourMs,
        stepMs: hourMs,
      });
      expectValues(window!.values[current], [0.25, (6 * 1.25 + 8.25) / 7, 2.25]);
    } finally {
      await old.close();
    }
  });
});
