import { customerSchema, pageSchema } from '@aftercare/core';
import { type ApiClient, ApiError } from './api.ts';

/**
 * Customers' names by id, for pages that would otherwise show `cust-0025`. Read once per request:
 * a few ids one by one (GET /api/customers/:id), more through the list (GET /api/customers, 500 a
 * page), never one call per table row. A customer signed in reads only itself, as the API scopes it.
 * An id without a readable customer (not there, the endpoint missing) is left out: callers show the id.
 */

const customerPageSchema = pageSchema(customerSchema);
const byIdLimit = 3;
const listPageLimit = 500;
/** A list past this many customers is cut; the rest show their ids. */
export const maxCustomersListed = 20_000;

export async function customerNames(
  api: ApiClient,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const id of ids) if (id) wanted.add(id);
  const names = new Map<string, string>();
  if (wanted.size === 0) return names;
  if (wanted.size <= byIdLimit) {
    await Promise.all(
      [...wanted].map(async (id) => {
        const customer = await oneCustomer(api, id);
        if (customer) names.set(id, customer.name);
      }),
    );
    return names;
  }
  for (let offset = 0; offset < maxCustomersListed; offset += listPageLimit) {
    const page = await api.getIfAvailable('/api/customers', customerPageSchema, {
      limit: listPageLimit,
      offset,
    });
    if (page === null) return names;
    for (const c of page.items) if (wanted.has(c.id)) names.set(c.id, c.name);
    if (page.items.length < listPageLimit || offset + listPageLimit >= page.total) break;
    if (names.size === wanted.size) break;
  }
  return names;
}

async function oneCustomer(api: ApiClient, id: string) {
  try {
    return await api.getIfAvailable(`/api/customers/${encodeURIComponent(id)}`, customerSchema);
  } catch (err) {
    // Not there (404), or an id the API refuses as malformed (400): show the id.
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
    throw err;
  }
}
