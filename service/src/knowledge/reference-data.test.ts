import { deviceModels } from '@aftercare/core';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aServiceScene, planner, type Repositories, repositories } from '../../test/support/world.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import { migrateToLatest, migrationProvider } from '../db/migrations.ts';
import { periodicServiceGuide, serviceChecklists } from './service-checklists.ts';

describe('the periodic service checklist', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = repositories(db);
  });
  afterEach(() => db.destroy());

  it('is in the knowledge base for every device model, hands-on (no remote fix)', async () => {
    const guides = await repos.catalogue.guides();
    for (const model of deviceModels) {
      const guide = guides.find((g) => g.model === model && g.failureMode === periodicServiceGuide);
      expect(guide, model).toMatchObject({ skill: 'general_service', remoteFix: null });
      expect(guide!.steps.length).toBeGreaterThanOrEqual(4);
      expect(guide!.steps.length).toBeLessThanOrEqual(6);
    }
  });

  it('gives an AMC visit ticket its model’s checklist, and a repair without a failure mode none', async () => {
    // An AMC visit ticket read "No steps in the knowledge base".
    const scene = await aServiceScene(repos);
    const device = await repos.devices.get(scene.device.id);
    const visit = await repos.tickets.create(
      { kind: 'amc_visit', deviceId: scene.device.id, description: 'Quarterly service' },
      planner,
    );
    expect(visit.troubleshootingSteps).toEqual(serviceChecklists[device!.model]);
    const report = await repos.tickets.create(
      { kind: 'corrective', deviceId: scene.device.id, description: 'Noisy' },
      planner,
    );
    expect(report.troubleshootingSteps).toEqual([]);
  });

  it('fills in the checklist of AMC visit tickets opened before it existed', async () => {
    const scene = await aServiceScene(repos);
    const visit = await repos.tickets.create(
      { kind: 'amc_visit', deviceId: scene.device.id, description: 'Quarterly service' },
      planner,
    );
    await db.updateTable('tickets').set({ troubleshooting_steps: '[]' }).where('id', '=', visit.id).execute();
    // A database from before migration 0007: it fills such tickets in, once, when it applies.
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('0006-ticket-commands')).error).toBeUndefined();
    // Later migrations follow it; this one must be among those applied.
    expect(await migrateToLatest(db)).toContain('0007-amc-visit-checklists');
    const device = await repos.devices.get(scene.device.id);
    expect((await repos.tickets.get(visit.id))!.troubleshootingSteps).toEqual(
      serviceChecklists[device!.model],
    );
  });
});
