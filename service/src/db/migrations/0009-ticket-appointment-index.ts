import type { Kysely, Migration } from 'kysely';

/**
 * Tickets by when their visit is booked: the dispatch board reads a day's visits, done ones among
 * them, and without it every finished ticket of all time was read to find one day's.
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
