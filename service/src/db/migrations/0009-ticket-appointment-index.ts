import type { Kysely, Migration } from 'kysely';

/**
 * Tickets by when their visit is booked: the dispatch board and the automation read a day's booked
 * visits by it (`PlanningData.assignedWork`). The visits already made are read from the audit log by
 * when they began (its `at` index).
 */
export const ticketAppointmentIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('tickets_appointment_start_idx')
      .on('tickets')
      .columns(['appointment_start', 'technician_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('tickets_appointment_start_idx').execute();
  },
};
