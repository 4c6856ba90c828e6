import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite/index.ts';

describe('two SQLite stores on one file (an ingest worker beside the API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-shared-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets the reader see devices and metrics the writer added after the reader opened', async () => {
    const file = join(dir, 'telemetry.db');
    const reader = createSqliteStore({ file, retentionDays: 30 });
    await reader.init();
    const writer = createSqliteStore({ file, retentionDays: 30 });
    await writer.init();
    const ts = Date.UTC(2026, 10, 1, 12);
    await writer.write([
      { deviceId: 'wm-shared-1', model: 'washing-machine', ts, metrics: { drain_time_s: 64 } },
    ]);
    expect(await reader.latest(['wm-shared-1'])).toEqual([
      { deviceId: 'wm-shared-1', ts, metrics: { drain_time_s: 64 } },
    ]);
    await writer.write([
      {
        deviceId: 'wm-shared-1',
        model: 'washing-machine',
        ts: ts + 60_000,
        metrics: { drain_time_s: 66, motor_current_a: 2.1 },
      },
    ]);
    const series = await reader.querySeries({ deviceId: 'wm-shared-1', from: ts, to: ts + 120_000 });
    expect(series.map((s) => s.metric)).toEqual(['drain_time_s', 'motor_current_a']);
    await writer.close();
    await reader.close();
  });
});
