import { driveMinutesBetween } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  aDevice,
  aPartner,
  aSite,
  aTechnician,
  aWorkingVisit,
  day,
  hour,
} from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * A technician is at one place at a time. A person booking a visit (the assignment, or scheduling by
 * transition) that overlaps another of the technician's visits, or leaves less than the drive to or
 * from one elsewhere, gets 409 naming that visit; visits at the same site may follow each other with
 * no gap, as one trip. GET /api/technicians/:id/visits is the schedule a planner looks at first. All
 * over real HTTP and the real database.
 */
describe("a technician's booked visits", () => {
  let service: ServiceHarness;
  let planner: string;
  let techToken: string;
  let customerToken: string;
  let tech: { id: string; name: string };
  let otherTech: { id: string };
  const sites = {
    home: { id: '', name: '', lat: 0, lon: 0 },
    office: { id: '', name: '', lat: 0, lon: 0 },
  };
  /** Two devices at the customer's home, one at its office. */
  const devices = { kitchen: '', bedroom: '', office: '' };

  const post = async (path: string, body: unknown, status = 201) => {
    const res = await service.api(path, { method: 'POST', token: planner, body });
    expect(res.status, `${path} ${res.text}`).toBe(status);
    return res.body;
  };
  const report = async (deviceId: string, title: string) =>
    (await post('/api/tickets', { deviceId, title, description: `${title}, says the customer` }))
      .id as string;
  const assign = (ticketId: string, appointment: { start: number; end: number }, technicianId = tech.id) =>
    service.api(`/api/tickets/${ticketId}/assignment`, {
      method: 'PUT',
      token: planner,
      body: { technicianId, appointment },
    });
  const visitsOf = (technicianId: string, query: string, token = planner) =>
    service.api(`/api/technicians/${technicianId}/visits?${query}`, { token });

  /** 09:00–11:00 on a working day nobody has booked yet (in Kolkata, where they work): each test its own day. */
  const kolkata = 5.5 * hour;
  let nextDay = Date.now() + day;
  const aFreeMorning = () => {
    const midnight = Math.ceil((nextDay + kolkata) / day) * day - kolkata;
    const morning = aWorkingVisit(120, midnight);
    nextDay = morning.start + day;
    return morning;
  };

  beforeAll(async () => {
    service = await startService();
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    const customer = await post('/api/customers', aCustomer({ name: 'Meera Iyer' }));
    sites.home = await post(`/api/customers/${customer.id}/sites`, aSite({ name: 'Iyer residence' }));
    sites.office = await post(
      `/api/customers/${customer.id}/sites`,
      aSite({ name: 'Iyer & Co office', lat: 13.03, lon: 77.59 }),
    );
    devices.kitchen = (
      await post('/api/devices', aDevice({ customerId: customer.id, siteId: sites.home.id }))
    ).id;
    devices.bedroom = (
      await post('/api/devices', aDevice({ customerId: customer.id, siteId: sites.home.id }))
    ).id;
    devices.office = (
      await post('/api/devices', aDevice({ customerId: customer.id, siteId: sites.office.id }))
    ).id;
    const partner = await post('/api/partners', aPartner());
    tech = await post(`/api/partners/${partner.id}/technicians`, aTechnician({ name: 'Ravi Kumar' }));
    otherTech = await post(`/api/partners/${partner.id}/technicians`, aTechnician());
    techToken = await service.login({ email: 'ravi@example.com', role: 'technician', technicianId: tech.id });
    customerToken = await service.login({
      email: 'meera@example.com',
      role: 'customer',
      customerId: customer.id,
    });
  });
  afterAll(() => service.close());

  describe('booking a visit', () => {
    it('refuses one that overlaps a visit at another site: 409 naming that visit, and the ticket stays as it was', async () => {
      const morning = aFreeMorning();
      const atHome = await report(devices.kitchen, 'Kitchen unit not cooling');
      expect((await assign(atHome, morning)).status).toBe(200);

      const atOffice = await report(devices.office, 'Office unit leaking');
      const before = (await service.api(`/api/tickets/${atOffice}`, { token: planner })).body;
      const halfAnHourIn = { start: morning.start + hour / 2, end: morning.end + hour / 2 };
      const refused = await assign(atOffice, halfAnHourIn);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(
        new RegExp(
          `^appointment: Ravi Kumar is booked \\w{3} \\d{1,2} \\w{3}, \\d\\d:\\d\\d–\\d\\d:\\d\\d \\(Asia/Kolkata\\) at Iyer residence for "Kitchen unit not cooling" \\(ticket ${atHome}\\); pick a time that does not overlap it, or another technician$`,
        ),
      );
      const after = (await service.api(`/api/tickets/${atOffice}`, { token: planner })).body;
      expect([after.status, after.technicianId, after.appointment, after.version]).toEqual([
        before.status,
        before.technicianId,
        before.appointment,
        before.version,
      ]);

      // With another technician it goes; with Ravi, once he has had the time to drive over.
      expect((await assign(atOffice, halfAnHourIn, otherTech.id)).status).toBe(200);
      const rightAfter = { start: morning.end, end: morning.end + 2 * hour };
      const noTimeToDrive = await assign(atOffice, rightAfter);
      expect(noTimeToDrive.status).toBe(409);
      const drive = driveMinutesBetween(sites.home, sites.office);
      expect(drive).toBeGreaterThan(10);
      expect(noTimeToDrive.body.message).toMatch(
        new RegExp(
          `for "Kitchen unit not cooling" \\(ticket ${atHome}\\), a ${drive}-minute drive away; start at \\d\\d:\\d\\d or later, or pick another technician$`,
        ),
      );
      const afterTheDrive = {
        start: morning.end + drive * 60_000,
        end: morning.end + drive * 60_000 + 2 * hour,
      };
      expect((await assign(atOffice, afterTheDrive)).status).toBe(200);
    });

    it('books visits at the same site one after the other with no gap, as one trip, but not overlapping', async () => {
      const morning = aFreeMorning();
      const kitchen = await report(devices.kitchen, 'Kitchen unit noisy');
      const bedroom = await report(devices.bedroom, 'Bedroom unit noisy');
      expect((await assign(kitchen, morning)).status).toBe(200);
      // Both at once would be drawn one after the other on the dispatch board, the later ones late.
      const overlapping = await assign(bedroom, { start: morning.start + hour, end: morning.end + hour });
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.message).toMatch(
        /for "Kitchen unit noisy" .*; pick a time that does not overlap it/,
      );
      const next = await assign(bedroom, { start: morning.end, end: morning.end + hour });
      expect(next.status, next.text).toBe(200);
    });

    it('lets a job move within its own time, and frees the time once the other job is cancelled', async () => {
      const morning = aFreeMorning();
      const atHome = await report(devices.kitchen, 'Kitchen unit trips the breaker');
      expect((await assign(atHome, morning)).status).toBe(200);
      expect((await assign(atHome, { start: morning.start + hour / 2, end: morning.end })).status).toBe(200);

      const atOffice = await report(devices.office, 'Office unit smells of burning');
      expect((await assign(atOffice, morning)).status).toBe(409);
      await post(`/api/tickets/${atHome}/transitions`, { to: 'cancelled', reason: 'customer fixed it' }, 200);
      expect((await assign(atOffice, morning)).status).toBe(200);
    });

    it('holds when scheduling by transition, and for two planners booking the same hour at once', async () => {
      const morning = aFreeMorning();
      const atHome = await report(devices.kitchen, 'Kitchen unit ices up');
      await post(
        `/api/tickets/${atHome}/transitions`,
        { to: 'scheduled', technicianId: tech.id, appointment: morning },
        200,
      );
      const atOffice = await report(devices.office, 'Office unit ices up');
      const refused = await service.api(`/api/tickets/${atOffice}/transitions`, {
        method: 'POST',
        token: planner,
        body: { to: 'scheduled', technicianId: tech.id, appointment: morning },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(
        /^appointment: Ravi Kumar is booked .* for "Kitchen unit ices up"/,
      );

      const afternoon = { start: morning.start + 4 * hour, end: morning.end + 4 * hour };
      const first = await report(devices.kitchen, 'Kitchen unit drips');
      const second = await report(devices.office, 'Office unit drips');
      const both = await Promise.all([assign(first, afternoon), assign(second, afternoon)]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it('takes the times as ISO 8601 with a zone as well as epoch ms, and names a time it cannot read', async () => {
      const morning = aFreeMorning();
      const iso = (at: number) => new Date(at + 5.5 * hour).toISOString().replace('Z', '+05:30');
      const job = await report(devices.kitchen, 'Kitchen unit blinks');
      const booked = await service.api(`/api/tickets/${job}/assignment`, {
        method: 'PUT',
        token: planner,
        body: { technicianId: tech.id, appointment: { start: iso(morning.start), end: iso(morning.end) } },
      });
      expect(booked.status, booked.text).toBe(200);
      expect(booked.body.appointment).toEqual(morning);
      const unread = await service.api(`/api/tickets/${job}/assignment`, {
        method: 'PUT',
        token: planner,
        body: { technicianId: tech.id, appointment: { start: '30/11/2026 10:00', end: morning.end } },
      });
      expect(unread.status).toBe(400);
      expect(unread.body.message).toMatch(
        /^body\.appointment\.start: must be epoch milliseconds or ISO 8601 with a zone/,
      );
      // Instants no date can show, and visits years ahead, are slips of the pen: 400, nothing booked.
      const slips: [unknown, RegExp][] = [
        [
          { start: 9_000_000_000_000_000, end: 9_000_000_003_600_000 },
          /^body\.appointment\.start: must not be after the year 9999/,
        ],
        [
          { start: '9999-12-31T10:00:00+05:30', end: '9999-12-31T11:00:00+05:30' },
          /^body\.appointment\.start: more than 2 years ahead/,
        ],
        [
          { start: '2026-11-30T10:00:00 05:30', end: morning.end },
          /^body\.appointment\.start: must be epoch milliseconds or ISO 8601 with a zone/,
        ],
      ];
      for (const [appointment, message] of slips) {
        const res = await service.api(`/api/tickets/${job}/assignment`, {
          method: 'PUT',
          token: planner,
          body: { technicianId: tech.id, appointment },
        });
        expect(res.status, res.text).toBe(400);
        expect(res.body.message).toMatch(message);
      }
      const kept = (await service.api(`/api/tickets/${job}`, { token: planner })).body;
      expect(kept.appointment).toEqual(morning);
    });

    it('still holds a visit in progress: a technician on site elsewhere is not free', async () => {
      const morning = aFreeMorning();
      const atHome = await report(devices.kitchen, 'Kitchen unit rattles');
      expect((await assign(atHome, morning)).status).toBe(200);
      for (const to of ['dispatched', 'on_site'])
        await service.api(`/api/tickets/${atHome}/transitions`, {
          method: 'POST',
          token: techToken,
          body: { to },
        });
      const atOffice = await report(devices.office, 'Office unit rattles');
      expect((await assign(atOffice, morning)).status).toBe(409);
    });
  });

  describe('GET /api/technicians/:id/visits', () => {
    it('lists the visits that overlap the range, earliest first, with their sites; not cancelled ones', async () => {
      const morning = aFreeMorning();
      // An hour apart: time to drive from home to the office.
      const later = { start: morning.end + hour, end: morning.end + 2 * hour };
      const kitchen = await report(devices.kitchen, 'Kitchen unit hums');
      const office = await report(devices.office, 'Office unit hums');
      const cancelled = await report(devices.bedroom, 'Bedroom unit hums');
      expect((await assign(office, later)).status).toBe(200);
      expect((await assign(kitchen, morning)).status).toBe(200);
      expect((await assign(cancelled, { start: later.end + hour, end: later.end + 2 * hour })).status).toBe(
        200,
      );
      await post(`/api/tickets/${cancelled}/transitions`, { to: 'cancelled', reason: 'not needed' }, 200);

      const res = await visitsOf(tech.id, `from=${morning.start + 1}&to=${later.end + 3 * hour}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        technicianId: tech.id,
        timezone: 'Asia/Kolkata',
        items: [
          {
            ticketId: kitchen,
            title: 'Kitchen unit hums',
            status: 'scheduled',
            ...morning,
            siteId: sites.home.id,
            siteName: 'Iyer residence',
            position: { lat: sites.home.lat, lon: sites.home.lon },
          },
          {
            ticketId: office,
            title: 'Office unit hums',
            status: 'scheduled',
            ...later,
            siteId: sites.office.id,
            siteName: 'Iyer & Co office',
            position: { lat: sites.office.lat, lon: sites.office.lon },
          },
        ],
      });
      // ISO instants are read as epoch ms are.
      const iso = await visitsOf(
        tech.id,
        `from=${new Date(morning.start).toISOString()}&to=${new Date(morning.end).toISOString()}`,
      );
      expect(iso.body.items.map((v: { ticketId: string }) => v.ticketId)).toEqual([kitchen]);
    });

    it('lets a technician read its own schedule only; another technician is 404, a customer 403', async () => {
      const range = `from=${Date.now()}&to=${Date.now() + 7 * day}`;
      expect((await visitsOf(tech.id, range, techToken)).status).toBe(200);
      expect((await visitsOf(otherTech.id, range, techToken)).status).toBe(404);
      expect((await visitsOf(tech.id, range, customerToken)).status).toBe(403);
      expect((await visitsOf('nobody', range)).status).toBe(404);
      expect((await service.api(`/api/technicians/${tech.id}/visits?${range}`, { token: null })).status).toBe(
        401,
      );
    });

    it('answers 400 naming what is wrong with the range', async () => {
      const now = Date.now();
      const cases: [string, RegExp][] = [
        [`from=${now}&to=${now - hour}`, /querystring\.to: must be after from/],
        [`from=${now}&to=${now + 40 * day}`, /querystring\.to: must be at most 31 days after from/],
        [`from=${now}`, /querystring\.to: /],
        [`from=${now}&to=${now + day}&limit=5`, /Unrecognized key: "limit"/],
        [`from=yesterday&to=${now}`, /querystring\.from: /],
      ];
      for (const [query, message] of cases) {
        const res = await visitsOf(tech.id, query);
        expect(res.status, query).toBe(400);
        expect(res.body.message, query).toMatch(message);
      }
    });
  });
});
