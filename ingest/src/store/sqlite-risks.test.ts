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
});
