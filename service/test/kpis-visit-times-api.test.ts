import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, hour } from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * The KPIs measured from when visits began and ended, over real HTTP and the real database: a visit
 * begun hours before its slot (on the day, which the lifecycle allows) counts against on-time starts
 * as a late one does, and a clock stepped back (an NTP correction; a test holding it) never makes a
 * visit take negative time.
 */
describe('KPIs over the times visits began and ended', () => {
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

  /** A customer's device and a partner's technician, new for each test. */
  async function aJobSetting() {
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
    return { device, partner, technician };
  }

  /**
   * A reported fault booked into the technician's first free hour from `from`, accepted, and started
   * `startedAfterSlot` ms from the slot's start (the service's clock held there, as the admin: a
   * planner's session would have run out by the slot's day).
   */
  async function aStartedVisit(
    setting: Awaited<ReturnType<typeof aJobSetting>>,
    from: number,
    startedAfterSlot: number,
  ) {
    const ticket = await call(
      'POST',
      '/api/tickets',
      {
        deviceId: setting.device.id,
        description: 'Hums, will not start',
        failureMode: 'capacitor_degradation',
      },
      201,
    );
    const slot = await aFreeVisit(service, setting.technician.id, 60, from);
    await call('PUT', `/api/tickets/${ticket.id}/assignment`, {
      technicianId: setting.technician.id,
      appointment: slot,
    });
    await call('POST', `/api/tickets/${ticket.id}/transitions`, { to: 'dispatched' });
    const started = await service.at(slot.start + startedAfterSlot, () =>
      service.api(`/api/tickets/${ticket.id}/transitions`, { method: 'POST', body: { to: 'on_site' } }),
    );
    expect(started.status, started.text).toBe(200);
    return { ticket, slot };
  }

  it('counts the share of first visits begun within half an hour of the slot, per partner and overall', async () => {
    const setting = await aJobSetting();
    const first = await aStartedVisit(setting, Date.now() + 30 * hour, 10 * 60_000);
    await aStartedVisit(setting, first.slot.end + 2 * hour, 0);
    // Two hours before the slot: on the slot's day, but nobody was expected yet.
    await aStartedVisit(setting, first.slot.end + 26 * hour, -2 * hour);

    const kpis = await call(
      'GET',
      `/api/kpis?from=${Date.now() - 24 * hour}&to=${Date.now() + hour}&groupBy=partner`,
    );
    expect(kpis.overall.onTimeStartRate).toBeCloseTo(2 / 3, 10);
    const card = await call('GET', `/api/partners/${setting.partner.id}/scorecard`);
    expect(card.kpis.onTimeStartRate).toBeCloseTo(2 / 3, 10);
  });

  it("credits a first visit's punctuality to the technician who made it, not to whoever holds the ticket since", async () => {
    const setting = await aJobSetting();
    const { ticket, slot } = await aStartedVisit(setting, Date.now() + 30 * hour, 0);
    const step = (to: string, reason?: string) =>
      service.at(slot.start + 3 * hour, () =>
        service.api(`/api/tickets/${ticket.id}/transitions`, {
          method: 'POST',
          body: reason ? { to, reason } : { to },
        }),
      );
    expect((await step('resolved', 'Capacitor replaced')).status).toBe(200);
    expect((await step('flagged_for_review', 'Still hums')).status).toBe(200);
    expect((await step('open', 'Send someone else')).status).toBe(200);
    // Another partner's technician takes it, and begins two hours after the slot booked with them.
    const other = await call('POST', '/api/partners', aPartner(), 201);
    const colleague = await call('POST', `/api/partners/${other.id}/technicians`, aTechnician(), 201);
    const again = await aFreeVisit(service, colleague.id, 60, slot.end + 24 * hour);
    await call('PUT', `/api/tickets/${ticket.id}/assignment`, {
      technicianId: colleague.id,
      appointment: again,
    });
    await call('POST', `/api/tickets/${ticket.id}/transitions`, { to: 'dispatched' });
    const late = await service.at(again.start + 2 * hour, () =>
      service.api(`/api/tickets/${ticket.id}/transitions`, { method: 'POST', body: { to: 'on_site' } }),
    );
    expect(late.status, late.text).toBe(200);
    const fixed = await service.at(again.start + 3 * hour, () =>
      service.api(`/api/tickets/${ticket.id}/transitions`, {
        method: 'POST',
        body: { to: 'resolved', reason: 'Capacitor replaced again, relay too' },
      }),
    );
    expect(fixed.status, fixed.text).toBe(200);

    const window = `from=${Date.now() - 24 * hour}&to=${Date.now() + hour}`;
    const rate = async (groupBy: string, key: string) =>
      (await call('GET', `/api/kpis?${window}&groupBy=${groupBy}`)).groups.find(
        (g: { key: string }) => g.key === key,
      )?.kpis.onTimeStartRate ?? null;
    expect(await rate('technician', setting.technician.id)).toBe(1);
    expect(await rate('technician', colleague.id)).toBeNull();
    expect(await rate('partner', setting.partner.id)).toBe(1);
    expect(await rate('partner', other.id)).toBeNull();
    // The partner scorecards say the same.
    const card = async (partnerId: string) =>
      (await call('GET', `/api/partners/${partnerId}/scorecard`)).kpis.onTimeStartRate;
    expect(await card(setting.partner.id)).toBe(1);
    expect(await card(other.id)).toBeNull();

    // The SLA was answered by the first visit, and the fix that needed a second visit was its miss;
    // the time to repair stays with whoever resolved it.
    const kpisOf = async (key: string) =>
      (await call('GET', `/api/kpis?${window}&groupBy=technician`)).groups.find(
        (g: { key: string }) => g.key === key,
      )?.kpis;
    expect(await kpisOf(setting.technician.id)).toMatchObject({
      slaEvaluated: 1,
      firstTimeFixRate: 0,
      mttrHours: null,
    });
    expect(await kpisOf(colleague.id)).toMatchObject({ slaEvaluated: 0, firstTimeFixRate: null });
    expect((await kpisOf(colleague.id)).mttrHours).toBeGreaterThan(24);
  });

  // Regression: the visit's on-site time came out negative, so did the technician's utilisation, and
  // /api/kpis failed its own response schema with a 500 on every page that reads it.
  it('counts no on-site time for a visit whose audit times run backwards, never negative time, and still answers', async () => {
    const { ticket } = await aStartedVisit(await aJobSetting(), Date.now() + 2 * hour, 0);
    // Started at the appointment (the clock held there), resolved by the real clock, hours earlier.
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
