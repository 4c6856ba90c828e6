import type { Kysely, Migration } from 'kysely';

/**
 * A complaint is closed with what was done about it and by whom: "resolved" alone, with a time, was
 * a figure nobody could check. Complaints closed before are left without either.
 */
export const complaintResolutions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('feedback').addColumn('complaint_resolution', 'text').execute();
    await db.schema.alterTable('feedback').addColumn('complaint_resolved_by', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('feedback').dropColumn('complaint_resolved_by').execute();
    await db.schema.alterTable('feedback').dropColumn('complaint_resolution').execute();
  },
};
