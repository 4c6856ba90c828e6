import { type Kysely, type Migration, sql } from 'kysely';

/** Service operations, part 3: the parts catalogue, stock, reservations, transfers, use and returns. */
export const partsAndStock: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('parts')
      .addColumn('sku', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('model', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('price_cents', 'integer', (c) => c.notNull())
      .addColumn('return_required', 'integer', (c) => c.notNull())
      .addColumn('consumable', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('parts_price_check', sql`price_cents >= 0`)
      .addCheckConstraint('parts_flags_check', sql`return_required in (0, 1) and consumable in (0, 1)`)
      .execute();
    await db.schema.createIndex('parts_model_idx').on('parts').columns(['model', 'sku']).execute();

    // What each part fixes: one row per (part, failure mode), with the component it acts on.
    await db.schema
      .createTable('part_fixes')
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('failure_mode', 'varchar(64)', (c) => c.notNull())
      .addColumn('component', 'varchar(64)', (c) => c.notNull())
      .addPrimaryKeyConstraint('part_fixes_pk', ['sku', 'failure_mode', 'component'])
      .execute();
    await db.schema
      .createIndex('part_fixes_failure_mode_idx')
      .on('part_fixes')
      .columns(['failure_mode', 'sku'])
      .execute();

    await db.schema
      .createTable('stock_locations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('kind', 'varchar(24)', (c) => c.notNull())
      .addColumn('partner_id', 'varchar(64)', (c) => c.references('service_partners.id'))
      .addColumn('technician_id', 'varchar(64)', (c) => c.references('technicians.id'))
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lon', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint(
        'stock_locations_kind_check',
        sql`kind in ('central_warehouse', 'partner_depot', 'van')`,
      )
      .addCheckConstraint(
        'stock_locations_partner_check',
        sql`kind = 'central_warehouse' or partner_id is not null`,
      )
      .execute();

    // The invariants that make stock safe live in the table: nothing negative, never more reserved
    // than is on hand. A conditional UPDATE that would break them changes no row instead.
    await db.schema
      .createTable('stock_levels')
      .addColumn('location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('on_hand', 'integer', (c) => c.notNull())
      .addColumn('reserved', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('stock_levels_pk', ['location_id', 'sku'])
      .addCheckConstraint('stock_levels_non_negative', sql`on_hand >= 0 and reserved >= 0`)
      .addCheckConstraint('stock_levels_reserved_le_on_hand', sql`reserved <= on_hand`)
      .execute();
    await db.schema
      .createIndex('stock_levels_sku_idx')
      .on('stock_levels')
      .columns(['sku', 'location_id'])
      .execute();

    await db.schema
      .createTable('stock_reservations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('stock_reservations_quantity_check', sql`quantity > 0`)
      .addCheckConstraint(
        'stock_reservations_status_check',
        sql`status in ('reserved', 'consumed', 'released')`,
      )
      .execute();
    await db.schema
      .createIndex('stock_reservations_ticket_idx')
      .on('stock_reservations')
      .columns(['ticket_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('stock_reservations_location_idx')
      .on('stock_reservations')
      .columns(['location_id', 'sku', 'status'])
      .execute();

    await db.schema
      .createTable('stock_transfers')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('from_location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('to_location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.references('tickets.id'))
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('eta_at', 'bigint', (c) => c.notNull())
      .addColumn('arrived_at', 'bigint')
      .addCheckConstraint('stock_transfers_quantity_check', sql`quantity > 0`)
      .addCheckConstraint('stock_transfers_route_check', sql`from_location_id <> to_location_id`)
      .addCheckConstraint(
        'stock_transfers_status_check',
        sql`status in ('in_transit', 'arrived', 'cancelled')`,
      )
      .execute();
    await db.schema
      .createIndex('stock_transfers_status_idx')
      .on('stock_transfers')
      .columns(['status', 'eta_at'])
      .execute();
    await db.schema
      .createIndex('stock_transfers_ticket_idx')
      .on('stock_transfers')
      .columns(['ticket_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('ticket_parts_used')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('reservation_id', 'varchar(64)', (c) => c.references('stock_reservations.id').unique())
      .addColumn('removed_serial', 'varchar(64)')
      .addColumn('recorded_by', 'varchar(100)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('ticket_parts_used_quantity_check', sql`quantity > 0`)
      .execute();
    await db.schema
      .createIndex('ticket_parts_used_ticket_idx')
      .on('ticket_parts_used')
      .columns(['ticket_id', 'at'])
      .execute();

    await db.schema
      .createTable('part_returns')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
      .addColumn('sku', 'varchar(64)', (c) => c.notNull().references('parts.sku'))
      .addColumn('serial', 'varchar(64)')
      .addColumn('location_id', 'varchar(64)', (c) => c.notNull().references('stock_locations.id'))
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('part_returns_ticket_idx')
      .on('part_returns')
      .columns(['ticket_id', 'received_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'part_returns',
      'ticket_parts_used',
      'stock_transfers',
      'stock_reservations',
      'stock_levels',
      'stock_locations',
      'part_fixes',
      'parts',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
