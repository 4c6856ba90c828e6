import { type Kysely, type Migration, sql } from 'kysely';

/*
 * Service operations, part 1: who is served and who serves. From here on instants are epoch
 * milliseconds in `bigint` columns and flags are 0/1 integers, which SQLite and PostgreSQL store alike.
 */
export const customersPartnersTechnicians: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('customers')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('contact_name', 'varchar(200)')
      .addColumn('contact_email', 'varchar(254)')
      .addColumn('contact_phone', 'varchar(32)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('customers_kind_check', sql`kind in ('residential', 'business')`)
      .execute();
    await db.schema.createIndex('customers_name_idx').on('customers').column('name').execute();

    await db.schema
      .createTable('sites')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('customer_id', 'varchar(64)', (c) => c.notNull().references('customers.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('address', 'varchar(300)', (c) => c.notNull())
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lon', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sites_customer_id_idx').on('sites').columns(['customer_id', 'id']).execute();

    // Devices predate customers: customer_id stays a plain column (devices may name a customer the
    // service has not recorded yet); the site and the warranty end are new.
    await db.schema.alterTable('devices').addColumn('site_id', 'varchar(64)').execute();
    await db.schema.alterTable('devices').addColumn('warranty_ends_at', 'bigint').execute();
    await db.schema.createIndex('devices_site_id_idx').on('devices').columns(['site_id', 'id']).execute();

    await db.schema
      .createTable('service_partners')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('lat', 'double precision', (c) => c.notNull())
      .addColumn('lon', 'double precision', (c) => c.notNull())
      .addColumn('coverage_radius_km', 'double precision', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint(
        'service_partners_kind_check',
        sql`kind in ('authorised_centre', 'franchise', 'mobile_van')`,
      )
      .addCheckConstraint('service_partners_radius_check', sql`coverage_radius_km > 0`)
      .execute();

    await db.schema
      .createTable('technicians')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('partner_id', 'varchar(64)', (c) => c.notNull().references('service_partners.id'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('home_lat', 'double precision', (c) => c.notNull())
      .addColumn('home_lon', 'double precision', (c) => c.notNull())
      // ISO weekdays as "1,2,3,4,5"; times of day as HH:MM in the technician's time zone.
      .addColumn('work_days', 'varchar(20)', (c) => c.notNull())
      .addColumn('work_start', 'varchar(5)', (c) => c.notNull())
      .addColumn('work_end', 'varchar(5)', (c) => c.notNull())
      .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
      .addColumn('daily_capacity_minutes', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('unavailable_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('technicians_status_check', sql`status in ('active', 'unavailable')`)
      .addCheckConstraint('technicians_capacity_check', sql`daily_capacity_minutes > 0`)
      .execute();
    await db.schema
      .createIndex('technicians_partner_id_idx')
      .on('technicians')
      .columns(['partner_id', 'id'])
      .execute();

    await db.schema
      .createTable('technician_skills')
      .addColumn('technician_id', 'varchar(64)', (c) => c.notNull().references('technicians.id'))
      .addColumn('skill', 'varchar(32)', (c) => c.notNull())
      .addColumn('certificate_id', 'varchar(100)')
      // Null: the skill is held without a certification; otherwise the certification's expiry.
      .addColumn('certified_until', 'bigint')
      .addPrimaryKeyConstraint('technician_skills_pk', ['technician_id', 'skill'])
      .execute();
    await db.schema
      .createIndex('technician_skills_skill_idx')
      .on('technician_skills')
      .columns(['skill', 'technician_id'])
      .execute();

    // Technician tokens name their technician, as customer tokens name their customer.
    await db.schema.alterTable('api_tokens').addColumn('technician_id', 'varchar(64)').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('api_tokens').dropColumn('technician_id').execute();
    await db.schema.dropTable('technician_skills').execute();
    await db.schema.dropTable('technicians').execute();
    await db.schema.dropTable('service_partners').execute();
    await db.schema.dropIndex('devices_site_id_idx').execute();
    await db.schema.alterTable('devices').dropColumn('warranty_ends_at').execute();
    await db.schema.alterTable('devices').dropColumn('site_id').execute();
    await db.schema.dropTable('sites').execute();
    await db.schema.dropTable('customers').execute();
  },
};
