import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Risk } from '@aftercare/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hourMs } from '../testing/telemetry-fixtures.ts';
import { riskOf } from './contract.ts';
import { createSqliteStore, type SqliteTelemetryStore } from './sqlite/index.ts';
import { riskSql } from './sqlite/risks.ts';

const dayMs = 24 * hourMs;
const now = Date.UTC(2026, 0, 31, 12, 30);

/** SQLite's plan for a statement, one line per step ("SCAN l", "SEARCH r USING PRIMARY KEY (…)"). */
function planOf(file: string, sql: string, params: Record<string, unknown>): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
  } finally {
    db.close();
  }
}

describe('SqliteTelemetryStore risks', () => {
  let dir: string;
  let file: string;
  let store: SqliteTelemetryStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-risks-'));
    file = join(dir, 'telemetry.db');
    store = createSqliteStore({ file, retentionDays: 7 });
    await store.init();
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the latest risk of 10,000 devices × 2 components by seeking, not by scanning the history', async () => {
    const devices = Array.from({ length: 10_000 }, (_, i) => `ac-${String(i).padStart(5, '0')}`);
    for (const [run, scoredAt] of [now - hourMs, now].entries()) {
      const risks: Risk[] = devices.flatMap((deviceId, i) => [
        riskOf(deviceId, 'compressor', scoredAt, { pFail: ((i + run) % 100) / 100 }),
        riskOf(deviceId, 'refrigerant_circuit', scoredAt, { pFail: ((i * 7 + run) % 100) / 100 }),
      ]);
      await store.writeRisks(risks);
    }
    const latest = await store.latestRisks();
    expect(latest).toHaveLength(20_000);
    expect(latest.every((r) => r.scoredAt === now)).toBe(true);
    expect(latest[2]).toMatchObject({ deviceId: 'ac-00001', component: 'compressor', pFail: 0.02 });

    for (const sql of [riskSql.latest(false), riskSql.latest(true)]) {
      const plan = planOf(file, sql, sql.includes('@devices') ? { devices: '[1]' } : {});
      expect(
        plan.some((step) => /^SEARCH r USING PRIMARY KEY/.test(step)),
        plan.join('; '),
      ).toBe(true);
      expect(
        plan.some((step) => /^SCAN r\b/.test(step)),
        plan.join('; '),
      ).toBe(false);
    }
    const history = planOf(file, riskSql.historyOfDevices, {
      devices: '[1]',
      component: null,
      from: 0,
      to: now,
      limit: 10,
    });
    expect(
      history.some((step) => /^SEARCH r USING PRIMARY KEY/.test(step)),
      history.join('; '),
    ).toBe(true);
    expect(
      history.some((step) => /^SCAN r\b/.test(step)),
      history.join('; '),
    ).toBe(false);
  });

  it('drops risks scored before the retention window when compacting, and with them a stale latest', async () => {
    const old = riskOf('ac-0001', 'compressor', now - 9 * dayMs);
    const recent = riskOf('ac-0001', 'compressor', now - dayMs);
    const onlyOld = riskOf('ac-0002', 'compressor', now - 8 * dayMs);
    await store.writeRisks([old, recent, onlyOld]);
    await store.compact(now);
    expect(await store.risks({ from: 0, to: now })).toEqual([recent]);
    expect(await store.latestRisks()).toEqual([recent]);
  });

  it('keeps a daily trend of risks past their retention, the day retention cut into whole', async () => {
    const day = (d: number) => Date.UTC(2026, 0, d);
    await store.writeRisks([
      riskOf('ac-0001', 'compressor', day(10) + 3 * hourMs, { pFail: 0.4, daysLeft: 9 }),
      riskOf('ac-0001', 'compressor', day(10) + 20 * hourMs, { pFail: 0.7, daysLeft: null }),
      riskOf('ac-0001', 'compressor', day(11) + 5 * hourMs, { pFail: 0.6, daysLeft: 5 }),
      // Retention (7 days before now, Jan 24 12:30) cuts Jan 24: its morning goes, its evening stays.
      riskOf('ac-0001', 'compressor', day(24) + 6 * hourMs, { pFail: 0.8, daysLeft: 3 }),
      riskOf('ac-0001', 'compressor', day(24) + 18 * hourMs, { pFail: 0.5, daysLeft: 6 }),
      riskOf('ac-0001', 'compressor', day(30) + 18 * hourMs, { pFail: 0.9, daysLeft: 1 }),
    ]);
    const trend = () => store.riskTrend({ deviceId: 'ac-0001', from: day(1), to: now, stepMs: dayMs });
    const before = await trend();
    await store.compact(now);
    expect(await store.risks({ from: 0, to: now })).toHaveLength(2);
    const after = await trend();
    expect(after).toEqual(before);
    expect(after).toEqual([
      {
        component: 'compressor',
        firstScoredAt: day(10) + 3 * hourMs,
        lastScoredAt: day(30) + 18 * hourMs,
        scores: 6,
        points: [
          { ts: day(10), pFail: 0.7, daysLeft: 9 },
          { ts: day(11), pFail: 0.6, daysLeft: 5 },
          { ts: day(24), pFail: 0.8, daysLeft: 3 },
          { ts: day(30), pFail: 0.9, daysLeft: 1 },
        ],
      },
    ]);
    // Finer buckets where only the day is left put the day's figures at its highest score's time.
    const hourly = await store.riskTrend({ deviceId: 'ac-0001', from: day(10), to: day(12), stepMs: hourMs });
    expect(hourly[0]!.points).toEqual([
      { ts: day(10) + 20 * hourMs, pFail: 0.7, daysLeft: 9 },
      { ts: day(11) + 5 * hourMs, pFail: 0.6, daysLeft: 5 },
    ]);
    // A window that holds only part of a day's scores cannot take the day: it shows nothing there,
    // not scores from outside it, and says when the component was first scored all the same.
    const cut = await store.riskTrend({
      deviceId: 'ac-0001',
      from: day(10) + 12 * hourMs,
      to: day(11),
      stepMs: 60_000,
    });
    expect(cut).toEqual([]);
    const morning = await store.riskTrend({
      deviceId: 'ac-0001',
      from: day(11),
      to: day(11) + 6 * hourMs,
      stepMs: 60_000,
    });
    expect(morning).toEqual([
      {
        component: 'compressor',
        firstScoredAt: day(10) + 3 * hourMs,
        lastScoredAt: day(11) + 5 * hourMs,
        scores: 1,
        points: [{ ts: day(11) + 5 * hourMs, pFail: 0.6, daysLeft: 5 }],
      },
    ]);
  });

  it('fills the daily trend from the risks a store already held when it is upgraded', async () => {
    await store.writeRisks([
      riskOf('ac-0001', 'compressor', now - 9 * dayMs, { pFail: 0.45 }),
      riskOf('ac-0001', 'compressor', now - dayMs, { pFail: 0.3 }),
    ]);
    await store.close();
    const db = new Database(file);
    db.exec('DROP TABLE risk_daily');
    db.pragma('user_version = 2');
    db.close();
    store = createSqliteStore({ file, retentionDays: 7 });
    await store.init();
    await store.compact(now);
    const trend = await store.riskTrend({
      deviceId: 'ac-0001',
      from: now - 10 * dayMs,
      to: now,
      stepMs: dayMs,
    });
    expect(trend[0]!.points.map((p) => p.pFail)).toEqual([0.45, 0.3]);
  });
});
