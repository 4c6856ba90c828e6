import { type Kysely, type Migration, sql } from 'kysely';

// Migrations see the schema as it was when they were written, not today's table types.
export const devicesAndApiTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('devices')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('model', 'varchar(64)', (c) => c.notNull())
      .addColumn('serial', 'varchar(64)')
      .addColumn('customer_id', 'varchar(64)')
      .addColumn('lat', 'double precision')
      .addColumn('lon', 'double precision')
      .addColumn('address', 'varchar(300)')
      .addColumn('installed_at', 'varchar(32)')
      .addColumn('secret_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('devices_customer_id_idx')
      .on('devices')
      .columns(['customer_id', 'id'])
      .execute();
    await db.schema.createIndex('devices_model_idx').on('devices').columns(['model', 'id']).execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('customer_id', 'varchar(64)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revoked_at', 'varchar(32)')
      .addCheckConstraint(
        'api_tokens_role_check',
        sql`role in ('admin', 'planner', 'technician', 'customer')`,
      )
      // A customer token that names no customer would see either nothing or, after a bug, everything.
      .addCheckConstraint('api_tokens_customer_check', sql`role <> 'customer' or customer_id is not null`)
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('api_tokens').execute();
    await db.schema.dropTable('devices').execute();
  },
};
