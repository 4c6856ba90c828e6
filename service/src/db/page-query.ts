import type { Page } from '@aftercare/core';
import { type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import { toCount } from './query-helpers.ts';
import type { ServiceTables } from './tables.ts';

/** The page a list asks for (`?limit=&offset=`). */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** How a list is sorted before it is cut into pages; `id` always breaks ties. */
export interface PageOrder<T extends keyof ServiceTables> {
  by: keyof ServiceTables[T] & string;
  direction: 'asc' | 'desc';
}

/**
 * One page of a filtered list of a table's rows, and how many rows the filter matches in all (both
 * read at once). Rows sort by `order` and then by id, so equal keys never put a row on two pages or
 * on none. Plain ORDER BY / LIMIT / OFFSET and count(*): the same on SQLite and PostgreSQL.
 */
export async function readPage<T extends keyof ServiceTables & string, Item>(
  filtered: SelectQueryBuilder<ServiceTables, T, object>,
  order: PageOrder<T>,
  page: PageRequest,
  toItem: (row: Selectable<ServiceTables[T]>) => Item,
): Promise<Page<Item>> {
  const [rows, count] = await Promise.all([
    filtered
      .selectAll()
      .orderBy(sql.ref(order.by), order.direction)
      .orderBy(sql.ref('id'))
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst(),
  ]);
  // `select *` of table T: kysely cannot resolve that row type for a generic T, so it is named here.
  return {
    items: (rows as unknown as Selectable<ServiceTables[T]>[]).map(toItem),
    total: toCount(count),
    limit: page.limit,
    offset: page.offset,
  };
}
