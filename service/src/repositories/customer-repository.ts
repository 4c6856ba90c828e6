import {
  ConflictError,
  type CreateCustomerBody,
  type CreateSiteBody,
  type Customer,
  type CustomerKind,
  NotFoundError,
  type Page,
  type Site,
  type UpdateCustomerBody,
} from '@aftercare/core';
import { type Selectable, sql } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { containsPattern, newId, toCount } from '../db/query-helpers.ts';
import type { CustomersTable, SitesTable } from '../db/tables.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';

export interface CustomerFilter {
  kind?: CustomerKind | undefined;
  q?: string | undefined;
  /** Confine to one customer (a customer's own view). */
  id?: string | undefined;
}

function toCustomer(row: Selectable<CustomersTable>): Customer {
  const contact: Customer['contact'] = {};
  if (row.contact_name !== null) contact.name = row.contact_name;
  if (row.contact_email !== null) contact.email = row.contact_email;
  if (row.contact_phone !== null) contact.phone = row.contact_phone;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    contact,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toSite(row: Selectable<SitesTable>): Site {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    address: row.address,
    lat: row.lat,
    lon: row.lon,
    createdAt: row.created_at,
  };
}

/** Ids per query when reading names: well under SQLite's and PostgreSQL's bound on parameters. */
const namesPerQuery = 1000;

/** Customers and the sites where their devices are installed. */
export class CustomerRepository {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(input: CreateCustomerBody): Promise<Customer> {
    const now = this.clock();
    const row: Selectable<CustomersTable> = {
      id: input.id ?? newId(),
      name: input.name,
      kind: input.kind,
      contact_name: input.contact.name ?? null,
      contact_email: input.contact.email ?? null,
      contact_phone: input.contact.phone ?? null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('customers').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`customer ${row.id} already exists`);
      throw err;
    }
    return toCustomer(row);
  }

  async get(id: string): Promise<Customer | null> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCustomer(row) : null;
  }

  /** The names of these customers by id, for lists that show many devices' owners; unknown ids are left out. */
  async names(ids: Iterable<string | null>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)].filter((id) => id !== null);
    const names = new Map<string, string>();
    for (let offset = 0; offset < wanted.length; offset += namesPerQuery) {
      const rows = await this.db
        .selectFrom('customers')
        .select(['id', 'name'])
        .where('id', 'in', wanted.slice(offset, offset + namesPerQuery))
        .execute();
      for (const row of rows) names.set(row.id, row.name);
    }
    return names;
  }

  async update(id: string, patch: UpdateCustomerBody): Promise<Customer> {
    const current = await this.get(id);
    if (current === null) throw new NotFoundError('customer', id);
    const contact = patch.contact ?? current.contact;
    await this.db
      .updateTable('customers')
      .set({
        name: patch.name ?? current.name,
        kind: patch.kind ?? current.kind,
        contact_name: contact.name ?? null,
        contact_email: contact.email ?? null,
        contact_phone: contact.phone ?? null,
        updated_at: this.clock(),
      })
      .where('id', '=', id)
      .execute();
    return (await this.get(id))!;
  }

  async list(filter: CustomerFilter & { limit: number; offset: number }): Promise<Page<Customer>> {
    const [rows, count] = await Promise.all([
      this.filtered(filter)
        .selectAll()
        .orderBy('name')
        .orderBy('id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      this.filtered(filter)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirst(),
    ]);
    return { items: rows.map(toCustomer), total: toCount(count), limit: filter.limit, offset: filter.offset };
  }

  async createSite(customerId: string, input: CreateSiteBody): Promise<Site> {
    if ((await this.get(customerId)) === null) throw new NotFoundError('customer', customerId);
    const row: Selectable<SitesTable> = {
      id: newId(),
      customer_id: customerId,
      name: input.name,
      address: input.address,
      lat: input.lat,
      lon: input.lon,
      created_at: this.clock(),
    };
    await this.db.insertInto('sites').values(row).execute();
    return toSite(row);
  }

  async getSite(id: string): Promise<Site | null> {
    const row = await this.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSite(row) : null;
  }

  async listSites(filter: {
    customerId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<Site>> {
    let query = this.db.selectFrom('sites');
    if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
    ]);
    return { items: rows.map(toSite), total: toCount(count), limit: filter.limit, offset: filter.offset };
  }

  private filtered(filter: CustomerFilter) {
    let query = this.db.selectFrom('customers');
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.q !== undefined) {
      query = query.where(sql<boolean>`lower(name) like ${containsPattern(filter.q)} escape '\\'`);
    }
    return query;
  }
}
