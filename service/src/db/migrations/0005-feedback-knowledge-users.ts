import { type Kysely, type Migration, sql } from 'kysely';

/** Service operations, part 4: feedback, warranty claims, the knowledge base, people's accounts. */
export const feedbackKnowledgeUsers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('feedback')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      // One verdict per ticket.
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().unique().references('tickets.id'))
      .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('csat', 'integer', (c) => c.notNull())
      .addColumn('nps', 'integer', (c) => c.notNull())
      .addColumn('comment', 'varchar(2000)')
      .addColumn('complaint', 'integer', (c) => c.notNull())
      .addColumn('complaint_resolved_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('feedback_csat_check', sql`csat between 1 and 5`)
      .addCheckConstraint('feedback_nps_check', sql`nps between 0 and 10`)
      .addCheckConstraint('feedback_complaint_check', sql`complaint in (0, 1)`)
      .execute();
    await db.schema
      .createIndex('feedback_customer_idx')
      .on('feedback')
      .columns(['customer_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('warranty_claims')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().unique().references('tickets.id'))
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('coverage', 'varchar(16)', (c) => c.notNull())
      .addColumn('contract_id', 'varchar(64)')
      .addColumn('parts_cents', 'integer', (c) => c.notNull())
      .addColumn('labour_cents', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('decision_note', 'varchar(1000)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_at', 'bigint')
      .addCheckConstraint('warranty_claims_coverage_check', sql`coverage in ('in_warranty', 'amc')`)
      .addCheckConstraint(
        'warranty_claims_status_check',
        sql`status in ('submitted', 'approved', 'rejected')`,
      )
      .execute();

    await db.schema
      .createTable('troubleshooting_guides')
      .addColumn('model', 'varchar(64)', (c) => c.notNull())
      .addColumn('failure_mode', 'varchar(64)', (c) => c.notNull())
      .addColumn('title', 'varchar(200)', (c) => c.notNull())
      .addColumn('skill', 'varchar(32)', (c) => c.notNull())
      // JSON array of the steps, in order.
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('remote_fix', 'varchar(64)')
      .addColumn('repair_minutes', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('troubleshooting_guides_pk', ['model', 'failure_mode'])
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      // Stored lower-cased, so uniqueness is case-insensitive in every dialect.
      .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
      .addColumn('name', 'varchar(200)')
      .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('customer_id', 'varchar(64)', (c) => c.references('customers.id'))
      .addColumn('technician_id', 'varchar(64)', (c) => c.references('technicians.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('disabled_at', 'bigint')
      .addCheckConstraint('users_role_check', sql`role in ('admin', 'planner', 'technician', 'customer')`)
      .addCheckConstraint(
        'users_scope_check',
        sql`(role = 'customer') = (customer_id is not null) and (role = 'technician') = (technician_id is not null)`,
      )
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id'))
      .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_expires_at_idx').on('sessions').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['sessions', 'users', 'troubleshooting_guides', 'warranty_claims', 'feedback']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
