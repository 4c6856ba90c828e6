import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  aDevice,
  aPartner,
  aPlan,
  aSite,
  aStockLocation,
  aTechnician,
  aWorkingVisit,
  day,
  hour,
} from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/** Setting up the service network over HTTP: customers, partners, stock, contracts, claims. */
describe('the service network over HTTP', () => {
  let service: ServiceHarness;
  let planner: string;
  beforeAll(async () => {
    // Sessions that outlast the test's jumps to the next working day, where its visits are booked.
    service = await startService({ config: { sessionHours: 7 * 24 } });
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
  });
  afterAll(() => service.close());

  const post = async (path: string, body: unknown, status = 201) => {
    const res = await service.api(path, { method: 'POST', token: planner, body });
    expect(res.status, `${path} ${res.text}`).toBe(status);
    return res.body;
  };

  it('keeps customers with sites, and places a device on a site of its customer only', async () => {
    const customer = await post(
      '/api/customers',
      aCustomer({ name: 'Acme Cold Storage', kind: 'business', contact: { phone: '+91 80 1234 5678' } }),
    );
    const other = await post('/api/customers', aCustomer());
    const site = await post(`/api/customers/${customer.id}/sites`, aSite({ lat: 12.93, lon: 77.62 }));
    const device = await post(
      '/api/devices',
      aDevice({ customerId: customer.id, siteId: site.id, model: 'refrigerator' }),
    );
    expect(device).toMatchObject({ siteId: site.id, location: { lat: 12.93, lon: 77.62 } });
    const wrong = await service.api('/api/devices', {
      method: 'POST',
      token: planner,
      body: aDevice({ customerId: other.id, siteId: site.id }),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/^body\.siteId: site .* belongs to another customer/);

    const found = await service.api('/api/customers?q=cold%20stor', { token: planner });
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
    const sites = await service.api(`/api/sites?customerId=${customer.id}`, { token: planner });
    expect(sites.body).toMatchObject({ total: 1, items: [{ id: site.id }] });
    const patched = await service.api(`/api/devices/${device.id}`, {
      method: 'PATCH',
      token: planner,
      body: { warrantyEndsAt: 1_900_000_000_000 },
    });
    expect(patched.body).toMatchObject({ warrantyEndsAt: 1_900_000_000_000, siteId: site.id });
  });

  it('keeps partners and technicians with skills and certification expiry', async () => {
    const partner = await post('/api/partners', aPartner({ kind: 'mobile_van', coverageRadiusKm: 40 }));
    const tech = await post(
      `/api/partners/${partner.id}/technicians`,
      aTechnician({ skills: [{ skill: 'electrical' }] }),
    );
    const certified = await service.api(`/api/technicians/${tech.id}/skills/refrigeration`, {
      method: 'PUT',
      token: planner,
      body: { certificateId: 'F-GAS-2231', certifiedUntil: Date.UTC(2027, 5, 30) },
    });
    expect(certified.body.skills).toEqual(
      expect.arrayContaining([
        { skill: 'refrigeration', certificateId: 'F-GAS-2231', certifiedUntil: Date.UTC(2027, 5, 30) },
      ]),
    );
    const refrigeration = await service.api('/api/technicians?skill=refrigeration', { token: planner });
    expect(refrigeration.body.items.map((t: { id: string }) => t.id)).toEqual([tech.id]);
    const away = await service.api(`/api/technicians/${tech.id}`, {
      method: 'PATCH',
      token: planner,
      body: { status: 'unavailable', unavailableUntil: Date.now() + day },
    });
    expect(away.body).toMatchObject({ status: 'unavailable' });

    const techToken = await service.login({
      email: 'van@example.com',
      role: 'technician',
      technicianId: tech.id,
    });
    expect(
      (await service.api('/api/technicians', { token: techToken })).body.items.map(
        (t: { id: string }) => t.id,
      ),
    ).toEqual([tech.id]);
    const someoneElse = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    expect((await service.api(`/api/technicians/${someoneElse.id}`, { token: techToken })).status).toBe(404);
  });

  it('plans AMC visits, opens their tickets and lists the renewals coming due', async () => {
    const customer = await post('/api/customers', aCustomer());
    const device = await post('/api/devices', aDevice({ customerId: customer.id }));
    const plan = await post('/api/contract-plans', aPlan({ visitsPerYear: 2 }));
    const now = Date.now();
    const contract = await post('/api/contracts', {
      customerId: customer.id,
      planId: plan.id,
      deviceIds: [device.id],
      startsAt: now - 340 * day,
      endsAt: now + 25 * day,
    });
    const visits = await service.api(`/api/contracts/${contract.id}/visits`, {
      method: 'POST',
      token: planner,
      body: { visits: [{ deviceId: device.id, dueFrom: now + day, dueTo: now + 10 * day }] },
    });
    expect(visits.body.items).toMatchObject([{ status: 'planned', ticketId: null }]);
    const ticket = await post(`/api/contract-visits/${visits.body.items[0].id}/ticket`, undefined);
    expect(ticket).toMatchObject({ kind: 'amc_visit', coverage: 'amc', contractId: contract.id });

    // Listed as it stands: the nightly AMC job, not this read, marks it due.
    const due = await service.api('/api/contracts/renewals-due?withinDays=30', { token: planner });
    expect(due.body.items.map((c: { id: string; renewalStatus: string }) => [c.id, c.renewalStatus])).toEqual(
      [[contract.id, 'not_due']],
    );
    const offered = await service.api(`/api/contracts/${contract.id}/renewal`, {
      method: 'PATCH',
      token: planner,
      body: { renewalStatus: 'offered' },
    });
    expect(offered.body.renewalStatus).toBe('offered');
    const renewed = await post(`/api/contracts/${contract.id}/renewals`, { months: 12 });
    expect(renewed).toMatchObject({
      startsAt: contract.endsAt,
      renewsContractId: contract.id,
      deviceIds: [device.id],
    });
    expect(
      (await service.api('/api/contracts/renewals-due?withinDays=30', { token: planner })).body.total,
    ).toBe(0);
  });

  it('moves parts between locations, takes back the defective one, and claims covered work', async () => {
    const customer = await post('/api/customers', aCustomer());
    const device = await post(
      '/api/devices',
      aDevice({ customerId: customer.id, warrantyEndsAt: Date.now() + 100 * day }),
    );
    const partner = await post('/api/partners', aPartner());
    const tech = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    const warehouse = await post('/api/stock-locations', aStockLocation());
    const depot = await post(
      '/api/stock-locations',
      aStockLocation({ kind: 'partner_depot', partnerId: partner.id }),
    );
    await post(`/api/stock-locations/${warehouse.id}/receipts`, { sku: 'AC-FANMOTOR', quantity: 2 }, 200);

    const ticket = await post('/api/tickets', {
      deviceId: device.id,
      description: 'Outdoor fan grinding',
      failureMode: 'condenser_fan_bearing',
    });
    expect(ticket.coverage).toBe('in_warranty');
    const transfer = await post('/api/transfers', {
      fromLocationId: warehouse.id,
      toLocationId: depot.id,
      sku: 'AC-FANMOTOR',
      quantity: 1,
      etaAt: Date.now() + 6 * hour,
      ticketId: ticket.id,
    });
    const arrived = await service.api(`/api/transfers/${transfer.id}/arrival`, {
      method: 'POST',
      token: planner,
    });
    expect(arrived.body).toMatchObject({ status: 'arrived' });
    const detail = (await service.api(`/api/tickets/${ticket.id}`, { token: planner })).body;
    expect(detail.reservations).toMatchObject([
      { locationId: depot.id, sku: 'AC-FANMOTOR', status: 'reserved' },
    ]);

    const techToken = await service.login({
      email: 'fan@example.com',
      role: 'technician',
      technicianId: tech.id,
    });
    const appointment = aWorkingVisit(120);
    await post(
      `/api/tickets/${ticket.id}/transitions`,
      { to: 'scheduled', technicianId: tech.id, appointment },
      200,
    );
    // The technician comes on the booked day: from there on, the service's clock is the visit's.
    await service.at(appointment.start, async () => {
      for (const body of [{ to: 'dispatched' }, { to: 'on_site' }]) {
        expect(
          (
            await service.api(`/api/tickets/${ticket.id}/transitions`, {
              method: 'POST',
              token: techToken,
              body,
            })
          ).status,
        ).toBe(200);
      }
      const used = await service.api(`/api/tickets/${ticket.id}/parts-used`, {
        method: 'POST',
        token: techToken,
        body: { reservationId: detail.reservations[0].id, removedSerial: 'FM-0042' },
      });
      expect(used.status).toBe(201);
      const both = await service.api(`/api/tickets/${ticket.id}/parts-used`, {
        method: 'POST',
        token: techToken,
        body: { reservationId: detail.reservations[0].id, sku: 'AC-FANMOTOR' },
      });
      expect(both.status).toBe(400);
      expect(both.body.message).toMatch(/^body\.sku: comes from the reservation/);
      await service.api(`/api/tickets/${ticket.id}/transitions`, {
        method: 'POST',
        token: techToken,
        body: { to: 'resolved', reason: 'Fan motor replaced' },
      });

      const returned = await service.api('/api/part-returns', {
        method: 'POST',
        token: techToken,
        body: { ticketId: ticket.id, sku: 'AC-FANMOTOR', serial: 'FM-0042', locationId: depot.id },
      });
      expect(returned.status).toBe(201);

      const claim = await post(`/api/tickets/${ticket.id}/warranty-claim`, { labourCents: 2_500 });
      expect(claim).toMatchObject({
        coverage: 'in_warranty',
        partsCents: 4_800,
        labourCents: 2_500,
        status: 'submitted',
      });
      const decided = await service.api(`/api/warranty-claims/${claim.id}/decision`, {
        method: 'POST',
        token: planner,
        body: { status: 'approved' },
      });
      expect(decided.body).toMatchObject({ status: 'approved' });
      expect(
        (
          await service.api(`/api/warranty-claims/${claim.id}/decision`, {
            method: 'POST',
            token: planner,
            body: { status: 'rejected' },
          })
        ).status,
      ).toBe(409);
    });
  });

  it('measures complaint resolution: a complaint is open until a planner resolves it', async () => {
    const customer = await post('/api/customers', aCustomer());
    const device = await post('/api/devices', aDevice({ customerId: customer.id }));
    const partner = await post('/api/partners', aPartner());
    const tech = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    const customerToken = await service.login({
      email: 'complainer@example.com',
      role: 'customer',
      customerId: customer.id,
    });
    const ticket = await post('/api/tickets', { deviceId: device.id, description: 'Leaks water' });
    const early = await service.api(`/api/tickets/${ticket.id}/feedback`, {
      method: 'POST',
      token: customerToken,
      body: { csat: 1, nps: 0, complaint: true },
    });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('the ticket is open: feedback is given once it is closed');

    const appointment = aWorkingVisit();
    await post(
      `/api/tickets/${ticket.id}/transitions`,
      { to: 'scheduled', technicianId: tech.id, appointment },
      200,
    );
    await post(`/api/tickets/${ticket.id}/transitions`, { to: 'dispatched' }, 200);
    await service.at(appointment.start, async () => {
      for (const body of [
        { to: 'on_site' },
        { to: 'resolved', reason: 'Cleared the drain line' },
        { to: 'closed' },
      ])
        await post(`/api/tickets/${ticket.id}/transitions`, body, 200);
      // Feedback comes after the visit, on the visit's day.
      // Only the customer gives feedback.
      const byPlanner = await service.api(`/api/tickets/${ticket.id}/feedback`, {
        method: 'POST',
        token: planner,
        body: { csat: 5, nps: 10 },
      });
      expect(byPlanner.status).toBe(403);
      const given = await service.api(`/api/tickets/${ticket.id}/feedback`, {
        method: 'POST',
        token: customerToken,
        body: { csat: 2, nps: 3, comment: 'Technician was two hours late', complaint: true },
      });
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({ complaint: true, complaintResolvedAt: null });
      const open = await service.api('/api/feedback?complaint=true', { token: planner });
      expect(open.body.items.map((f: { id: string }) => f.id)).toEqual([given.body.id]);
      const resolved = await post(
        `/api/feedback/${given.body.id}/resolution`,
        { resolution: 'Called the customer back; the leak was a loose drain hose, refitted.' },
        200,
      );
      expect(resolved.complaintResolvedAt).toBeGreaterThanOrEqual(given.body.createdAt);
    });
  });
});
