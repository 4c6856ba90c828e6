import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Remote troubleshooting: every command sent to a device for a ticket, and the device's answer.
 * The command's id is the `commandId` the device echoes back, so an answer finds its row by id
 * (and device, so one device cannot answer for another).
 */
export const ticketCommands: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ticket_commands')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull().references('devices.id'))
      .addColumn('command', 'varchar(64)', (c) => c.notNull())
      // JSON object of the arguments, or null.
      .addColumn('args', 'text')
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_by', 'varchar(100)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('answered_at', 'bigint')
      .addColumn('answer_code', 'varchar(64)')
      .addColumn('answer_message', 'varchar(500)')
      .addCheckConstraint(
        'ticket_commands_status_check',
        sql`status in ('sent', 'answered', 'failed', 'timed_out')`,
      )
      .execute();
    await db.schema
      .createIndex('ticket_commands_ticket_idx')
      .on('ticket_commands')
      .columns(['ticket_id', 'sent_at'])
      .execute();
    // The timeout sweep reads the unanswered ones, oldest first.
    await db.schema
      .createIndex('ticket_commands_status_idx')
      .on('ticket_commands')
      .columns(['status', 'sent_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ticket_commands').execute();
  },
};
