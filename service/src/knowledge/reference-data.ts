import { catalog, deviceModels } from '@aftercare/core';
import type { ServiceDatabase } from '../db/database.ts';
import { catalogueParts } from './parts-catalogue.ts';
import {
  periodicServiceGuide,
  periodicServiceMinutes,
  periodicServiceTitle,
  serviceChecklists,
} from './service-checklists.ts';
import { troubleshootingSteps } from './troubleshooting-guides.ts';

/**
 * Brings the knowledge base and the parts catalogue in line with the code. Guides (one per failure
 * mode, and the periodic service checklist per model) are overwritten (they are content that ships
 * with the release); catalogue parts are only added, so a price a
 * planner changed is kept. Idempotent: safe on every start.
 */
export async function seedReferenceData(db: ServiceDatabase, now: number = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const model of deviceModels) {
      for (const mode of catalog[model].failureModes) {
        const steps = troubleshootingSteps[model][mode.id];
        if (!steps) throw new Error(`no troubleshooting steps for ${model} ${mode.id}`);
        const row = {
          title: mode.label,
          skill: mode.skill,
          steps: JSON.stringify(steps),
          remote_fix: mode.remoteFix,
          repair_minutes: mode.repairMinutes,
          updated_at: now,
        };
        await trx
          .insertInto('troubleshooting_guides')
          .values({ model, failure_mode: mode.id, ...row })
          .onConflict((oc) => oc.columns(['model', 'failure_mode']).doUpdateSet(row))
          .execute();
      }
      const checklist = {
        title: periodicServiceTitle,
        skill: 'general_service',
        steps: JSON.stringify(serviceChecklists[model]),
        remote_fix: null,
        repair_minutes: periodicServiceMinutes,
        updated_at: now,
      };
      await trx
        .insertInto('troubleshooting_guides')
        .values({ model, failure_mode: periodicServiceGuide, ...checklist })
        .onConflict((oc) => oc.columns(['model', 'failure_mode']).doUpdateSet(checklist))
        .execute();
    }
    for (const part of catalogueParts) {
      await trx
        .insertInto('parts')
        .values({
          sku: part.sku,
          model: part.model,
          name: part.name,
          price_cents: part.priceCents,
          return_required: part.returnRequired ? 1 : 0,
          consumable: part.consumable ? 1 : 0,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('sku').doNothing())
        .execute();
      for (const mode of catalog[part.model].failureModes.filter((f) => f.part === part.sku)) {
        await trx
          .insertInto('part_fixes')
          .values({ sku: part.sku, failure_mode: mode.id, component: mode.component })
          .onConflict((oc) => oc.columns(['sku', 'failure_mode', 'component']).doNothing())
          .execute();
      }
    }
  });
}
