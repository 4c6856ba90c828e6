import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  aDevice,
  aPartner,
  aPlan,
  aStockLocation,
  aTechnician,
  day,
  hour,
} from './support/factories.ts';
import { aFreeVisit } from './support/free-visit.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

const kolkata = 5.5 * hour;

/** The next time it is `atHour` o'clock on ISO weekday `weekday` in Kolkata, where the test technicians work. */
function nextInKolkata(weekday: number, atHour: number): number {
  let at = Math.ceil((Date.now() + kolkata) / day) * day - kolkata + atHour * hour;
  while (((new Date(at + kolkata).getUTCDay() + 6) % 7) + 1 !== weekday) at += day;
  return at;
}

/** Two customers, each with a device and an AMC contract, one partner with two technicians. */
describe('tickets over HTTP', () => {
  let service: ServiceHarness;
  const ids = { a: '', b: '', deviceA: '', deviceB: '', contractA: '', contractB: '', tech1: '', tech2: '' };
  const tokens = { a: '', b: '', tech1: '', tech2: '', planner: '' };

  beforeAll(async () => {
    // Sessions that outlast the test's jumps to the next working day, where its visits are booked.
    service = await startService({ config: { sessionHours: 7 * 24 } });
    const post = async (path: string, body: unknown) => {
      const res = await service.api(path, { method: 'POST', body });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    ids.a = (await post('/api/customers', aCustomer())).id;
    ids.b = (await post('/api/customers', aCustomer())).id;
    ids.deviceA = (await post('/api/devices', aDevice({ customerId: ids.a }))).id;
    ids.deviceB = (await post('/api/devices', aDevice({ customerId: ids.b }))).id;
    const plan = await post('/api/contract-plans', aPlan());
    const now = Date.now();
    for (const [key, customerId, deviceId] of [
      ['contractA', ids.a, ids.deviceA],
      ['contractB', ids.b, ids.deviceB],
    ] as const) {
      ids[key] = (
        await post('/api/contracts', {
          customerId,
          planId: plan.id,
          deviceIds: [deviceId],
          startsAt: now - day,
          endsAt: now + 364 * day,
        })
      ).id;
    }
    const partner = await post('/api/partners', aPartner());
    ids.tech1 = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    ids.tech2 = (await post(`/api/partners/${partner.id}/technicians`, aTechnician())).id;
    tokens.a = await service.login({ email: 'a@example.com', role: 'customer', customerId: ids.a });
    tokens.b = await service.login({ email: 'b@example.com', role: 'customer', customerId: ids.b });
    tokens.tech1 = await service.login({
      email: 't1@example.com',
      role: 'technician',
      technicianId: ids.tech1,
    });
    tokens.tech2 = await service.login({
      email: 't2@example.com',
      role: 'technician',
      technicianId: ids.tech2,
    });
    tokens.planner = await service.login({ email: 'p@example.com', name: 'Priya Raman', role: 'planner' });
  });
  afterAll(() => service.close());

  const report = (token: string, deviceId: string, extra: Record<string, unknown> = {}) =>
    service.api('/api/tickets', {
      method: 'POST',
      token,
      body: { deviceId, description: 'Water dripping from the indoor unit', ...extra },
    });
  const transition = (id: string, token: string, body: Record<string, unknown>) =>
    service.api(`/api/tickets/${id}/transitions`, { method: 'POST', token, body });

  describe('a customer', () => {
    it('reports a problem with its own device and gets an AMC-covered ticket with an SLA', async () => {
      const res = await report(tokens.a, ids.deviceA, { failureMode: 'clogged_filter' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'corrective',
        status: 'open',
        customerId: ids.a,
        coverage: 'amc',
        contractId: ids.contractA,
        requiredSkill: 'general_service',
      });
      expect(res.body.slaDueAt - res.body.createdAt).toBe(24 * hour);

      // Reporting it again while it is being seen to would send a second technician: 409, naming it.
      const again = await report(tokens.a, ids.deviceA, { description: 'Still not cooling!' });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(
        `deviceId: a problem with this device is already reported and being seen to (ticket ${res.body.id}); its visit is on that ticket`,
      );
      // Once that one is over, the next problem is a new report.
      const cancel = { to: 'cancelled', reason: 'it started working again' };
      expect((await transition(res.body.id, tokens.a, cancel)).status).toBe(200);
      // Two reports sent at the same moment open one ticket, not two.
      const both = await Promise.all([report(tokens.a, ids.deviceA), report(tokens.a, ids.deviceA)]);
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      const next = both.find((r) => r.status === 201)!;
      expect((await transition(next.body.id, tokens.a, cancel)).status).toBe(200);
    });

    it('says what is wrong but leaves urgency and skill to the service: 400 naming the field', async () => {
      for (const [field, value] of [
        ['priority', 'urgent'],
        ['requiredSkill', 'electronics'],
      ] as const) {
        const res = await report(tokens.a, ids.deviceA, { [field]: value });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(new RegExp(`^body\\.${field}: the service sets this`));
      }
      const planner = await report(tokens.planner, ids.deviceA, { priority: 'urgent' });
      expect(planner.status, 'a planner still sets the priority').toBe(201);
      expect(planner.body.priority).toBe('urgent');
      await transition(planner.body.id, tokens.planner, {
        to: 'cancelled',
        reason: 'only a test of priority',
      });
    });

    it("cannot read customer B's device, ticket or contract: 404 exactly as for what does not exist", async () => {
      const reported = await report(tokens.b, ids.deviceB);
      expect(reported.status).toBe(201);
      const ticketB = reported.body.id;
      for (const path of [
        `/api/devices/${ids.deviceB}`,
        `/api/tickets/${ticketB}`,
        `/api/contracts/${ids.contractB}`,
        `/api/customers/${ids.b}`,
      ]) {
        const res = await service.api(path, { token: tokens.a });
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
        const missing = await service.api(path.replace(/[^/]+$/, 'does-not-exist'), { token: tokens.a });
        expect(missing.status).toBe(404);
      }
      expect((await service.api(`/api/tickets/${ticketB}`, { token: tokens.b })).status).toBe(200);
      await transition(ticketB, tokens.b, { to: 'cancelled', reason: 'it works again' });
    });

    it("cannot open, move or rate a ticket on customer B's device", async () => {
      const reported = await report(tokens.b, ids.deviceB);
      expect(reported.status).toBe(201);
      const ticketB = reported.body.id;
      expect((await report(tokens.a, ids.deviceB)).status).toBe(404);
      expect((await transition(ticketB, tokens.a, { to: 'cancelled', reason: 'mine now' })).status).toBe(404);
      expect(
        (
          await service.api(`/api/tickets/${ticketB}/feedback`, {
            method: 'POST',
            token: tokens.a,
            body: { csat: 1, nps: 0 },
          })
        ).status,
      ).toBe(404);
    });

    it("lists only its own tickets, devices and contracts, and nothing for customer B's id", async () => {
      const tickets = await service.api('/api/tickets', { token: tokens.a });
      expect(tickets.body.items.length).toBeGreaterThan(0);
      expect(tickets.body.items.every((t: { customerId: string }) => t.customerId === ids.a)).toBe(true);
      const devices = await service.api('/api/devices', { token: tokens.a });
      expect(devices.body.items.map((d: { id: string }) => d.id)).toEqual([ids.deviceA]);
      const contracts = await service.api('/api/contracts', { token: tokens.a });
      expect(contracts.body.items.map((c: { id: string }) => c.id)).toEqual([ids.contractA]);
      for (const list of ['tickets', 'devices', 'contracts']) {
        const res = await service.api(`/api/${list}?customerId=${ids.b}`, { token: tokens.a });
        expect(res.status, list).toBe(200);
        expect(res.body, list).toMatchObject({ items: [], total: 0 });
      }
    });

    it('may cancel its own open ticket but not schedule it', async () => {
      const id = (await report(tokens.a, ids.deviceA)).body.id;
      expect((await transition(id, tokens.a, { to: 'scheduled' })).status).toBe(403);
      const cancelled = await transition(id, tokens.a, {
        to: 'cancelled',
        reason: 'it started working again',
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
    });
  });

  describe('bad bodies get a 400 naming the field', () => {
    it.each([
      ['a ticket without a description', '/api/tickets', { deviceId: 'dev-1' }, /^body\.description: /],
      [
        'a ticket with an unknown priority',
        '/api/tickets',
        { deviceId: 'dev-1', description: 'x', priority: 'asap' },
        /^body\.priority: /,
      ],
      ['an unknown field', '/api/tickets', { deviceId: 'dev-1', description: 'x', colour: 'red' }, /colour/],
      ['a customer of an unknown kind', '/api/customers', { name: 'X', kind: 'alien' }, /^body\.kind: /],
      [
        'a contract ending before it starts',
        '/api/contracts',
        { customerId: 'c', planId: 'p', deviceIds: ['d'], startsAt: 10, endsAt: 5 },
        /^body\.endsAt: must be after startsAt/,
      ],
      [
        "a technician working 25 o'clock",
        '/api/partners/p/technicians',
        { ...aTechnician(), workingHours: { days: [1], start: '25:00', end: '26:00', timezone: 'UTC' } },
        /^body\.workingHours\.start: must be a time of day/,
      ],
      [
        'a transfer to where it comes from',
        '/api/transfers',
        { fromLocationId: 'a', toLocationId: 'a', sku: 'AC-CAP', quantity: 1, etaAt: 1 },
        /^body\.toLocationId: must differ/,
      ],
      [
        'a failure mode of another model',
        '/api/tickets',
        { description: 'x', failureMode: 'drum_bearing_wear' },
        /^body\.failureMode: drum_bearing_wear is not a failure mode of split-ac/,
      ],
    ])('%s', async (_what, path, body, message) => {
      const payload =
        path === '/api/tickets' && !('deviceId' in body) ? { ...body, deviceId: ids.deviceA } : body;
      const res = await service.api(path, { method: 'POST', token: tokens.planner, body: payload });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(message);
    });

    it('a transition to a status that does not exist', async () => {
      const id = (await report(tokens.planner, ids.deviceB)).body.id;
      const res = await transition(id, tokens.planner, { to: 'teleported' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^body\.to: /);
    });

    it.each([
      [
        'in 1970, a millisecond long',
        () => ({ start: 0, end: 1 }),
        /^body\.appointment\.end: must be at least 5 minutes/,
      ],
      [
        'over already',
        () => ({ start: Date.now() - 3 * hour, end: Date.now() - hour }),
        /^body\.appointment\.end: the appointment is over already/,
      ],
      [
        'two days long',
        () => ({ start: Date.now() + hour, end: Date.now() + 49 * hour }),
        /^body\.appointment\.end: must be at most 24 hours/,
      ],
      [
        "on the technician's day off",
        () => ({ start: nextInKolkata(7, 10), end: nextInKolkata(7, 11) }),
        /^body\.appointment: Sunday is not one of Technician \d+'s working days \(Mon–Sat, 09:00–18:00 Asia\/Kolkata\)/,
      ],
      [
        'at half past one at night',
        () => ({ start: nextInKolkata(3, 1.5), end: nextInKolkata(3, 2.5) }),
        /^body\.appointment: 01:30–02:30 falls outside Technician \d+'s hours, 09:00–18:00 \(Asia\/Kolkata\); book inside their hours, or book it as overtime they agreed to, with the reason$/,
      ],
    ])('an appointment %s, when scheduling and when reassigning', async (_what, appointment, message) => {
      const id = (await report(tokens.planner, ids.deviceB)).body.id;
      const scheduled = await transition(id, tokens.planner, {
        to: 'scheduled',
        technicianId: ids.tech1,
        appointment: appointment(),
      });
      expect(scheduled.status).toBe(400);
      expect(scheduled.body.message).toMatch(message);
      const assigned = await service.api(`/api/tickets/${id}/assignment`, {
        method: 'PUT',
        token: tokens.planner,
        body: { technicianId: ids.tech1, appointment: appointment() },
      });
      expect(assigned.status).toBe(400);
      expect(assigned.body.message).toMatch(message);
      expect((await service.api(`/api/tickets/${id}`, { token: tokens.planner })).body).toMatchObject({
        status: 'open',
        appointment: null,
      });
    });

    it('books agreed overtime outside the working hours only with a reason, which the audit log keeps', async () => {
      const id = (await report(tokens.planner, ids.deviceB)).body.id;
      const sunday = { start: nextInKolkata(7, 10), end: nextInKolkata(7, 11) };
      const assign = (body: Record<string, unknown>) =>
        service.api(`/api/tickets/${id}/assignment`, {
          method: 'PUT',
          token: tokens.planner,
          body: { technicianId: ids.tech1, appointment: sunday, ...body },
        });
      const unexplained = await assign({ outsideWorkingHours: true });
      expect(unexplained.status).toBe(400);
      expect(unexplained.body.message).toMatch(
        /^body\.reason: say why the visit is booked outside Technician/,
      );

      const why = 'Customer only home on Sunday; Technician agreed to the overtime';
      const booked = await assign({ outsideWorkingHours: true, reason: why });
      expect(booked.status, booked.text).toBe(200);
      expect(booked.body).toMatchObject({ status: 'scheduled', appointment: sunday });
      const detail = await service.api(`/api/tickets/${id}`, { token: tokens.planner });
      expect(detail.body.audit.at(-1)).toMatchObject({ action: 'assigned', reason: why });

      // Moving it back inside the hours needs no explanation.
      const weekday = await aFreeVisit(service, ids.tech1);
      const moved = await service.api(`/api/tickets/${id}/assignment`, {
        method: 'PUT',
        token: tokens.planner,
        body: { technicianId: ids.tech1, appointment: weekday },
      });
      expect(moved.status, moved.text).toBe(200);
    });
  });

  describe('titles', () => {
    it("calls a reported problem without a title by the reporter's first words, so a list can tell them apart", async () => {
      const first = await report(tokens.planner, ids.deviceB, {
        description: 'Makes a grinding noise at start. Started yesterday after the power cut.',
      });
      expect(first.body.title).toBe('Makes a grinding noise at start');
      const long =
        'Water drips from the indoor unit onto the sofa and the wall below it is getting damp too and peeling';
      const second = await report(tokens.planner, ids.deviceB, { description: long });
      expect(second.body.title).toBe(
        'Water drips from the indoor unit onto the sofa and the wall below it is getting…',
      );
      const named = await report(tokens.planner, ids.deviceB, { title: 'Noise', description: 'Loud' });
      expect(named.body.title).toBe('Noise');
      for (const t of [first, second, named])
        await transition(t.body.id, tokens.planner, { to: 'cancelled', reason: 'test done' });
    });
  });

  describe('the lifecycle over HTTP', () => {
    it('goes from report to closed, each step by the role it belongs to, all of it in the audit timeline', async () => {
      const id = (await report(tokens.a, ids.deviceA, { failureMode: 'capacitor_degradation' })).body.id;
      const appointment = await aFreeVisit(service, ids.tech1, 120);
      const before: [string, Record<string, unknown>][] = [
        [tokens.planner, { to: 'scheduled', technicianId: ids.tech1, appointment }],
        [tokens.tech1, { to: 'dispatched' }],
      ];
      for (const [token, body] of before) {
        const res = await transition(id, token, body);
        expect(res.status, JSON.stringify(body)).toBe(200);
      }
      // The rest happens on the visit's day.
      await service.at(appointment.start, async () => {
        for (const body of [
          { to: 'on_site' },
          { to: 'resolved', reason: 'Replaced run capacitor; compressor starts first time' },
        ]) {
          const res = await transition(id, tokens.tech1, body);
          expect(res.status, JSON.stringify(body)).toBe(200);
        }
        // Only the readings verify a fix (the fix verifier); the office may close the work unverified.
        const verify = await transition(id, tokens.planner, { to: 'verified' });
        expect(verify.status).toBe(409);
        expect(verify.body.message).toMatch(/it can move to closed, flagged_for_review, not to verified/);
        expect((await transition(id, tokens.planner, { to: 'closed' })).status).toBe(200);
        const note = await service.api(`/api/tickets/${id}/notes`, {
          method: 'POST',
          token: tokens.planner,
          body: { text: 'Customer happy' },
        });
        expect(note.status).toBe(201);
        const detail = await service.api(`/api/tickets/${id}`, { token: tokens.a });
        expect(detail.status).toBe(200);
        expect(detail.body.audit.map((a: { action: string }) => a.action)).toEqual([
          'opened',
          'scheduled',
          'accepted',
          'started',
          'resolved',
          'closed',
          'note_added',
        ]);
        expect(detail.body.troubleshootingSteps.length).toBeGreaterThanOrEqual(3);
        // The office's side stays with the office: its notes, who exactly acted, its working.
        const office = await service.api(`/api/tickets/${id}`, { token: tokens.planner });
        expect(office.body.notes).toMatchObject([{ text: 'Customer happy' }]);
        expect(office.body.audit.find((a: { action: string }) => a.action === 'scheduled').actor).toMatch(
          /^user:/,
        );
        expect(detail.body.notes).toEqual([]);
        expect(new Set(detail.body.audit.map((a: { actor: string }) => a.actor))).toEqual(
          new Set(['customer', 'planner', 'technician']),
        );
        expect(detail.body.audit.every((a: { data: unknown }) => a.data === null)).toBe(true);
        // What the customer is owed: why it was resolved, and who came, by name.
        expect(detail.body.audit.find((a: { action: string }) => a.action === 'resolved').reason).toBe(
          'Replaced run capacitor; compressor starts first time',
        );
        const technician = await service.api(`/api/technicians/${ids.tech1}`, { token: tokens.planner });
        expect(detail.body.technicianName).toBe(technician.body.name);
        expect(office.body.technicianName).toBe(technician.body.name);
        // The office reads who did each step by name: an account's own name, else its technician's.
        const byAction = (body: { audit: { action: string; actorName?: string | null }[] }, action: string) =>
          body.audit.find((a) => a.action === action)?.actorName;
        expect(byAction(office.body, 'scheduled')).toBe('Priya Raman');
        expect(byAction(office.body, 'resolved')).toBe(technician.body.name);
        expect(office.body.notes[0].authorName).toBe('Priya Raman');
        // The customer learns the technician's name, not the office staff's.
        expect(byAction(detail.body, 'resolved')).toBe(technician.body.name);
        expect(byAction(detail.body, 'scheduled')).toBeNull();

        const feedback = await service.api(`/api/tickets/${id}/feedback`, {
          method: 'POST',
          token: tokens.a,
          body: { csat: 5, nps: 9, comment: 'Came before it broke' },
        });
        expect(feedback.status).toBe(201);
        expect(feedback.body).toMatchObject({ csat: 5, nps: 9, complaint: false });
        const again = await service.api(`/api/tickets/${id}/feedback`, {
          method: 'POST',
          token: tokens.a,
          body: { csat: 1, nps: 0 },
        });
        expect(again.status).toBe(409);
      });
    });

    it("starts work on the appointment's day at the earliest, and says when that is", async () => {
      const id = (await report(tokens.planner, ids.deviceB)).body.id;
      // Two days on, so that the visit is on a later day whenever the test runs.
      const appointment = await aFreeVisit(service, ids.tech1, 60, Date.now() + 2 * day);
      await transition(id, tokens.planner, { to: 'scheduled', technicianId: ids.tech1, appointment });
      expect((await transition(id, tokens.tech1, { to: 'dispatched' })).status).toBe(200);

      const early = await transition(id, tokens.tech1, { to: 'on_site' });
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('INVALID_TRANSITION');
      const inKolkata = (options: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Asia/Kolkata' });
      const bookedDay = inKolkata({ weekday: 'short', day: 'numeric', month: 'short' }).format(
        appointment.start,
      );
      const clock = inKolkata({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect(early.body.message).toBe(
        `the visit is booked for ${bookedDay}, ${clock.format(appointment.start)}–${clock.format(appointment.end)} (Asia/Kolkata): work on it starts on that day; to do it today, re-book the appointment first`,
      );
      // The office is held to it too: a start recorded early would be a visit that did not happen.
      expect((await transition(id, tokens.planner, { to: 'on_site' })).status).toBe(409);
      const unchanged = await service.api(`/api/tickets/${id}`, { token: tokens.planner });
      expect(unchanged.body.status).toBe('dispatched');
      expect(unchanged.body.audit.map((a: { action: string }) => a.action)).not.toContain('started');

      // Early on the day itself, before the booked hour, is fine: the technician got there sooner.
      const dayStartInKolkata = appointment.start - ((appointment.start + 5.5 * hour) % day);
      expect(
        (await service.at(dayStartInKolkata - 1, () => transition(id, tokens.tech1, { to: 'on_site' })))
          .status,
      ).toBe(409);
      const started = await service.at(dayStartInKolkata, () =>
        transition(id, tokens.tech1, { to: 'on_site' }),
      );
      expect(started.status, started.text).toBe(200);
      expect(started.body.status).toBe('on_site');
    });

    it("lets a technician see and move only its own jobs; another's job is 404", async () => {
      const id = (await report(tokens.planner, ids.deviceB)).body.id;
      await transition(id, tokens.planner, {
        to: 'scheduled',
        technicianId: ids.tech1,
        appointment: await aFreeVisit(service, ids.tech1),
      });
      expect((await service.api(`/api/tickets/${id}`, { token: tokens.tech2 })).status).toBe(404);
      expect((await transition(id, tokens.tech2, { to: 'dispatched' })).status).toBe(404);
      expect(
        (
          await service.api(`/api/tickets/${id}/notes`, {
            method: 'POST',
            token: tokens.tech2,
            body: { text: 'x' },
          })
        ).status,
      ).toBe(404);
      const mine = await service.api('/api/tickets', { token: tokens.tech1 });
      expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(id);
      expect(mine.body.items.every((t: { technicianId: string }) => t.technicianId === ids.tech1)).toBe(true);
      // Its own id narrows nothing; another technician's lists nothing, never its own jobs as theirs.
      const asMine = await service.api(`/api/tickets?technicianId=${ids.tech1}`, { token: tokens.tech1 });
      expect(asMine.body.items.map((t: { id: string }) => t.id)).toEqual(
        mine.body.items.map((t: { id: string }) => t.id),
      );
      const asOther = await service.api(`/api/tickets?technicianId=${ids.tech2}`, { token: tokens.tech1 });
      expect(asOther.status).toBe(200);
      expect(asOther.body).toMatchObject({ items: [], total: 0 });
      const planned = await service.api(`/api/tickets?technicianId=${ids.tech1}`, { token: tokens.planner });
      expect(planned.body.items.map((t: { id: string }) => t.id)).toContain(id);
      expect((await service.api(`/api/devices/${ids.deviceA}`, { token: tokens.tech1 })).status).toBe(200);
      expect((await service.api(`/api/devices/${ids.deviceA}`, { token: tokens.tech2 })).status).toBe(404);
      expect((await service.api('/api/devices', { token: tokens.tech2 })).body.items).toEqual([]);
      expect((await transition(id, tokens.tech1, { to: 'dispatched' })).status).toBe(200);
      expect((await transition(id, tokens.tech1, { to: 'cancelled', reason: 'no time' })).status).toBe(403);
    });

    it('answers 409 to a transition sent with a stale version, and to a step the lifecycle does not have', async () => {
      const created = (await report(tokens.planner, ids.deviceA)).body;
      await service.api(`/api/tickets/${created.id}/notes`, {
        method: 'POST',
        token: tokens.planner,
        body: { text: 'Called the customer' },
      });
      const stale = await transition(created.id, tokens.planner, {
        to: 'cancelled',
        reason: 'dup',
        version: created.version,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      const skip = await transition(created.id, tokens.planner, { to: 'resolved', reason: 'x' });
      expect(skip.status).toBe(409);
      expect(skip.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        message: 'the ticket is open: it can move to scheduled, cancelled, not to resolved',
      });
      const noReason = await transition(created.id, tokens.planner, { to: 'cancelled' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.message).toMatch(/^body\.reason: /);
    });

    it('filters the list by status, kind, device and priority', async () => {
      const urgent = (await report(tokens.planner, ids.deviceB, { priority: 'urgent' })).body.id;
      const res = await service.api(
        `/api/tickets?status=open,scheduled&priority=urgent&deviceId=${ids.deviceB}&kind=corrective`,
        {
          token: tokens.planner,
        },
      );
      expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([urgent]);
      expect(res.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    });
  });

  describe('parts over HTTP', () => {
    it('never reserves more than the shelf holds when thirty tickets race for eight units', async () => {
      const location = (await service.api('/api/stock-locations', { method: 'POST', body: aStockLocation() }))
        .body.id;
      await service.api(`/api/stock-locations/${location}/receipts`, {
        method: 'POST',
        body: { sku: 'AC-CAP', quantity: 8 },
      });
      const tickets = await Promise.all(
        Array.from({ length: 30 }, async () => (await report(tokens.planner, ids.deviceA)).body.id),
      );
      const results = await Promise.all(
        tickets.map((id) =>
          service.api(`/api/tickets/${id}/reservations`, {
            method: 'POST',
            token: tokens.planner,
            body: { sku: 'AC-CAP', locationId: location },
          }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(8);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_STOCK')).toBe(
        true,
      );
      expect(results.filter((r) => r.status === 409)).toHaveLength(22);
      const stock = await service.api(`/api/stock-locations/${location}/stock`, { token: tokens.planner });
      expect(stock.body.items).toMatchObject([{ sku: 'AC-CAP', onHand: 8, reserved: 8, available: 0 }]);
    });

    it('serves the catalogue and the knowledge base to technicians, not to customers', async () => {
      const parts = await service.api('/api/parts?model=split-ac&failureMode=compressor_wear', {
        token: tokens.tech1,
      });
      expect(parts.body.items).toMatchObject([
        { sku: 'AC-COMP', failureModes: ['compressor_wear'], returnRequired: true },
      ]);
      const guide = await service.api('/api/knowledge/refrigerator/defrost_heater_failure', {
        token: tokens.tech1,
      });
      expect(guide.body).toMatchObject({ skill: 'electrical', title: 'Defrost heater failure' });
      expect((await service.api('/api/parts', { token: tokens.a })).status).toBe(403);
    });
  });
});
