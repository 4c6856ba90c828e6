import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHarness } from './support/harness.ts';
import { indiaDate, type PlanningWorld, planningNow, startPlanningWorld } from './support/planning-world.ts';

/*
 * The dispatch board's API over real HTTP and the real database, on the demo world: the technicians
 * and contracts `seedDemoWorld` writes, the visit tickets the AMC job books, and corrective jobs a
 * service desk books through the API.
 */

const hour = 3_600_000;
/** HH:MM in India on `date` → epoch ms. */
const indiaTime = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+05:30`);

describe('the dispatch API', () => {
  let world: PlanningWorld;
  let service: ServiceHarness;
  let planner: string;
  /** A weekday after the seeding instant, with the desk's jobs booked on it. */
  const date = indiaDate(planningNow + 2 * 86_400_000);
  // biome-ignore lint/suspicious/noExplicitAny: the board as the API answers it
  let board: any;

  beforeAll(async () => {
    world = await startPlanningWorld();
    service = world.service;
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    board = (await service.api(`/api/dispatch/day?date=${date}`)).body;
    const working = board.technicians.filter((t: { available: boolean }) => t.available);
    // Two jobs for each of the first three working technicians, one more waiting for anyone.
    let n = 0;
    for (const tech of working.slice(0, 3)) {
      for (const [from, to] of [
        ['10:00', '11:30'],
        ['14:00', '15:00'],
      ] as const) {
        const ticket = await service.api('/api/tickets', {
          method: 'POST',
          body: {
            kind: 'corrective',
            deviceId: world.fleet[(n++ * 7) % world.fleet.length]!.id,
            title: `Job ${n}`,
            description: 'Reported on the phone',
          },
        });
        expect(ticket.status).toBe(201);
        const assigned = await service.api(`/api/tickets/${ticket.body.id}/assignment`, {
          method: 'PUT',
          body: {
            technicianId: tech.id,
            appointment: { start: indiaTime(date, from), end: indiaTime(date, to) },
          },
        });
        expect(assigned.status).toBe(200);
      }
    }
    const waiting = await service.api('/api/tickets', {
      method: 'POST',
      body: {
        kind: 'corrective',
        deviceId: world.fleet[40]!.id,
        title: 'Waiting job',
        description: 'Not cooling',
      },
    });
    expect(waiting.status).toBe(201);
    board = (await service.api(`/api/dispatch/day?date=${date}`)).body;
  }, 120_000);
  afterAll(() => service.close());

  describe('GET /api/dispatch/day', () => {
    it('lays out the technicians with their hours and the booked jobs in route order with travel and SLA', async () => {
      const res = await service.api(`/api/dispatch/day?date=${date}`, { token: planner });
      expect(res.status).toBe(200);
      const day = res.body;
      expect(day.timezone).toBe('Asia/Kolkata');
      expect(day.dayEnd - day.dayStart).toBe(24 * hour);
      expect(day.technicians).toHaveLength(20);
      const booked = day.jobs.filter((j: { title: string }) => j.title.startsWith('Job '));
      expect(booked).toHaveLength(6);
      for (const job of day.jobs) {
        const tech = day.technicians.find((t: { id: string }) => t.id === job.technicianId);
        expect(tech.partnerName).not.toBe(tech.partnerId);
        expect(job.startAt).toBeGreaterThanOrEqual(job.appointment.start);
        expect(job.arriveAt).toBeLessThanOrEqual(job.startAt);
        expect(job.travelKm).toBeGreaterThan(0);
        expect(typeof job.slaMet).toBe('boolean');
        expect(job.position).not.toBeNull();
      }
      // A technician's figures are the sum of their route.
      const busy = day.technicians.find((t: { id: string }) => t.id === booked[0].technicianId);
      const own = day.jobs.filter((j: { technicianId: string }) => j.technicianId === busy.id);
      expect(busy.workMinutes).toBe(
        own.reduce((s: number, j: { durationMinutes: number }) => s + j.durationMinutes, 0),
      );
      expect(busy.travelKm).toBeGreaterThan(
        own.reduce((s: number, j: { travelKm: number }) => s + j.travelKm, 0),
      );
      expect(busy.workingHours.start).toBeGreaterThan(day.dayStart);
      expect(day.figures.assigned).toBe(day.jobs.length);
      expect(day.figures.travelKm).toBeGreaterThan(0);
      expect(day.unassigned.map((j: { title: string }) => j.title)).toContain('Waiting job');
      expect(day.figures.unassigned).toBe(day.unassigned.length);
      // A customer's report waits for a planner; an AMC visit's ticket waits for the evening route fill.
      for (const job of day.unassigned) expect(job.waitsForRouteFill).toBe(job.kind === 'amc_visit');
      // The notice new work is booked with, so the board can say why nothing new starts sooner.
      expect(day.bookingNotice).toEqual({ preventiveMinutes: 240, correctiveMinutes: 60 });
    });

    it('answers 400 naming the date when it is not one', async () => {
      for (const bad of ['2026-13-01', 'tomorrow', '']) {
        const res = await service.api(`/api/dispatch/day?date=${bad}`, { token: planner });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^querystring\.date: /);
      }
      const missing = await service.api('/api/dispatch/day', { token: planner });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/querystring\.date/);
    });

    it('is for the office: customers and technicians get 403', async () => {
      const customer = await service.tokenFor('customer', world.customerId);
      const technician = await service.tokenFor('technician', world.technicianId);
      for (const token of [customer, technician]) {
        expect((await service.api(`/api/dispatch/day?date=${date}`, { token })).status).toBe(403);
        expect(
          (
            await service.api('/api/dispatch/preview', {
              method: 'POST',
              token,
              body: { date, ticketId: board.jobs[0].ticketId, technicianId: world.technicianId },
            })
          ).status,
        ).toBe(403);
      }
    });
  });

  describe('GET /api/technicians/:id/work', () => {
    it("gives a technician its own day's jobs and hides another's as not found", async () => {
      const tech = board.jobs[0].technicianId;
      const own = await service.tokenFor('technician', tech);
      const res = await service.api(`/api/technicians/${tech}/work?date=${date}`, { token: own });
      expect(res.status).toBe(200);
      expect(res.body.technician.id).toBe(tech);
      expect(res.body.jobs.map((j: { ticketId: string }) => j.ticketId)).toEqual(
        board.jobs
          .filter((j: { technicianId: string }) => j.technicianId === tech)
          .map((j: { ticketId: string }) => j.ticketId),
      );
      const other = board.technicians.find((t: { id: string }) => t.id !== tech).id;
      expect((await service.api(`/api/technicians/${other}/work?date=${date}`, { token: own })).status).toBe(
        404,
      );
      expect(
        (await service.api(`/api/technicians/nobody/work?date=${date}`, { token: planner })).status,
      ).toBe(404);
    });
  });

  describe('POST /api/dispatch/preview', () => {
    it("shows what moving a job does to both technicians' days, and the assignment it gives applies", async () => {
      const job = board.jobs.find((j: { title: string }) => j.title === 'Job 1');
      const free = board.technicians.find(
        (t: { id: string; available: boolean }) =>
          t.available && !board.jobs.some((j: { technicianId: string }) => j.technicianId === t.id),
      );
      const res = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: job.ticketId, technicianId: free.id, start: indiaTime(date, '12:00') },
      });
      expect(res.status).toBe(200);
      const preview = res.body;
      expect(preview.feasible).toBe(true);
      expect(preview.problems).toEqual([]);
      expect(preview.appointment.start).toBeGreaterThanOrEqual(indiaTime(date, '12:00'));
      expect(preview.appointment.end - preview.appointment.start).toBe(90 * 60_000);
      expect(preview.before.assigned).toBe(preview.after.assigned);
      expect(preview.before.travelKm).not.toBe(preview.after.travelKm);
      const [from, to] = [job.technicianId, free.id].map((id) =>
        preview.technicians.find((t: { technicianId: string }) => t.technicianId === id),
      );
      expect(from.after.jobs).toBe(from.before.jobs - 1);
      expect(from.after.workMinutes).toBe(from.before.workMinutes - 90);
      expect(to).toMatchObject({
        before: { jobs: 0, workMinutes: 0, travelKm: 0 },
        after: { jobs: 1, workMinutes: 90 },
      });
      expect(to.after.travelKm).toBeGreaterThan(0);

      // Nothing changed yet; the assignment the preview proposes is what PUT /assignment takes.
      expect((await service.api(`/api/tickets/${job.ticketId}`)).body.technicianId).toBe(job.technicianId);
      const applied = await service.api(`/api/tickets/${job.ticketId}/assignment`, {
        method: 'PUT',
        token: planner,
        body: { technicianId: free.id, appointment: preview.appointment, version: preview.version },
      });
      expect(applied.status).toBe(200);
      const after = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      expect(after.jobs.find((j: { ticketId: string }) => j.ticketId === job.ticketId).technicianId).toBe(
        free.id,
      );
      expect(after.figures.travelKm).toBeCloseTo(preview.after.travelKm, 0);
    });

    it('places a waiting job in the first free slot and counts it off the waiting list', async () => {
      const waiting = board.unassigned.find((j: { title: string }) => j.title === 'Waiting job');
      const tech = board.technicians.find((t: { available: boolean }) => t.available);
      const res = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: waiting.ticketId, technicianId: tech.id },
      });
      expect(res.status).toBe(200);
      expect(res.body.after.unassigned).toBe(res.body.before.unassigned - 1);
      expect(res.body.after.assigned).toBe(res.body.before.assigned + 1);
      expect(res.body.feasible).toBe(true);
      expect(res.body.appointment.start).toBeGreaterThanOrEqual(tech.workingHours.start);
      // The suggested start falls on the local quarter hour, as the planners' own appointments do.
      const localMinute = new Date(res.body.appointment.start + 330 * 60_000).getUTCMinutes();
      expect(localMinute % 15).toBe(0);
    });

    it('names what breaks: a slot outside the working hours, work over the capacity', async () => {
      const job = board.jobs.find((j: { title: string }) => j.title === 'Job 3');
      const other = board.jobs.find((j: { title: string }) => j.title === 'Job 5').technicianId;
      const res = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: job.ticketId, technicianId: other, start: indiaTime(date, '22:30') },
      });
      expect(res.status).toBe(200);
      expect(res.body.feasible).toBe(false);
      expect(res.body.problems.join(' ')).toMatch(/after .*working hours/);
    });

    it('answers 400 naming the field, 404 for a ticket or technician that is not there', async () => {
      const job = board.jobs[0];
      const cases: [unknown, RegExp][] = [
        [{ date, ticketId: job.ticketId }, /^body\.technicianId: /],
        [{ date: '26-11-2026', ticketId: job.ticketId, technicianId: 'tech-01' }, /^body\.date: /],
        [{ date, ticketId: job.ticketId, technicianId: 'tech-01', start: -5 }, /^body\.start: /],
        [{ date, ticketId: job.ticketId, technicianId: 'tech-01', extra: 1 }, /^body: /],
        [
          { date, ticketId: job.ticketId, technicianId: 'tech-01', start: planningNow - 30 * 86_400_000 },
          /^body\.start: must fall on/,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await service.api('/api/dispatch/preview', { method: 'POST', token: planner, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.message).toMatch(message);
      }
      const noTicket = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: 'no-such-ticket', technicianId: 'tech-01' },
      });
      expect(noTicket.status).toBe(404);
      const noTech = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: job.ticketId, technicianId: 'tech-99' },
      });
      expect(noTech.status).toBe(404);
      expect(noTech.body.message).toMatch(/technician tech-99/);
    });
  });

  describe('POST /api/dispatch/replan', () => {
    it("proposes who takes an absent technician's jobs, and writes it when asked", async () => {
      const day = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const out = day.jobs.find((j: { title: string }) => j.title === 'Job 5').technicianId;
      const theirs = day.jobs
        .filter((j: { technicianId: string }) => j.technicianId === out)
        .map((j: { ticketId: string }) => j.ticketId);
      const proposal = await service.api('/api/dispatch/replan', {
        method: 'POST',
        token: planner,
        body: { date, technicianId: out },
      });
      expect(proposal.status).toBe(200);
      expect(proposal.body.applied).toBe(false);
      const handled = [...proposal.body.moved, ...proposal.body.unplaced].map(
        (m: { ticketId: string }) => m.ticketId,
      );
      expect(handled.sort()).toEqual([...theirs].sort());
      for (const m of proposal.body.moved) {
        expect(m.from).toBe(out);
        expect(m.to).not.toBe(out);
        // Each move says whether the job still meets its SLA at its new time.
        const ticket = (await service.api(`/api/tickets/${m.ticketId}`)).body;
        expect(m.slaMet).toBe(m.appointment.start <= ticket.slaDueAt);
      }
      expect(proposal.body.moved.length).toBeGreaterThan(0);
      // Only a proposal: the tickets still name the absent technician.
      for (const id of theirs) expect((await service.api(`/api/tickets/${id}`)).body.technicianId).toBe(out);

      const applied = await service.api('/api/dispatch/replan', {
        method: 'POST',
        token: planner,
        body: { date, technicianId: out, apply: true },
      });
      expect(applied.status).toBe(200);
      expect(applied.body.applied).toBe(true);
      for (const m of applied.body.moved) {
        const ticket = (await service.api(`/api/tickets/${m.ticketId}`)).body;
        expect(ticket.technicianId).toBe(m.to);
        expect(ticket.appointment).toEqual(m.appointment);
        expect(ticket.audit.at(-1).reason).toMatch(/^re-planned: .* is unavailable from \d\d:\d\d$/);
      }
    });

    it('keeps a job the technician began or finished, even for an absence entered after the fact', async () => {
      const day = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      // Job 4 (booked 14:00) begun early, at 10:00, when Job 3 was booked: Job 3 was never begun.
      const job = day.jobs.find((j: { title: string }) => j.title === 'Job 4');
      const earlier = day.jobs.find((j: { title: string }) => j.title === 'Job 3');
      const tech = job.technicianId;
      expect(earlier.technicianId).toBe(tech);
      const rest = day.jobs
        .filter((j: { technicianId: string; ticketId: string }) => j.technicianId === tech && j !== job)
        .map((j: { ticketId: string }) => j.ticketId);
      expect(rest).toContain(earlier.ticketId);
      await service.api(`/api/tickets/${job.ticketId}/transitions`, {
        method: 'POST',
        body: { to: 'dispatched' },
      });
      const started = await service.at(earlier.appointment.start, () =>
        service.api(`/api/tickets/${job.ticketId}/transitions`, { method: 'POST', body: { to: 'on_site' } }),
      );
      expect(started.status).toBe(200);
      // Absent from 06:00, entered later: the job begun at 10:00 stays theirs, and the rest, Job 3
      // before it among them, go to others.
      const proposal = await service.api('/api/dispatch/replan', {
        method: 'POST',
        token: planner,
        body: { date, technicianId: tech, at: indiaTime(date, '06:00') },
      });
      expect(proposal.status).toBe(200);
      const handled = [...proposal.body.moved, ...proposal.body.unplaced].map(
        (m: { ticketId: string }) => m.ticketId,
      );
      expect(handled).not.toContain(job.ticketId);
      expect(handled.sort()).toEqual([...rest].sort());
    });

    it('answers 400 naming the field and 404 for a technician that is not there', async () => {
      const bad = await service.api('/api/dispatch/replan', {
        method: 'POST',
        token: planner,
        body: { date, technicianId: 'tech-01', apply: 'yes' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^body\.apply: /);
      const missing = await service.api('/api/dispatch/replan', {
        method: 'POST',
        token: planner,
        body: { date, technicianId: 'tech-99' },
      });
      expect(missing.status).toBe(404);
    });
  });

  describe("the day's finished work", () => {
    it('stays on the board with its driving, drawn when it was made, and can no longer be moved', async () => {
      const before = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const job = before.jobs.find((j: { title: string }) => j.title === 'Job 2');
      const techOf = (day: typeof before) =>
        day.technicians.find((t: { id: string }) => t.id === job.technicianId);
      const move = (to: string, at: number, reason?: string) =>
        service.at(at, () =>
          service.api(`/api/tickets/${job.ticketId}/transitions`, {
            method: 'POST',
            body: reason ? { to, reason } : { to },
          }),
        );
      // Begun 20 minutes after the slot's start, and done in 50 minutes.
      const begun = job.appointment.start + 20 * 60_000;
      expect((await move('dispatched', job.appointment.start - hour)).status).toBe(200);
      expect((await move('on_site', begun)).status).toBe(200);
      expect((await move('resolved', begun + 50 * 60_000, 'Cleaned the filters')).status).toBe(200);

      const after = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const done = after.jobs.find((j: { ticketId: string }) => j.ticketId === job.ticketId);
      expect(done).toMatchObject({
        status: 'resolved',
        technicianId: job.technicianId,
        appointment: job.appointment,
        startAt: begun,
        endAt: begun + 50 * 60_000,
        durationMinutes: 50,
      });
      // The same drive, and the technician's day counts the minutes worked instead of those booked.
      expect(done.travelKm).toBe(job.travelKm);
      expect(techOf(after).travelKm).toBe(techOf(before).travelKm);
      expect(techOf(after).workMinutes).toBe(techOf(before).workMinutes - job.durationMinutes + 50);
      expect(after.figures).toEqual({
        ...before.figures,
        workMinutes: before.figures.workMinutes - job.durationMinutes + 50,
      });

      const preview = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: job.ticketId, technicianId: job.technicianId },
      });
      expect(preview.status).toBe(409);
      expect(preview.body.message).toMatch(/is resolved: it can no longer be moved/);

      // The fix is flagged and the ticket reopened: it gives up its technician to be booked again,
      // and the visit made stays on its day, with the technician who made it.
      const flagged = await move('flagged_for_review', begun + 2 * hour, 'Still not cooling');
      expect(flagged.status).toBe(200);
      const reopened = await move('open', begun + 3 * hour, 'Send someone again');
      expect(reopened.body).toMatchObject({ status: 'open', technicianId: null, appointment: null });
      const later = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      expect(later.jobs.find((j: { ticketId: string }) => j.ticketId === job.ticketId)).toMatchObject({
        status: 'open',
        technicianId: job.technicianId,
        startAt: begun,
        endAt: begun + 50 * 60_000,
      });
      expect(techOf(later).travelKm).toBe(techOf(after).travelKm);
      // The ticket itself waits again, and may be placed like any waiting job.
      expect(later.unassigned.map((j: { ticketId: string }) => j.ticketId)).toContain(job.ticketId);
      const again = await service.api('/api/dispatch/preview', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: job.ticketId, technicianId: job.technicianId },
      });
      expect(again.status, again.text).toBe(200);
      // The visit made stays in the day the preview starts from, and in the day after the move.
      expect(again.body.before.workMinutes).toBe(later.figures.workMinutes);
      expect(again.body.after.assigned).toBe(again.body.before.assigned + 1);
      expect(again.body.after.workMinutes).toBeGreaterThan(again.body.before.workMinutes);

      // Booked again on the same day: the board has the visit made and the visit to come, each its own.
      const rebooked = await service.api(`/api/tickets/${job.ticketId}/assignment`, {
        method: 'PUT',
        body: {
          technicianId: job.technicianId,
          appointment: again.body.appointment,
          version: again.body.version,
          reason: 'Back after the flag',
        },
      });
      expect(rebooked.status, rebooked.text).toBe(200);
      const both = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body.jobs.filter(
        (j: { ticketId: string }) => j.ticketId === job.ticketId,
      );
      expect(both.map((j: { key: string; made: unknown }) => [j.key, j.made]).sort()).toEqual([
        [job.ticketId, null],
        [`${job.ticketId}@${begun}`, { start: begun, end: begun + 50 * 60_000 }],
      ]);
    });
  });

  describe("the day's finished work, begun hours before its slot", () => {
    it('is drawn when it was made, before the working day, not at the slot the customer was told', async () => {
      const day = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const job = day.jobs.find((j: { title: string }) => j.title === 'Job 6');
      expect(job.status).toBe('scheduled');
      const tech = day.technicians.find((t: { id: string }) => t.id === job.technicianId);
      const move = (to: string, at: number, reason?: string) =>
        service.at(at, () =>
          service.api(`/api/tickets/${job.ticketId}/transitions`, {
            method: 'POST',
            body: reason ? { to, reason } : { to },
          }),
        );
      // Booked in the afternoon, "done" at 05:40 in 15 minutes: the technician's hours start later.
      const begun = indiaTime(date, '05:40');
      expect(begun).toBeLessThan(tech.workingHours.start);
      expect((await move('dispatched', begun - hour)).status).toBe(200);
      expect((await move('on_site', begun)).status).toBe(200);
      expect((await move('resolved', begun + 15 * 60_000, 'Reset the unit')).status).toBe(200);
      const after = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      expect(after.jobs.find((j: { ticketId: string }) => j.ticketId === job.ticketId)).toMatchObject({
        appointment: job.appointment,
        startAt: begun,
        endAt: begun + 15 * 60_000,
        durationMinutes: 15,
      });
      // History is not a problem of the day: no warning names the visit, nor the jobs after it.
      const warnings = after.technicians.find((t: { id: string }) => t.id === tech.id).warnings;
      expect(warnings).toEqual(tech.warnings);
    });
  });

  describe('POST /api/dispatch/running-late', () => {
    /** An available technician with nothing booked on the day yet. */
    const freeTechnician = async (): Promise<{ id: string }> => {
      const day = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      return day.technicians.find(
        (t: { id: string; available: boolean }) =>
          t.available && !day.jobs.some((j: { technicianId: string }) => j.technicianId === t.id),
      );
    };
    /** A reported problem of fleet device `device`, booked for `technicianId` from `from` to `to`. */
    const bookFor = async (technicianId: string, device: number, title: string, from: string, to: string) => {
      const ticket = await service.api('/api/tickets', {
        method: 'POST',
        body: { kind: 'corrective', deviceId: world.fleet[device]!.id, title, description: 'Not cooling' },
      });
      const assigned = await service.api(`/api/tickets/${ticket.body.id}/assignment`, {
        method: 'PUT',
        body: { technicianId, appointment: { start: indiaTime(date, from), end: indiaTime(date, to) } },
      });
      expect(assigned.status).toBe(200);
      return ticket.body.id as string;
    };

    it('hands over what no longer fits after a job that runs late, and writes it when asked', async () => {
      const free = await freeTechnician();
      const book = (title: string, from: string, to: string) => bookFor(free.id, 50, title, from, to);
      const late = await book('Runs late', '10:00', '11:00');
      const next = await book('Next stop', '11:30', '12:30');
      await service.api(`/api/tickets/${late}/transitions`, { method: 'POST', body: { to: 'dispatched' } });
      await service.at(indiaTime(date, '10:00'), () =>
        service.api(`/api/tickets/${late}/transitions`, { method: 'POST', body: { to: 'on_site' } }),
      );
      // At 10:30 the technician says the repair takes until 15:00: the 11:30 visit cannot wait that long.
      // As the admin: a planner's session of the seeding day would have run out by then.
      const ask = (body: Record<string, unknown>) =>
        service.at(indiaTime(date, '10:30'), () =>
          service.api('/api/dispatch/running-late', { method: 'POST', body }),
        );
      // Until 12:00 only: the 11:30 visit still fits after it, later, and the customer is to be told.
      const slip = await ask({ date, ticketId: late, expectedEndAt: indiaTime(date, '12:00') });
      expect(slip.status, slip.text).toBe(200);
      expect(slip.body.moved).toEqual([]);
      expect(slip.body.shifted).toEqual([expect.objectContaining({ ticketId: next, technicianId: free.id })]);
      expect(slip.body.shifted[0].appointment.start).toBeGreaterThanOrEqual(indiaTime(date, '12:00'));
      const proposal = await ask({ date, ticketId: late, expectedEndAt: indiaTime(date, '15:00') });
      expect(proposal.status, proposal.text).toBe(200);
      const handled = [...proposal.body.moved, ...proposal.body.unplaced].map(
        (m: { ticketId: string }) => m.ticketId,
      );
      expect(handled).toEqual([next]);
      expect((await service.api(`/api/tickets/${next}`)).body.technicianId).toBe(free.id);

      const applied = await ask({
        date,
        ticketId: late,
        expectedEndAt: indiaTime(date, '15:00'),
        apply: true,
      });
      expect(applied.status).toBe(200);
      const move = applied.body.moved.find((m: { ticketId: string }) => m.ticketId === next);
      expect(move.to).not.toBe(free.id);
      const ticket = (await service.api(`/api/tickets/${next}`)).body;
      expect(ticket.technicianId).toBe(move.to);
      expect(ticket.audit.at(-1).reason).toMatch(/^re-planned: .*'s "Runs late" runs late, until 15:00$/);
      // The late visit itself now ends at 15:00, from the slot booked for it, and the audit says so.
      const lateTicket = (await service.api(`/api/tickets/${late}`)).body;
      expect(lateTicket.technicianId).toBe(free.id);
      expect(lateTicket.status).toBe('on_site');
      expect(lateTicket.appointment).toEqual({
        start: indiaTime(date, '10:00'),
        end: indiaTime(date, '15:00'),
      });
      expect(applied.body.extended).toEqual({ ticketId: late, appointment: lateTicket.appointment });
      expect(lateTicket.audit.at(-1)).toMatchObject({
        action: 'visit_extended',
        fromStatus: 'on_site',
        toStatus: 'on_site',
        data: { appointment: lateTicket.appointment, previousEnd: indiaTime(date, '11:00') },
      });
      // The board holds the technician on that job until 15:00: five hours of work, not one.
      const board = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const onBoard = board.jobs.find((j: { ticketId: string }) => j.ticketId === late);
      expect(onBoard.durationMinutes).toBe(300);
      // Running late again is judged from the new end: 14:00 is no longer late.
      const earlier = await ask({ date, ticketId: late, expectedEndAt: indiaTime(date, '14:00') });
      expect(earlier.status).toBe(400);
      expect(earlier.body.message).toMatch(/^body\.expectedEndAt: must be after the booked end \(15:00\)/);
    });

    it('refuses to apply once the job is finished, and leaves its visit as booked', async () => {
      const free = await freeTechnician();
      const id = await bookFor(free.id, 51, 'Done first', '16:00', '17:00');
      const slot = { start: indiaTime(date, '16:00'), end: indiaTime(date, '17:00') };
      await service.api(`/api/tickets/${id}/transitions`, { method: 'POST', body: { to: 'dispatched' } });
      await service.at(slot.start, () =>
        service.api(`/api/tickets/${id}/transitions`, { method: 'POST', body: { to: 'on_site' } }),
      );
      // The planner's proposal is read while the job is under way; the technician resolves it before
      // the planner applies it. (The repository's own refusal, for a job finished between the read and
      // the write, is extendVisit's test.)
      const ask = (apply: boolean) =>
        service.at(slot.start + 30 * 60_000, () =>
          service.api('/api/dispatch/running-late', {
            method: 'POST',
            body: { date, ticketId: id, expectedEndAt: indiaTime(date, '18:00'), apply },
          }),
        );
      const proposal = await ask(false);
      expect(proposal.status, proposal.text).toBe(200);
      expect(proposal.body.extended.appointment.end).toBe(indiaTime(date, '18:00'));
      expect((await service.api(`/api/tickets/${id}`)).body.appointment).toEqual(slot);
      await service.at(slot.start + 40 * 60_000, () =>
        service.api(`/api/tickets/${id}/transitions`, {
          method: 'POST',
          body: { to: 'resolved', reason: 'Tightened the fan' },
        }),
      );
      const applied = await ask(true);
      expect(applied.status).toBe(409);
      const after = (await service.api(`/api/tickets/${id}`)).body;
      expect(after.appointment).toEqual(slot);
      expect(after.audit.some((a: { action: string }) => a.action === 'visit_extended')).toBe(false);
    });

    it('refuses a job that is not under way, a time already past, and a bad body', async () => {
      const day = (await service.api(`/api/dispatch/day?date=${date}`, { token: planner })).body;
      const booked = day.jobs.find((j: { status: string }) => j.status === 'scheduled');
      const notStarted = await service.api('/api/dispatch/running-late', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: booked.ticketId, expectedEndAt: indiaTime(date, '15:00') },
      });
      expect(notStarted.status).toBe(409);
      expect(notStarted.body.message).toMatch(/is scheduled: only a job under way can run late/);
      const bad = await service.api('/api/dispatch/running-late', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: booked.ticketId },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^body\.expectedEndAt: /);
      const onSite = day.jobs.find((j: { status: string }) => j.status === 'on_site');
      const past = await service.api('/api/dispatch/running-late', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: onSite.ticketId, expectedEndAt: planningNow - 1000 },
      });
      expect(past.status).toBe(400);
      expect(past.body.message).toMatch(/^body\.expectedEndAt: must be after the booked end/);
      // An end sooner than booked does not run late either.
      const sooner = await service.api('/api/dispatch/running-late', {
        method: 'POST',
        token: planner,
        body: { date, ticketId: onSite.ticketId, expectedEndAt: onSite.appointment.end - 10 * 60_000 },
      });
      expect(sooner.status).toBe(400);
      expect(sooner.body.message).toMatch(/an earlier end does not run late$/);
    });
  });
});
