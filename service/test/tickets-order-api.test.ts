import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aTechnician, aWorkingVisit, day, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** GET /api/tickets?sort=&dir=: the order is the API's, so pages of a sorted list never overlap. */
describe('the ticket list, sorted', () => {
  let service: ServiceHarness;
  const opened: { id: string; priority: string }[] = [];

  beforeAll(async () => {
    service = await startService();
    const post = async (path: string, body: unknown) => {
      const res = await service.api(path, { method: 'POST', body });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const customer = (await post('/api/customers', aCustomer())).id;
    const device = (await post('/api/devices', aDevice({ customerId: customer }))).id;
    for (const priority of ['normal', 'urgent', 'low', 'high', 'normal']) {
      const ticket = await post('/api/tickets', {
        deviceId: device,
        description: `a ${priority} problem`,
        priority,
      });
      opened.push({ id: ticket.id, priority });
    }
    const partner = await post('/api/partners', aPartner());
    const technician = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    // Two booked visits, the later one booked first; the other tickets have none.
    const sooner = aWorkingVisit(60, Date.now() + 5 * hour);
    const later = aWorkingVisit(60, sooner.end + day);
    for (const [index, appointment] of [
      [0, later],
      [3, sooner],
    ] as const) {
      const res = await service.api(`/api/tickets/${opened[index]!.id}/assignment`, {
        method: 'PUT',
        body: { technicianId: technician, appointment },
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(() => service.close());

  const list = async (query: string) => {
    const res = await service.api(`/api/tickets?${query}`);
    expect(res.status).toBe(200);
    return res.body.items as { id: string; priority: string; slaDueAt: number; createdAt: number }[];
  };

  it('puts the highest priority first, by rank and not by name', async () => {
    const items = await list('sort=priority');
    expect(items.map((t) => t.priority)).toEqual(['urgent', 'high', 'normal', 'normal', 'low']);
    expect((await list('sort=priority&dir=asc')).map((t) => t.priority)[0]).toBe('low');
  });

  it('puts the soonest SLA first', async () => {
    const due = (await list('sort=sla')).map((t) => t.slaDueAt);
    expect(due).toEqual([...due].sort((a, b) => a - b));
  });

  it('lists booked visits by appointment, the unbooked after them either way', async () => {
    const ids = (await list('sort=appointment')).map((t) => t.id);
    expect(ids.slice(0, 2)).toEqual([opened[3]!.id, opened[0]!.id]);
    const descending = (await list('sort=appointment&dir=desc')).map((t) => t.id);
    expect(descending.slice(0, 2)).toEqual([opened[0]!.id, opened[3]!.id]);
  });

  it('puts work still to do before finished work when sorted by SLA, priority or appointment', async () => {
    // The urgent ticket is cancelled: still first by priority among all, it now comes after the rest.
    const urgent = opened[1]!;
    const res = await service.api(`/api/tickets/${urgent.id}/transitions`, {
      method: 'POST',
      body: { to: 'cancelled', reason: 'duplicate of a call' },
    });
    expect(res.status, res.text).toBe(200);
    for (const query of ['sort=priority', 'sort=sla', 'sort=appointment', 'sort=sla&dir=desc']) {
      const ids = (await list(query)).map((t) => t.id);
      expect(ids.at(-1), query).toBe(urgent.id);
    }
    // By opening, the list stays in time order, finished or not.
    const byOpening = (await list('sort=created&dir=asc')).map((t) => t.id);
    expect(byOpening).toEqual(opened.map((t) => t.id));
  });

  it('pages a sorted list without showing a ticket twice or leaving one out', async () => {
    const pages = [
      ...(await list('sort=priority&limit=2&offset=0')),
      ...(await list('sort=priority&limit=2&offset=2')),
      ...(await list('sort=priority&limit=2&offset=4')),
    ].map((t) => t.id);
    expect(new Set(pages).size).toBe(opened.length);
  });

  it('answers an unknown sort key with a 400 naming the field', async () => {
    const res = await service.api('/api/tickets?sort=colour');
    expect(res.status).toBe(400);
    expect(res.text).toContain('sort');
  });
});
