import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog, deviceModels } from '@aftercare/core';
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
    expect(tables).toEqual([
      'amc_plans',
      'api_tokens',
      'contract_devices',
      'contract_visits',
      'contracts',
      'customers',
      'devices',
      'feedback',
      'part_fixes',
      'part_returns',
      'parts',
      'service_partners',
      'sessions',
      'sites',
      'stock_levels',
      'stock_locations',
      'stock_reservations',
      'stock_transfers',
      'technician_skills',
      'technicians',
      'ticket_audit',
      'ticket_commands',
      'ticket_notes',
      'ticket_parts_used',
      'tickets',
      'troubleshooting_guides',
      'users',
      'warranty_claims',
    ]);
  });

  it('seeds a troubleshooting guide of 3–6 steps for every failure mode of the catalogue, and its part', async () => {
    const db = await createDatabase({ dataDir });
    const guides = await db.selectFrom('troubleshooting_guides').selectAll().execute();
    const fixes = await db.selectFrom('part_fixes').selectAll().execute();
    await db.destroy();
    for (const model of deviceModels) {
      for (const mode of catalog[model].failureModes) {
        const guide = guides.find((g) => g.model === model && g.failure_mode === mode.id);
        const steps = JSON.parse(guide?.steps ?? '[]') as string[];
        expect(steps.length, `${model} ${mode.id}`).toBeGreaterThanOrEqual(3);
        expect(steps.length, `${model} ${mode.id}`).toBeLessThanOrEqual(6);
        expect(guide).toMatchObject({
          skill: mode.skill,
          repair_minutes: mode.repairMinutes,
          remote_fix: mode.remoteFix,
        });
        if (mode.part)
          expect(fixes).toContainEqual({ sku: mode.part, failure_mode: mode.id, component: mode.component });
      }
    }
  });

  it('keeps a catalogue price a planner changed when it opens again', async () => {
    const first = await createDatabase({ dataDir });
    await first.updateTable('parts').set({ price_cents: 1 }).where('sku', '=', 'AC-COMP').execute();
    await first.destroy();
    const second = await createDatabase({ dataDir });
    const part = await second
      .selectFrom('parts')
      .select('price_cents')
      .where('sku', '=', 'AC-COMP')
      .executeTakeFirstOrThrow();
    await second.destroy();
    expect(part.price_cents).toBe(1);
  });

  it('applies each migration once, however often it is opened', async () => {
    const first = await createDatabase({ dataDir });
    await first.destroy();
    const second = await createDatabase({ dataDir });
    expect(await migrateToLatest(second)).toEqual([]);
    await second.destroy();
  });
});
