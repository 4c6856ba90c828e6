import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  aDevice,
  aPartner,
  aSite,
  aStockLocation,
  aTechnician,
  hour,
} from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * A planner asks the platform to find a job's part again, as the automation does when it plans the
 * job: after a transfer for it was called back, or when stock came in. Over real HTTP and the real
 * database, with a warehouse and the technician's van.
 */
describe('POST /api/tickets/:id/parts-sourcing', () => {
  let service: ServiceHarness;
  let planner: string;
  let deviceId: string;
  let technicianId: string;
  let van: string;
  let warehouse: string;

  const call = async (method: string, path: string, body?: unknown, status = 200, token = planner) => {
    const res = await service.api(path, { method, token, body });
    expect(res.status, `${method} ${path} ${res.text}`).toBe(status);
    return res.body;
  };
  const available = async (locationId: string, sku: string): Promise<number> => {
    const levels = await call('GET', `/api/stock-locations/${locationId}/stock`);
    return levels.items.find((l: { sku: string }) => l.sku === sku)?.available ?? 0;
  };
  const source = (ticketId: string, status = 200, token = planner) =>
    call('POST', `/api/tickets/${ticketId}/parts-sourcing`, undefined, status, token);

  /** A run-capacitor job (part AC-CAP) booked with the technician two days out. */
  async function aCapacitorJob(): Promise<string> {
    const ticket = await call(
      'POST',
      '/api/tickets',
      { deviceId, description: 'Hums, will not start', failureMode: 'capacitor_degradation' },
      201,
    );
    await call('PUT', `/api/tickets/${ticket.id}/assignment`, {
      technicianId,
      // The first free hour two days out: one technician gets several jobs at one site here.
      appointment: await aFreeVisit(service, technicianId, 60, Date.now() + 48 * hour),
    });
    return ticket.id;
  }

  /** A capacitor received at the warehouse and sent on to the van for the job, due at `etaAt`. */
  async function aCapacitorOnItsWay(ticketId: string, etaAt: number): Promise<{ id: string; etaAt: number }> {
    await call('POST', `/api/stock-locations/${warehouse}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    const transfer = {
      fromLocationId: warehouse,
      toLocationId: van,
      sku: 'AC-CAP',
      quantity: 1,
      etaAt,
      ticketId,
    };
    return call('POST', '/api/transfers', transfer, 201);
  }

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const customer = await call('POST', '/api/customers', aCustomer(), 201);
    const site = await call('POST', `/api/customers/${customer.id}/sites`, aSite(), 201);
    deviceId = (
      await call('POST', '/api/devices', aDevice({ customerId: customer.id, siteId: site.id }), 201)
    ).id;
    const partner = await call('POST', '/api/partners', aPartner(), 201);
    technicianId = (await call('POST', `/api/partners/${partner.id}/technicians`, aTechnician(), 201)).id;
    van = (
      await call(
        'POST',
        '/api/stock-locations',
        aStockLocation({
          name: 'Van',
          kind: 'van',
          partnerId: partner.id,
          technicianId,
          lat: 12.96,
          lon: 77.59,
        }),
        201,
      )
    ).id;
    warehouse = (await call('POST', '/api/stock-locations', aStockLocation(), 201)).id;
  });
  afterAll(() => service.close());

  it('finds the part again after its transfer was called back, and leaves it alone once it is found', async () => {
    const ticketId = await aCapacitorJob();
    const sent = await aCapacitorOnItsWay(ticketId, Date.now() + 4 * hour);
    await call('POST', `/api/transfers/${sent.id}/cancellation`);
    expect(await available(warehouse, 'AC-CAP')).toBe(1);

    const found = await source(ticketId);
    expect(found).toMatchObject({ ticketId, sku: 'AC-CAP' });
    expect(['reserved', 'transfer']).toContain(found.outcome);
    // The one free unit is the job's now, held at the warehouse or on its way from it.
    expect(await available(warehouse, 'AC-CAP')).toBe(0);
    const detail = await call('GET', `/api/tickets/${ticketId}`);
    const held = detail.reservations.filter((r: { status: string }) => r.status === 'reserved');
    const moving = detail.transfers.filter((t: { status: string }) => t.status === 'in_transit');
    expect([...held, ...moving].map((x: { sku: string }) => x.sku)).toEqual(['AC-CAP']);

    const again = await source(ticketId);
    expect(again.outcome).toBe('already_sourced');
    expect(again.message).toMatch(/nothing changed/);
    expect(again.reservation ?? again.transfer).not.toBeNull();
    const after = await call('GET', `/api/tickets/${ticketId}`);
    expect(after.reservations).toHaveLength(detail.reservations.length);
    expect(after.transfers).toHaveLength(detail.transfers.length);
  });

  it('reserves the unit on the technician’s own van first', async () => {
    const ticketId = await aCapacitorJob();
    await call('POST', `/api/stock-locations/${van}/receipts`, { sku: 'AC-CAP', quantity: 1 });
    const found = await source(ticketId);
    expect(found).toMatchObject({ outcome: 'reserved', reservation: { locationId: van, sku: 'AC-CAP' } });
    expect(found.message).toMatch(/on the technician's van/);
  });

  it('says to order from the supplier when no unit is free anywhere, and changes nothing', async () => {
    expect([await available(van, 'AC-CAP'), await available(warehouse, 'AC-CAP')]).toEqual([0, 0]);
    const ticketId = await aCapacitorJob();
    const found = await source(ticketId);
    expect(found).toMatchObject({ outcome: 'unavailable', reservation: null, transfer: null });
    expect(found.message).toMatch(/order it from the supplier/);
  });

  describe('a delivery on its way that arrives after the visit needs it', () => {
    let ticketId: string;
    let late: { id: string; etaAt: number };

    it('is kept when no unit can be there sooner, and the answer says when the part arrives', async () => {
      expect([await available(van, 'AC-CAP'), await available(warehouse, 'AC-CAP')]).toEqual([0, 0]);
      ticketId = await aCapacitorJob();
      const visit = (await call('GET', `/api/tickets/${ticketId}`)).appointment;
      // Sent for an appointment that was later, as before a planner moved the visit forward.
      late = await aCapacitorOnItsWay(ticketId, visit.start + hour);

      const found = await source(ticketId);
      expect(found).toMatchObject({
        outcome: 'unavailable',
        earliestAt: late.etaAt,
        transfer: { id: late.id, status: 'in_transit' },
      });
      expect(found.message).toMatch(/cannot|No AC-CAP can reach the job before the appointment/);
      const [moving] = (await call('GET', `/api/tickets/${ticketId}`)).transfers;
      expect(moving).toMatchObject({ id: late.id, status: 'in_transit', etaAt: late.etaAt });
    });

    it('is called back once a unit can be there in time, which the job takes instead', async () => {
      await call('POST', `/api/stock-locations/${van}/receipts`, { sku: 'AC-CAP', quantity: 1 });

      const found = await source(ticketId);
      expect(found).toMatchObject({ outcome: 'reserved', reservation: { locationId: van, sku: 'AC-CAP' } });
      const detail = await call('GET', `/api/tickets/${ticketId}`);
      expect(detail.transfers).toEqual([expect.objectContaining({ id: late.id, status: 'cancelled' })]);
      // The called-back unit counts at the warehouse again; the job holds one unit, not two.
      expect(await available(warehouse, 'AC-CAP')).toBe(1);
      expect(detail.reservations.filter((r: { status: string }) => r.status === 'reserved')).toHaveLength(1);
      expect(detail.audit.map((a: { action: string }) => a.action).slice(-2)).toEqual([
        'part_reserved',
        'transfer_cancelled',
      ]);
      expect((await source(ticketId)).outcome).toBe('already_sourced');
    });
  });

  it('answers 409 for a job that names no failure mode, and for one already finished', async () => {
    const vague = await call('POST', '/api/tickets', { deviceId, description: 'Makes a noise' }, 201);
    expect((await source(vague.id, 409)).message).toMatch(/names no failure mode/);

    const done = await aCapacitorJob();
    await call('POST', `/api/tickets/${done}/transitions`, { to: 'cancelled', reason: 'Customer fixed it' });
    expect((await source(done, 409)).message).toMatch(/the ticket is cancelled/);
  });

  it('is the office’s: a technician gets 403, and an unknown ticket 404', async () => {
    const ticketId = await aCapacitorJob();
    const tech = await service.login({ email: 'tech@example.com', role: 'technician', technicianId });
    await source(ticketId, 403, tech);
    await source('no-such-ticket', 404);
  });
});
