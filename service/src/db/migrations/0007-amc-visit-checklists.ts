import { deviceModels } from '@aftercare/core';
import type { Kysely, Migration } from 'kysely';
import { serviceChecklists } from '../../knowledge/service-checklists.ts';

/** The two tables this data migration touches, as they were when it was written. */
interface Tables {
  tickets: { kind: string; failure_mode: string | null; troubleshooting_steps: string; device_id: string };
  devices: { id: string; model: string };
}

/**
 * AMC visit tickets opened before the periodic service checklist existed were left without steps:
 * they get their model's checklist, once. (Tickets opened since carry it from the knowledge base.)
 */
export const amcVisitChecklists: Migration = {
  async up(db: Kysely<unknown>) {
    const k = db as unknown as Kysely<Tables>;
    for (const model of deviceModels) {
      await k
        .updateTable('tickets')
        .set({ troubleshooting_steps: JSON.stringify(serviceChecklists[model]) })
        .where('kind', '=', 'amc_visit')
        .where('failure_mode', 'is', null)
        .where('troubleshooting_steps', '=', '[]')
        .where('device_id', 'in', (eb) => eb.selectFrom('devices').select('id').where('model', '=', model))
        .execute();
    }
  },
  // Filled-in steps are indistinguishable from any others: going back leaves them.
  async down() {},
};
