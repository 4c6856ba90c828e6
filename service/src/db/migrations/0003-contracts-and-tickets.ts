import { type Kysely, type Migration, sql } from 'kysely';

/** Service operations, part 2: AMC plans and contracts, tickets, their audit log and notes. */
export const contractsAndTickets: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('amc_plans')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('model', 'varchar(64)')
      .addColumn('visits_per_year', 'integer', (c) => c.notNull())
      .addColumn('sla_response_hours', 'integer', (c) => c.notNull())
      .addColumn('covers_labour', 'integer', (c) => c.notNull())
      .addColumn('covers_parts', 'integer', (c) => c.notNull())
      .addColumn('price_cents', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('amc_plans_flags_check', sql`covers_labour in (0, 1) and covers_parts in (0, 1)`)
      .addCheckConstraint('amc_plans_numbers_check', sql`visits_per_year >= 0 and sla_response_hours > 0`)
      .execute();

    await db.schema
      .createTable('contracts')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('customer_id', 'varchar(64)', (c) => c.notNull().references('customers.id'))
      .addColumn('plan_id', 'varchar(64)', (c) => c.notNull().references('amc_plans.id'))
      .addColumn('starts_at', 'bigint', (c) => c.notNull())
      .addColumn('ends_at', 'bigint', (c) => c.notNull())
      .addColumn('renewal_status', 'varchar(16)', (c) => c.notNull())
      .addColumn('renews_contract_id', 'varchar(64)', (c) => c.references('contracts.id').unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('contracts_term_check', sql`ends_at > starts_at`)
      .addCheckConstraint(
        'contracts_renewal_check',
        sql`renewal_status in ('not_due', 'due', 'offered', 'renewed', 'declined')`,
      )
      .execute();
    await db.schema
      .createIndex('contracts_customer_idx')
      .on('contracts')
      .columns(['customer_id', 'id'])
      .execute();
    await db.schema.createIndex('contracts_ends_at_idx').on('contracts').columns(['ends_at', 'id']).execute();

    await db.schema
      .createTable('contract_devices')
      .addColumn('contract_id', 'varchar(64)', (c) => c.notNull().references('contracts.id'))
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull().references('devices.id'))
      .addPrimaryKeyConstraint('contract_devices_pk', ['contract_id', 'device_id'])
      .execute();
    await db.schema
      .createIndex('contract_devices_device_idx')
      .on('contract_devices')
      .columns(['device_id', 'contract_id'])
      .execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'varchar(24)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('priority', 'varchar(8)', (c) => c.notNull())
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull().references('devices.id'))
      .addColumn('customer_id', 'varchar(64)')
      .addColumn('site_id', 'varchar(64)', (c) => c.references('sites.id'))
      .addColumn('title', 'varchar(200)', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('component', 'varchar(64)')
      .addColumn('failure_mode', 'varchar(64)')
      .addColumn('required_skill', 'varchar(32)')
      // JSON text: the risk evidence of a predictive ticket, and the steps issued with the ticket.
      .addColumn('evidence', 'text')
      .addColumn('troubleshooting_steps', 'text', (c) => c.notNull())
      .addColumn('appointment_start', 'bigint')
      .addColumn('appointment_end', 'bigint')
      .addColumn('technician_id', 'varchar(64)', (c) => c.references('technicians.id'))
      .addColumn('sla_due_at', 'bigint', (c) => c.notNull())
      .addColumn('coverage', 'varchar(16)', (c) => c.notNull())
      .addColumn('contract_id', 'varchar(64)', (c) => c.references('contracts.id'))
      // "<deviceId>/<component>" while a predictive piece of work on that component is open; null
      // otherwise. Unique, so the database itself allows one open predictive ticket per device and
      // component (NULLs never collide, in SQLite as in PostgreSQL).
      .addColumn('open_key', 'varchar(140)', (c) => c.unique())
      .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('resolved_at', 'bigint')
      .addColumn('closed_at', 'bigint')
      .addCheckConstraint(
        'tickets_kind_check',
        sql`kind in ('predictive', 'corrective', 'amc_visit', 'installation')`,
      )
      .addCheckConstraint(
        'tickets_status_check',
        sql`status in ('open', 'scheduled', 'dispatched', 'on_site', 'resolved', 'verified', 'flagged_for_review', 'closed', 'cancelled')`,
      )
      .addCheckConstraint('tickets_priority_check', sql`priority in ('low', 'normal', 'high', 'urgent')`)
      .addCheckConstraint('tickets_coverage_check', sql`coverage in ('in_warranty', 'amc', 'chargeable')`)
      .addCheckConstraint('tickets_version_check', sql`version >= 1`)
      .execute();
    for (const column of ['device_id', 'customer_id', 'technician_id', 'status'] as const) {
      await db.schema
        .createIndex(`tickets_${column}_idx`)
        .on('tickets')
        .columns([column, 'created_at'])
        .execute();
    }
    await db.schema
      .createIndex('tickets_created_at_idx')
      .on('tickets')
      .columns(['created_at', 'id'])
      .execute();

    // Append-only: the repository only ever inserts here. (ticket_id, version) numbers the entries
    // of a ticket without gaps, so a lost or doubled entry is a constraint violation, not a mystery.
    await db.schema
      .createTable('ticket_audit')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'varchar(100)', (c) => c.notNull())
      .addColumn('actor_role', 'varchar(16)', (c) => c.notNull())
      .addColumn('from_status', 'varchar(24)')
      .addColumn('to_status', 'varchar(24)', (c) => c.notNull())
      .addColumn('action', 'varchar(48)', (c) => c.notNull())
      .addColumn('reason', 'varchar(1000)')
      .addColumn('data', 'text')
      .addUniqueConstraint('ticket_audit_version_unique', ['ticket_id', 'version'])
      .execute();
    await db.schema.createIndex('ticket_audit_at_idx').on('ticket_audit').columns(['at', 'id']).execute();

    await db.schema
      .createTable('ticket_notes')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('author', 'varchar(100)', (c) => c.notNull())
      .addColumn('author_role', 'varchar(16)', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ticket_notes_ticket_idx')
      .on('ticket_notes')
      .columns(['ticket_id', 'at'])
      .execute();

    await db.schema
      .createTable('contract_visits')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('contract_id', 'varchar(64)', (c) => c.notNull().references('contracts.id'))
      .addColumn('device_id', 'varchar(64)', (c) => c.notNull().references('devices.id'))
      .addColumn('due_from', 'bigint', (c) => c.notNull())
      .addColumn('due_to', 'bigint', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.references('tickets.id').unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // Planning the same visit twice (a re-run of the scheduler) finds the first one.
      .addUniqueConstraint('contract_visits_window_unique', ['contract_id', 'device_id', 'due_from'])
      .addCheckConstraint('contract_visits_window_check', sql`due_to > due_from`)
      .addCheckConstraint(
        'contract_visits_status_check',
        sql`status in ('planned', 'scheduled', 'done', 'missed', 'cancelled')`,
      )
      .execute();
    await db.schema
      .createIndex('contract_visits_due_idx')
      .on('contract_visits')
      .columns(['due_from', 'id'])
      .execute();
    await db.schema
      .createIndex('contract_visits_device_idx')
      .on('contract_visits')
      .columns(['device_id', 'due_from'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['contract_visits', 'ticket_notes', 'ticket_audit', 'tickets', 'contract_devices']) {
      await db.schema.dropTable(table).execute();
    }
    await db.schema.dropTable('contracts').execute();
    await db.schema.dropTable('amc_plans').execute();
  },
};
