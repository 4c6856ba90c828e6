import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogMetric, hourMs, minuteMs } from '../testing/telemetry-fixtures.ts';
import { expectValues } from './contract.ts';
import { createSqliteStore, type SqliteTelemetryStore } from './sqlite/index.ts';
import type { TelemetryPoint } from './telemetry-store.ts';

const dayMs = 24 * hourMs;
const current = catalogMetric('split-ac', 'compressor_current_a');
const discharge = catalogMetric('split-ac', 'discharge_temp_c');

// Fixed clock: the embedded store does not look at the wall clock, so neither does this test.
const now = Date.UTC(2026, 0, 31, 12, 30);
const start = Date.UTC(2026, 0, 21);
const retentionDays = 7;
/** hourFloor(now − 7 days) = 24 Jan 12:00, hour 84 after start. */
const floor = Date.UTC(2026, 0, 24, 12);

/**
 * Ten days at 10-minute resolution. In hour h (counted from start) the current reads h, h + 0.1,
 * …, h + 0.5: hourly min h, max h + 0.5, mean h + 0.25. Discharge is a steady 70.
 */
function tenDays(deviceId = 'ac-0001'): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (let ts = start; ts < start + 10 * dayMs; ts += 10 * minuteMs) {
    const hour = Math.floor((ts - start) / hourMs);
    const slot = ((ts - start) % hourMs) / (10 * minuteMs);
    points.push({
      deviceId,
      model: 'split-ac',
      ts,
      metrics: { [current]: hour + slot / 10, [discharge]: 70 },
    });
  }
  return points;
}

describe('SqliteTelemetryStore retention and hourly rollup', () => {
  let dir: string;
  let file: string;
  let store: SqliteTelemetryStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-retention-'));
    file = join(dir, 'telemetry.db');
    store = createSqliteStore({ file, retentionDays });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const series = async (from: number, to: number, stepMs?: number) => {
    const [s] = await store.querySeries({
      deviceId: 'ac-0001',
      metrics: [current],
      from,
      to,
      stepMs: stepMs ?? null,
    });
    return s!;
  };

  it('deletes raw samples older than retention and still answers from hourly min/mean/max', async () => {
    await store.write(tenDays());
    const result = await store.compact(now);
    expect(result.deletedSamples).toBe(84 * 6 * 2);
    expect(result.rolledUpHours).toBeGreaterThanOrEqual(84 * 2);

    const old = await series(start, floor);
    expect(old.ts).toEqual(Array.from({ length: 84 }, (_, h) => start + h * hourMs));
    expectValues(
      old.mean,
      Array.from({ length: 84 }, (_, h) => h + 0.25),
    );
    expectValues(
      old.min,
      Array.from({ length: 84 }, (_, h) => h),
    );
    expectValues(
      old.max,
      Array.from({ length: 84 }, (_, h) => h + 0.5),
    );

    const recent = await series(floor, floor + hourMs);
    expect(recent.ts).toHaveLength(6);
    expectValues(recent.mean, [84, 84.1, 84.2, 84.3, 84.4, 84.5]);
  });

  it('combines rollup and raw samples in a bucket that straddles the retention boundary', async () => {
    await store.write(tenDays());
    await store.compact(now);
    const daily = await series(start, start + 10 * dayMs, dayMs);
    expect(daily.ts).toEqual(Array.from({ length: 10 }, (_, d) => start + d * dayMs));
    expectValues(
      daily.mean,
      Array.from({ length: 10 }, (_, d) => 24 * d + 11.5 + 0.25),
    );
    expectValues(
      daily.min,
      Array.from({ length: 10 }, (_, d) => 24 * d),
    );
    expectValues(
      daily.max,
      Array.from({ length: 10 }, (_, d) => 24 * d + 23.5),
    );
    const [window] = await store.windows({
      deviceIds: ['ac-0001'],
      metrics: [current],
      from: start,
      to: start + 10 * dayMs,
      stepMs: dayMs,
    });
    expectValues(window!.values[current], daily.mean);
  });

  it('merges a sample that arrives late for an hour already rolled up', async () => {
    await store.write(tenDays());
    await store.compact(now);
    const hour10 = start + 10 * hourMs;
    await store.write([
      { deviceId: 'ac-0001', model: 'split-ac', ts: hour10 + 5 * minuteMs, metrics: { [current]: 100 } },
    ]);
    const expected = (6 * 10.25 + 100) / 7;
    expectValues((await series(hour10, hour10 + hourMs, hourMs)).mean, [expected]);

    const again = await store.compact(now);
    expect(again.deletedSamples).toBe(1);
    const merged = await series(hour10, hour10 + hourMs);
    expect(merged.ts).toEqual([hour10]);
    expectValues(merged.mean, [expected]);
    expectValues(merged.max, [100]);
    expectValues(merged.min, [10]);
  });

  it('changes nothing when run again with the same clock', async () => {
    await store.write(tenDays());
    await store.compact(now);
    const before = await series(start, start + 10 * dayMs, hourMs);
    expect((await store.compact(now)).deletedSamples).toBe(0);
    expect(await series(start, start + 10 * dayMs, hourMs)).toEqual(before);
  });

  it('keeps a year of history for one device small and readable', async () => {
    const yearStart = Date.UTC(2025, 0, 31);
    const metrics = ['compressor_current_a', 'discharge_temp_c', 'suction_pressure_kpa', 'power_w'];
    const points: TelemetryPoint[] = [];
    for (let ts = yearStart; ts < now; ts += 5 * minuteMs) {
      const day = Math.floor((ts - yearStart) / dayMs);
      const odd = Math.floor(ts / hourMs) % 2;
      points.push({
        deviceId: 'ac-0001',
        model: 'split-ac',
        ts,
        metrics: Object.fromEntries(metrics.map((m, i) => [m, i * 100 + day + 0.5 * odd])),
      });
    }
    for (let i = 0; i < points.length; i += 5_000) await store.write(points.slice(i, i + 5_000));
    const usedBytes = () => {
      const db = new Database(file, { readonly: true });
      try {
        const pages =
          (db.pragma('page_count', { simple: true }) as number) -
          (db.pragma('freelist_count', { simple: true }) as number);
        return pages * (db.pragma('page_size', { simple: true }) as number);
      } finally {
        db.close();
      }
    };
    const rawBytes = usedBytes();
    await store.compact(now);
    const compactedBytes = usedBytes();
    expect(compactedBytes).toBeLessThan(3 * 1024 * 1024);
    expect(compactedBytes).toBeLessThan(rawBytes / 4);

    const daily = await series(yearStart, yearStart + 365 * dayMs, dayMs);
    expect(daily.ts).toHaveLength(365);
    expectValues(
      daily.mean,
      Array.from({ length: 365 }, (_, d) => d + 0.25),
    );
    expectValues(
      daily.max,
      Array.from({ length: 365 }, (_, d) => d + 0.5),
    );
  });
});
