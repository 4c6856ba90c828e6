import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, hour } from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * The service's clock can step back (an NTP correction; a test holding it): a visit's audit log may
 * then say it ended before it began. Over real HTTP and the real database.
 */
describe('KPIs over a visit whose audit times run backwards', () => {
  let service: ServiceHarness;
  let planner: string;

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
  });
  afterAll(() => service.close());

  const call = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await service.api(path, { method, token: planner, body });
    expect(res.status, `${method} ${path} ${res.text}`).toBe(status);
    return res.body;
  };

  // Regression: the visit's on-site time came out negative, so did the technician's utilisation, and
  // /api/kpis failed its own response schema with a 500 on every page that reads it.
  it('counts no on-site time for it, never negative time, and still answers', async () => {
    const customer = await call('POST', '/api/customers', aCustomer(), 201);
    const site = await call('POST', `/api/customers/${customer.id}/sites`, aSite(), 201);
    const device = await call(
      'POST',
      '/api/devices',
      aDevice({ customerId: customer.id, siteId: site.id }),
      201,
    );
    const partner = await call('POST', '/api/partners', aPartner(), 201);
    const technician = await call('POST', `/api/partners/${partner.id}/technicians`, aTechnician(), 201);
    const ticket = await call(
      'POST',
      '/api/tickets',
      { deviceId: device.id, description: 'Hums, will not start', failureMode: 'capacitor_degradation' },
      201,
    );
    const visit = await aFreeVisit(service, technician.id, 60, Date.now() + 2 * hour);
    await call('PUT', `/api/tickets/${ticket.id}/assignment`, {
      technicianId: technician.id,
      appointment: visit,
    });
    await call('POST', `/api/tickets/${ticket.id}/transitions`, { to: 'dispatched' });
    // Started at the appointment (the clock held there), resolved by the real clock, hours earlier.
    await service.at(visit.start, () =>
      call('POST', `/api/tickets/${ticket.id}/transitions`, { to: 'on_site' }),
    );
    await call('POST', `/api/tickets/${ticket.id}/transitions`, {
      to: 'resolved',
      reason: 'Capacitor replaced',
    });

    const kpis = await call(
      'GET',
      `/api/kpis?from=${Date.now() - 30 * 24 * hour}&to=${Date.now() + 1000}&groupBy=technician`,
    );
    expect(kpis.overall.utilisation).toBeGreaterThanOrEqual(0);
    expect(
      kpis.groups.every((g: { kpis: { utilisation: number | null } }) => (g.kpis.utilisation ?? 0) >= 0),
    ).toBe(true);
  });
});
