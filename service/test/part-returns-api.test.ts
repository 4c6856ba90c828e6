import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  aDevice,
  aPartner,
  aStockLocation,
  aTechnician,
  aWorkingVisit,
  hour,
} from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * The defective parts due back, over real HTTP and the real database: parts fitted on jobs by a
 * technician, as the technician records them, and returns received as the planner records them.
 * A fitting of a part the catalogue wants back stays due until a unit with the serial taken out
 * arrives.
 */
describe('GET /api/part-returns/outstanding and /received', () => {
  const time = { now: Date.UTC(2026, 2, 2, 4, 0) };
  let service: ServiceHarness;
  let planner: string;
  let techToken: string;
  let customer: { id: string; name: string };
  let device: { id: string };
  let partner: { id: string; name: string };
  let tech: { id: string; name: string };
  let depot: { id: string; name: string };

  const post = async (path: string, body: unknown, status = 201, token = planner) => {
    const res = await service.api(path, { method: 'POST', token, body });
    expect(res.status, `${path} ${res.text}`).toBe(status);
    return res.body;
  };
  const outstanding = async (query = '') => {
    const res = await service.api(`/api/part-returns/outstanding${query}`, { token: planner });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  /** A job of the technician, on site at its appointment, on which they fit `sku` from the depot. */
  async function fitted(title: string, sku: string, removedSerial?: string): Promise<string> {
    const ticket = await post('/api/tickets', { deviceId: device.id, title, description: title });
    const appointment = aWorkingVisit(120, time.now + hour);
    await post(
      `/api/tickets/${ticket.id}/transitions`,
      { to: 'scheduled', technicianId: tech.id, appointment },
      200,
    );
    // The technician arrives when booked: work on a visit starts on its day, not before.
    time.now = Math.max(time.now, appointment.start);
    for (const to of ['dispatched', 'on_site'])
      await post(`/api/tickets/${ticket.id}/transitions`, { to }, 200, techToken);
    await post(
      `/api/tickets/${ticket.id}/parts-used`,
      { sku, locationId: depot.id, ...(removedSerial ? { removedSerial } : {}) },
      201,
      techToken,
    );
    return ticket.id;
  }

  let capJob: string;
  let fanJob: string;

  beforeAll(async () => {
    service = await startService({ clock: () => time.now });
    // Tokens that do not run out: the test's clock moves on by days as the technician's visits come round.
    planner = await service.tokenFor('planner');
    customer = await post('/api/customers', aCustomer({ name: 'Lakshmi Iyer' }));
    device = await post('/api/devices', aDevice({ customerId: customer.id }));
    partner = await post('/api/partners', aPartner({ name: 'CoolFix Adyar' }));
    tech = await post(`/api/partners/${partner.id}/technicians`, aTechnician({ name: 'Ravi Kumar' }));
    techToken = await service.tokenFor('technician', tech.id);
    depot = await post(
      '/api/stock-locations',
      aStockLocation({ name: 'Adyar depot', kind: 'partner_depot', partnerId: partner.id }),
    );
    for (const sku of ['AC-CAP', 'AC-FANMOTOR', 'AC-FILTER'])
      await post(`/api/stock-locations/${depot.id}/receipts`, { sku, quantity: 5 }, 200);

    capJob = await fitted('Hums, will not start', 'AC-CAP', 'CAP-OLD-1');
    time.now += 3 * hour;
    // A filter is a consumable: nothing goes back for it.
    await fitted('Weak airflow', 'AC-FILTER');
    time.now += 3 * hour;
    fanJob = await fitted('Outdoor fan grinding', 'AC-FANMOTOR', 'FAN-OLD-2');
  });
  afterAll(() => service.close());

  it('lists the fitted parts the manufacturer wants back, the longest waiting first, with their job named', async () => {
    const page = await outstanding();
    expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(page.items).toEqual([
      {
        partUsedId: expect.any(String),
        ticketId: capJob,
        ticketTitle: 'Hums, will not start',
        deviceId: device.id,
        deviceModel: 'split-ac',
        customerName: 'Lakshmi Iyer',
        technicianName: 'Ravi Kumar',
        partnerName: 'CoolFix Adyar',
        sku: 'AC-CAP',
        partName: expect.stringMatching(/capacitor/i),
        quantity: 1,
        removedSerial: 'CAP-OLD-1',
        fittedAt: Date.UTC(2026, 2, 2, 5, 0), // the visit booked an hour after the report, 10:30 in Chennai
      },
      expect.objectContaining({ ticketId: fanJob, sku: 'AC-FANMOTOR', removedSerial: 'FAN-OLD-2' }),
    ]);
  });

  it('pages like the other lists', async () => {
    const second = await outstanding('?limit=1&offset=1');
    expect(second).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(second.items.map((i: { ticketId: string }) => i.ticketId)).toEqual([fanJob]);
    const refused = await service.api('/api/part-returns/outstanding?limit=0', { token: planner });
    expect(refused.status).toBe(400);
  });

  it('counts the ones fitted before a given time, as the page counts the late ones', async () => {
    const fanFittedAt = (await outstanding()).items[1].fittedAt;
    const late = await outstanding(`?fittedBefore=${fanFittedAt}&limit=1`);
    expect(late.total).toBe(1);
    expect(late.items.map((i: { ticketId: string }) => i.ticketId)).toEqual([capJob]);
    expect((await outstanding(`?fittedBefore=${new Date(fanFittedAt + 1).toISOString()}`)).total).toBe(2);
  });

  it('refuses a unit with another serial than the one taken out, keeping the part due, and clears it with the right one, once', async () => {
    const wrong = await post(
      '/api/part-returns',
      { ticketId: capJob, sku: 'AC-CAP', serial: 'SOMETHING-ELSE', locationId: depot.id },
      400,
    );
    expect(wrong.message).toBe(
      `body.serial: SOMETHING-ELSE is not the serial taken out on ticket ${capJob} (CAP-OLD-1)`,
    );
    expect((await outstanding()).items.map((i: { ticketId: string }) => i.ticketId)).toEqual([
      capJob,
      fanJob,
    ]);

    time.now += hour;
    await post('/api/part-returns', {
      ticketId: capJob,
      sku: 'AC-CAP',
      serial: 'CAP-OLD-1',
      locationId: depot.id,
    });
    const twice = await post(
      '/api/part-returns',
      { ticketId: capJob, sku: 'AC-CAP', serial: 'CAP-OLD-1', locationId: depot.id },
      409,
    );
    // Planners read it: on the clock of the zone the technicians work in (Ravi's, India's), not ISO in UTC.
    expect(twice.message).toBe(
      `AC-CAP CAP-OLD-1 of ticket ${capJob} was received already, at Adyar depot on 03 Mar 2026, 10:00 IST`,
    );
    const after = await outstanding();
    expect(after.total).toBe(1);
    expect(after.items.map((i: { ticketId: string }) => i.ticketId)).toEqual([fanJob]);

    const received = await service.api('/api/part-returns/received', { token: planner });
    expect(received.status, received.text).toBe(200);
    expect(received.body.total).toBe(1);
    expect(received.body.items[0]).toMatchObject({
      ticketId: capJob,
      ticketTitle: 'Hums, will not start',
      sku: 'AC-CAP',
      serial: 'CAP-OLD-1',
      locationId: depot.id,
      locationName: 'Adyar depot',
      receivedAt: time.now,
      customerName: 'Lakshmi Iyer',
      technicianName: 'Ravi Kumar',
      partnerName: 'CoolFix Adyar',
    });
    const forJob = await service.api(`/api/part-returns/received?ticketId=${fanJob}`, { token: planner });
    expect(forJob.body).toMatchObject({ items: [], total: 0 });
  });

  it('is for the office: technicians and customers get 403', async () => {
    const customerToken = await service.tokenFor('customer', customer.id);
    for (const token of [techToken, customerToken])
      for (const path of ['/api/part-returns/outstanding', '/api/part-returns/received'])
        expect((await service.api(path, { token })).status, path).toBe(403);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await service.api('/api/openapi.json', { token: null })).body;
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining(['/api/part-returns/outstanding', '/api/part-returns/received']),
    );
  });
});
