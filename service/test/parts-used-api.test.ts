import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aStockLocation, aTechnician } from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';
import { startOnSite } from './support/on-site.ts';

/*
 * POST /api/tickets/:id/parts-used over real HTTP: what a technician may record as fitted. The part
 * fits the device's model, loose stock comes from the technician's own van or a depot, and a part
 * that goes back to the manufacturer comes with the serial of the unit taken out.
 */
describe('recording the parts fitted on a job', () => {
  let service: ServiceHarness;
  let planner: string;
  let techToken: string;
  let tech: { id: string };
  let otherTech: { id: string };
  let purifier: { id: string };
  let ownVan: { id: string };
  let otherVan: { id: string };
  let depot: { id: string };
  let warehouse: { id: string };

  const post = async (path: string, body: unknown, status = 201, token = planner) => {
    const res = await service.api(path, { method: 'POST', token, body });
    expect(res.status, `${path} ${res.text}`).toBe(status);
    return res.body;
  };
  const fit = (ticketId: string, body: unknown, token = techToken) =>
    service.api(`/api/tickets/${ticketId}/parts-used`, { method: 'POST', token, body });
  const onHand = async (locationId: string, sku: string) => {
    const levels = (await service.api(`/api/stock-locations/${locationId}/stock`, { token: planner })).body
      .items;
    return (levels as { sku: string; onHand: number }[]).find((l) => l.sku === sku)?.onHand ?? 0;
  };

  /** A water purifier job of `tech`, with the technician on site. */
  const jobOnSite = async (): Promise<string> => {
    const ticket = await post('/api/tickets', { deviceId: purifier.id, description: 'Water tastes odd' });
    const appointment = await aFreeVisit(service, tech.id, 120);
    await post(
      `/api/tickets/${ticket.id}/transitions`,
      { to: 'scheduled', technicianId: tech.id, appointment },
      200,
    );
    await post(`/api/tickets/${ticket.id}/transitions`, { to: 'dispatched' }, 200, techToken);
    await startOnSite(service, ticket.id, tech.id, appointment);
    return ticket.id;
  };

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const customer = await post('/api/customers', aCustomer());
    purifier = await post('/api/devices', aDevice({ customerId: customer.id, model: 'water-purifier' }));
    const partner = await post('/api/partners', aPartner());
    tech = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    otherTech = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    techToken = await service.login({ email: 'tech@example.com', role: 'technician', technicianId: tech.id });
    const van = (technicianId: string) =>
      post(
        '/api/stock-locations',
        aStockLocation({ name: `${technicianId}'s van`, kind: 'van', partnerId: partner.id, technicianId }),
      );
    ownVan = await van(tech.id);
    otherVan = await van(otherTech.id);
    depot = await post(
      '/api/stock-locations',
      aStockLocation({ kind: 'partner_depot', partnerId: partner.id }),
    );
    warehouse = await post('/api/stock-locations', aStockLocation());
    for (const [location, sku] of [
      [ownVan, 'WP-UVLAMP'],
      [ownVan, 'WP-PUMP'],
      [ownVan, 'AC-FILTER'],
      [otherVan, 'WP-UVLAMP'],
      [depot, 'WP-UVLAMP'],
      [warehouse, 'WP-PUMP'],
      [warehouse, 'AC-FILTER'],
    ] as const)
      await post(`/api/stock-locations/${location.id}/receipts`, { sku, quantity: 5 }, 200);
  });
  afterAll(() => service.close());

  describe('where a technician takes loose stock from', () => {
    it("refuses another technician's van and leaves its stock alone", async () => {
      const job = await jobOnSite();
      const res = await fit(job, { sku: 'WP-UVLAMP', locationId: otherVan.id });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(
        new RegExp(
          `^body\\.locationId: ${otherVan.id} is ${otherTech.id}'s van, not yours; take the part from your own van or a depot`,
        ),
      );
      expect(await onHand(otherVan.id, 'WP-UVLAMP')).toBe(5);
      expect((await service.api(`/api/tickets/${job}`, { token: planner })).body.partsUsed).toEqual([]);
    });

    it('takes it from their own van, or from a depot they picked it up at', async () => {
      const job = await jobOnSite();
      expect((await fit(job, { sku: 'WP-UVLAMP', locationId: ownVan.id })).status).toBe(201);
      expect((await fit(job, { sku: 'WP-UVLAMP', locationId: depot.id })).status).toBe(201);
      expect(await onHand(ownVan.id, 'WP-UVLAMP')).toBe(4);
      expect(await onHand(depot.id, 'WP-UVLAMP')).toBe(4);
    });

    it("lets a planner record from any van, on the technician's behalf", async () => {
      const job = await jobOnSite();
      const res = await fit(job, { sku: 'WP-UVLAMP', locationId: otherVan.id }, planner);
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ sku: 'WP-UVLAMP', locationId: otherVan.id });
    });

    it('names a location that does not exist', async () => {
      const res = await fit(await jobOnSite(), { sku: 'WP-UVLAMP', locationId: 'loc-nowhere' });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('body.locationId: there is no stock location loc-nowhere');
    });
  });

  describe('which parts fit', () => {
    it('refuses a part the catalogue lists for another model, whoever records it', async () => {
      const job = await jobOnSite();
      for (const token of [techToken, planner]) {
        const res = await fit(job, { sku: 'AC-FILTER', locationId: ownVan.id }, token);
        expect(res.status).toBe(400);
        expect(res.body.message).toBe(
          "body.sku: AC-FILTER is a split-ac part; it does not fit this job's water-purifier",
        );
      }
      expect(await onHand(ownVan.id, 'AC-FILTER')).toBe(5);
    });

    it('reserves for a job only a part that fits its device', async () => {
      const job = await jobOnSite();
      const res = await service.api(`/api/tickets/${job}/reservations`, {
        method: 'POST',
        token: planner,
        body: { sku: 'AC-FILTER', locationId: warehouse.id },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^body\.sku: AC-FILTER is a split-ac part/);
    });
  });

  describe('a part that goes back to the manufacturer', () => {
    it('needs the serial of the part taken out, from the van or from a reservation', async () => {
      const job = await jobOnSite();
      const loose = await fit(job, { sku: 'WP-PUMP', locationId: ownVan.id });
      expect(loose.status).toBe(400);
      expect(loose.body.message).toBe(
        'body.removedSerial: the defective WP-PUMP goes back to the manufacturer; give the serial of the part taken out',
      );
      expect(await onHand(ownVan.id, 'WP-PUMP')).toBe(5);

      const reservation = await post(`/api/tickets/${job}/reservations`, {
        sku: 'WP-PUMP',
        locationId: warehouse.id,
      });
      const reserved = await fit(job, { reservationId: reservation.id });
      expect(reserved.status).toBe(400);
      expect(reserved.body.message).toMatch(/^body\.removedSerial: the defective WP-PUMP goes back/);
      expect(
        (await service.api(`/api/reservations?ticketId=${job}`, { token: planner })).body.items,
      ).toMatchObject([{ id: reservation.id, status: 'reserved' }]);

      // A stray keystroke is not a serial: it would tie the job to a return that never comes.
      const stray = await fit(job, { reservationId: reservation.id, removedSerial: ' x ' });
      expect(stray.status).toBe(400);
      expect(stray.body.message).toBe(
        "body.removedSerial: must be at least 3 characters, as on the part's label",
      );

      const fitted = await fit(job, { reservationId: reservation.id, removedSerial: 'PUMP-OLD-17' });
      expect(fitted.status, fitted.text).toBe(201);
      expect(fitted.body).toMatchObject({ sku: 'WP-PUMP', removedSerial: 'PUMP-OLD-17' });
      const returned = await post(
        '/api/part-returns',
        { ticketId: job, sku: 'WP-PUMP', serial: 'PUMP-OLD-17', locationId: warehouse.id },
        201,
        techToken,
      );
      expect(returned).toMatchObject({ sku: 'WP-PUMP', serial: 'PUMP-OLD-17' });
    });

    it('is not asked of a consumable', async () => {
      const res = await fit(await jobOnSite(), { sku: 'WP-UVLAMP', locationId: ownVan.id });
      expect(res.status, res.text).toBe(201);
      expect(res.body.removedSerial).toBeNull();
    });
  });
});
