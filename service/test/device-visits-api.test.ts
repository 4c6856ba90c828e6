import type { DeviceVisit } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/principal.ts';
import { aCustomer, aDevice, aPartner, aStockLocation, aTechnician, day, hour } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * GET /api/devices/:id/visits over real HTTP and SQLite: a split AC of customer A with three worked
 * tickets a day apart (a repair the customer asked for, a maintenance visit closed after review, a
 * fault fixed remotely), one cancelled and one still open; customer B owns another device.
 */
describe("a device's service history", () => {
  let service: ServiceHarness;
  const time = { now: Date.UTC(2026, 8, 1, 4) };
  const ids = { a: '', b: '', device: '', other: '', tech: '', otherTech: '', van: '' };
  const tokens = { a: '', b: '', tech: '', otherTech: '' };
  const visits = { repair: '', maintenance: '', remote: '', cancelled: '', open: '' };
  /** The office's words and the automation's, which the customer never reads. */
  const office = {
    note: 'Customer was difficult on the phone; call ahead twice',
    unscheduled: 'Van broke down on the ring road',
    flagged: 'Discharge temperature still 4 °C above baseline',
    remote: 'risk below p_close 30 % for 3 consecutive scores',
  };

  const send = async (path: string, body: unknown, token?: string, status = [200, 201]) => {
    const res = await service.api(path, { method: 'POST', body, ...(token ? { token } : {}) });
    expect(status, `${path}: ${res.text}`).toContain(res.status);
    return res.body;
  };
  const move = (ticketId: string, body: Record<string, unknown>, token?: string) =>
    send(`/api/tickets/${ticketId}/transitions`, body, token);
  const later = (ms: number) => {
    time.now += ms;
  };
  /** Scheduled for the technician two hours on, accepted and started. */
  const onSite = async (ticketId: string) => {
    const start = time.now + 2 * hour;
    await move(ticketId, {
      to: 'scheduled',
      technicianId: ids.tech,
      appointment: { start, end: start + hour },
    });
    await move(ticketId, { to: 'dispatched' }, tokens.tech);
    later(2 * hour);
    await move(ticketId, { to: 'on_site' }, tokens.tech);
  };
  const history = (query = '', token?: string, device = ids.device) =>
    service.api(`/api/devices/${device}/visits${query}`, token ? { token } : {});

  beforeAll(async () => {
    service = await startService({ clock: () => time.now });
    ids.a = (await send('/api/customers', aCustomer())).id;
    ids.b = (await send('/api/customers', aCustomer())).id;
    ids.device = (await send('/api/devices', aDevice({ customerId: ids.a }))).id;
    ids.other = (await send('/api/devices', aDevice({ customerId: ids.b }))).id;
    const partner = await send('/api/partners', aPartner());
    ids.tech = (
      await send(`/api/partners/${partner.id}/technicians`, aTechnician({ name: 'Kavya Iyer' }))
    ).id;
    ids.otherTech = (await send(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    ids.van = (
      await send(
        '/api/stock-locations',
        aStockLocation({ kind: 'van', partnerId: partner.id, technicianId: ids.tech }),
      )
    ).id;
    for (const sku of ['AC-FILTER', 'AC-RFG-KIT'])
      await send(`/api/stock-locations/${ids.van}/receipts`, { sku, quantity: 5 });
    // API tokens: the test's clock runs days ahead, past any session's end.
    tokens.a = await service.tokenFor('customer', ids.a);
    tokens.b = await service.tokenFor('customer', ids.b);
    tokens.tech = await service.tokenFor('technician', ids.tech);
    tokens.otherTech = await service.tokenFor('technician', ids.otherTech);

    // A repair the customer asked for: re-planned once, two filters and a refrigerant kit, verified.
    visits.repair = (
      await send(
        '/api/tickets',
        { deviceId: ids.device, description: 'Water dripping from the indoor unit' },
        tokens.a,
      )
    ).id;
    const start = time.now + hour;
    await move(visits.repair, {
      to: 'scheduled',
      technicianId: ids.tech,
      appointment: { start, end: start + hour },
    });
    await move(visits.repair, { to: 'open', reason: office.unscheduled });
    await send(`/api/tickets/${visits.repair}/notes`, { text: office.note });
    await onSite(visits.repair);
    for (const sku of ['AC-RFG-KIT', 'AC-FILTER', 'AC-FILTER']) {
      later(10 * 60_000);
      await send(`/api/tickets/${visits.repair}/parts-used`, { sku, locationId: ids.van }, tokens.tech);
    }
    later(hour);
    await move(
      visits.repair,
      { to: 'resolved', reason: 'Cleared the drain line and recharged the gas' },
      tokens.tech,
    );
    later(day);
    // The readings confirmed it: the fix verifier's step, as the platform takes it.
    await service.repos.tickets.transition(visits.repair, { to: 'verified' }, systemActor('fix-verifier'));
    await move(visits.repair, { to: 'closed' });

    // A maintenance visit whose fix the readings did not confirm, closed by the office with a reason.
    later(day);
    visits.maintenance = (
      await send('/api/tickets', { kind: 'amc_visit', deviceId: ids.device, description: 'Yearly service' })
    ).id;
    await onSite(visits.maintenance);
    later(hour);
    await move(visits.maintenance, { to: 'resolved', reason: 'Cleaned the coils and filters' }, tokens.tech);
    await move(visits.maintenance, { to: 'flagged_for_review', reason: office.flagged });
    await move(visits.maintenance, { to: 'closed', reason: 'You replaced the outdoor unit yourself' });

    // A fault cleared by a command to the device: nobody came.
    later(day);
    visits.remote = (
      await send(
        '/api/tickets',
        { deviceId: ids.device, description: 'It stopped cooling this morning' },
        tokens.a,
      )
    ).id;
    later(hour);
    await service.repos.tickets.transition(
      visits.remote,
      { to: 'resolved', reason: office.remote },
      systemActor('automation'),
    );

    // Neither a cancelled ticket nor open work is a visit.
    later(hour);
    visits.cancelled = (
      await send('/api/tickets', { deviceId: ids.device, description: 'Never mind' }, tokens.a)
    ).id;
    await move(visits.cancelled, { to: 'cancelled', reason: 'It works again' }, tokens.a);
    visits.open = (await send('/api/tickets', { deviceId: ids.device, description: 'Rattles' }, tokens.a)).id;
    await send('/api/tickets', { deviceId: ids.other, description: 'Not yours' }, tokens.b);
  });
  afterAll(() => service.close());

  const byTicket = (items: DeviceVisit[], ticketId: string) => items.find((v) => v.ticketId === ticketId)!;

  it('lists the worked tickets newest first, each with what was done, who came and the parts named', async () => {
    const res = await history();
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(res.body.items.map((v: DeviceVisit) => v.ticketId)).toEqual([
      visits.remote,
      visits.maintenance,
      visits.repair,
    ]);
    const repair = byTicket(res.body.items, visits.repair);
    expect(repair).toMatchObject({
      kind: 'corrective',
      status: 'closed',
      technicianName: 'Kavya Iyer',
      onSiteVisits: 1,
      remote: false,
      fixVerified: true,
      resolution: 'Cleared the drain line and recharged the gas',
      closingReason: null,
      reportedProblem: 'Water dripping from the indoor unit',
      failureMode: null,
    });
    expect(repair.at).toBe(repair.resolvedAt);
    // Named as the parts catalogue names them, the same SKU's records added up, in the order first fitted.
    expect(repair.parts).toEqual([
      { sku: 'AC-RFG-KIT', name: 'Refrigerant recharge and leak repair kit (R32)', quantity: 1 },
      { sku: 'AC-FILTER', name: 'Indoor air filter pair and coil cleaner', quantity: 2 },
    ]);
    expect(byTicket(res.body.items, visits.maintenance)).toMatchObject({
      kind: 'amc_visit',
      status: 'closed',
      fixVerified: false,
      resolution: 'Cleaned the coils and filters',
      closingReason: 'You replaced the outdoor unit yourself',
      reportedProblem: null,
      parts: [],
    });
  });

  it("says a remote fix was one, without the automation's reason or a technician", async () => {
    const remote = byTicket((await history()).body.items, visits.remote);
    expect(remote).toMatchObject({
      status: 'resolved',
      remote: true,
      onSiteVisits: 0,
      technicianName: null,
      resolution: null,
      appointment: null,
    });
  });

  it('pages with limit and offset, the total counting every visit', async () => {
    const first = await history('?limit=2');
    const second = await history('?limit=2&offset=2');
    expect(first.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(second.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect([...first.body.items, ...second.body.items].map((v: DeviceVisit) => v.ticketId)).toEqual([
      visits.remote,
      visits.maintenance,
      visits.repair,
    ]);
    expect((await history('?offset=3')).body).toMatchObject({ items: [], total: 3 });
  });

  it('refuses a page it cannot give, and a query it does not know', async () => {
    for (const query of ['?limit=0', '?limit=501', '?offset=-1', '?limit=many', '?status=open']) {
      const res = await history(query);
      expect(res.status, query).toBe(400);
      expect(res.body.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it("answers a customer for its own device, and another customer's device is not found, as a missing one", async () => {
    expect((await history('', tokens.a)).body.total).toBe(3);
    const foreign = await history('', tokens.b);
    const missing = await history('', tokens.b, 'ac-does-not-exist');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body).toEqual({ ...missing.body, message: `device ${ids.device} not found` });
    expect((await history('', tokens.a, ids.other)).status).toBe(404);
  });

  it("gives the customer no office notes, internal reasons or the automation's working", async () => {
    const res = await history('', tokens.a);
    expect(res.status).toBe(200);
    for (const words of Object.values(office)) expect(res.text).not.toContain(words);
    expect(res.text).not.toContain('It works again');
    // What it is owed stays: what was done and why a visit was closed.
    expect(res.text).toContain('Cleared the drain line and recharged the gas');
    expect(res.text).toContain('You replaced the outdoor unit yourself');
  });

  it('is described in the OpenAPI document with its query and response', async () => {
    const doc = await service.api('/api/openapi.json');
    const operation = doc.body.paths['/api/devices/{id}/visits']?.get;
    expect(operation?.tags).toEqual(['devices']);
    expect(operation?.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'id',
      'limit',
      'offset',
    ]);
    const item = operation?.responses['200'].content['application/json'].schema.properties.items.items;
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['technicianName', 'resolution', 'parts']),
    );
  });

  it("lets a technician read the history of its jobs' devices only", async () => {
    expect((await history('', tokens.tech)).body.total).toBe(3);
    expect((await history('', tokens.otherTech)).status).toBe(404);
  });
});
