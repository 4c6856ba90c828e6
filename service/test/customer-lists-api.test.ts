import type { Risk } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPlan, aSite, day } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

const lists = ['devices', 'contracts', 'sites', 'risks', 'tickets'] as const;
type List = (typeof lists)[number];

/**
 * A customer filtering a list by a customer id. Its own id narrows nothing; another customer's id
 * lists nothing, exactly as an id that does not exist does, so that a customer never learns whether
 * another customer's id exists, and never mistakes its own records for another's.
 */
describe("a customer's lists filtered by customerId", () => {
  let service: ServiceHarness;
  const ids = { a: '', b: '' };
  /** What each customer has in each list, by the field that identifies an item there. */
  const owned: Record<'a' | 'b', Record<List, string[]>> = {
    a: { devices: [], contracts: [], sites: [], risks: [], tickets: [] },
    b: { devices: [], contracts: [], sites: [], risks: [], tickets: [] },
  };
  const tokens = { a: '', planner: '' };
  const now = Date.now();

  const keyOf = (list: List, item: { id?: string; deviceId?: string; component?: string }) =>
    list === 'risks' ? `${item.deviceId}/${item.component}` : item.id!;
  const listed = async (list: List, query: string, token: string) => {
    const res = await service.api(`/api/${list}${query}`, { token });
    expect(res.status, `${list}${query}`).toBe(200);
    return res.body;
  };
  const keys = async (list: List, query: string, token: string) =>
    (await listed(list, query, token)).items.map((item: object) => keyOf(list, item)).sort();

  beforeAll(async () => {
    service = await startService();
    const post = async (path: string, body: unknown) => {
      const res = await service.api(path, { method: 'POST', body });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const planId = (await post('/api/contract-plans', aPlan())).id;
    for (const who of ['a', 'b'] as const) {
      const customerId = (await post('/api/customers', aCustomer())).id;
      ids[who] = customerId;
      const siteId = (await post(`/api/customers/${customerId}/sites`, aSite())).id;
      const deviceId = (await post('/api/devices', aDevice({ customerId, siteId }))).id;
      const contractId = (
        await post('/api/contracts', {
          customerId,
          planId,
          deviceIds: [deviceId],
          startsAt: now - day,
          endsAt: now + 364 * day,
        })
      ).id;
      const ticketId = (await post('/api/tickets', { deviceId, description: 'Not cooling' })).id;
      const risk: Risk = {
        deviceId,
        model: 'split-ac',
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail: 0.2,
        daysLeft: null,
        horizonDays: 14,
        modelVersion: 'test',
        scoredAt: now - 60_000,
        dataUntil: now - 120_000,
        drivers: [],
      };
      await service.store.writeRisks([risk]);
      owned[who] = {
        devices: [deviceId],
        contracts: [contractId],
        sites: [siteId],
        risks: [`${deviceId}/compressor`],
        tickets: [ticketId],
      };
    }
    tokens.a = await service.login({ email: 'a@example.com', role: 'customer', customerId: ids.a });
    tokens.planner = await service.login({ email: 'planner@example.com', role: 'planner' });
  });
  afterAll(() => service.close());

  it.each(lists)('GET /api/%s shows the customer its own, with or without its own id', async (list) => {
    expect(await keys(list, '', tokens.a)).toEqual(owned.a[list]);
    expect(await keys(list, `?customerId=${ids.a}`, tokens.a)).toEqual(owned.a[list]);
  });

  it.each(lists)(
    "GET /api/%s lists nothing for another customer's id, as for an id that does not exist",
    async (list) => {
      const other = await listed(list, `?customerId=${ids.b}`, tokens.a);
      expect(other).toMatchObject({ items: [], total: 0 });
      expect(await listed(list, '?customerId=cust-nobody', tokens.a)).toEqual(other);
    },
  );

  it.each(lists)("GET /api/%s lets a planner narrow the list to one customer's", async (list) => {
    expect(await keys(list, `?customerId=${ids.b}`, tokens.planner)).toEqual(owned.b[list]);
  });
});
