import { createLogger, deviceModels, type Ticket } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offsetPosition } from '../src/automation/geo.ts';
import { chennaiMetro } from '../src/automation/metro-region.ts';
import { createAmcRouteFill } from '../src/operations/amc-route-fill.ts';
import { createAmcScheduler } from '../src/operations/amc-scheduler.ts';
import { type DemoFleetDevice, demoAccounts, seedDemoWorld } from '../src/operations/demo-seed.ts';
import { demoNearTermDays, ensureDemoTechnicianWork } from '../src/operations/demo-seed-technician.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

/*
 * The demo's first start, over the real database and HTTP: the demo world seeded, the AMC scheduler
 * and route fill run once at whatever time of day `pnpm start` happens to run, and the demo
 * technician's phone.
 */

const day = 86_400_000;
const minute = 60_000;
const ist = 330;
const password = 'demo password for the tests';
const logger = createLogger({ level: 'silent' });
/** Wednesday 25 November 2026, 09:00 and 18:15 in Chennai (UTC+5:30). */
const morning = Date.UTC(2026, 10, 25, 3, 30);
const evening = Date.UTC(2026, 10, 25, 12, 45);

function aFleet(count: number, now: number): DemoFleetDevice[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `sim-${String(i + 1).padStart(5, '0')}`,
    model: deviceModels[i % deviceModels.length]!,
    position: offsetPosition(
      chennaiMetro.center,
      1 + (Math.floor(i / 2) * 17) / count + (i % 2) * 0.3,
      i * 2.4,
    ),
    installedAt: now - (60 + ((i * 37) % 700)) * day,
    serial: `SN-${i + 1}`,
  }));
}

const localMinute = (ts: number) => (((ts / minute + ist) % 1440) + 1440) % 1440;
const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

describe.each([
  ['in the morning', morning],
  ['in the evening, after the working day', evening],
])('the demo’s first AMC run %s', (_when, now) => {
  let service: ServiceHarness;
  beforeEach(async () => {
    service = await startService({ clock: () => now });
    const fleet = aFleet(40, now);
    for (const d of fleet)
      await service.repos.devices.provision({
        id: d.id,
        model: d.model,
        location: d.position,
        installedAt: new Date(d.installedAt).toISOString(),
      });
    const seeded = await seedDemoWorld({
      repositories: service.repos,
      devices: fleet,
      seed: 1,
      now,
      demoPassword: password,
      logger,
    });
    expect(seeded.seeded).toBe(true);
  });
  afterEach(() => service.close());

  const amcTickets = async (): Promise<Ticket[]> =>
    (await service.repos.tickets.list({ kind: 'amc_visit', limit: 200, offset: 0 })).items;

  it('gives every AMC visit the route fill places a technician, in working hours, on a quarter hour', async () => {
    // 4 of 5 visit tickets stayed unassigned: a run late in the day booked them on a day that was over.
    const scheduler = createAmcScheduler({ repositories: service.repos, logger, clock: () => now });
    const report = (await scheduler.runOnce(now))!;
    expect(report.ticketsOpened).toBeGreaterThan(0);
    const fill = (await createAmcRouteFill({ repositories: service.repos, logger, clock: () => now }).runOnce(
      now,
    ))!;
    expect(fill.waiting).toBe(report.ticketsOpened);
    expect(fill.unassigned).toBe(0);
    const tickets = await amcTickets();
    expect(tickets.length).toBe(report.ticketsOpened);
    const placed = tickets.filter((t) => t.technicianId !== null);
    expect(placed.length).toBe(fill.filled + fill.lastChance + fill.late);
    for (const t of placed) {
      expect(t.status).toBe('scheduled');
      const technician = (await service.repos.partners.getTechnician(t.technicianId!))!;
      const start = t.appointment!.start;
      expect(start).toBeGreaterThanOrEqual(now + 4 * 60 * minute);
      expect(start % (15 * minute)).toBe(0);
      expect(localMinute(start)).toBeGreaterThanOrEqual(hhmm(technician.workingHours.start));
      expect(localMinute(t.appointment!.end)).toBeLessThanOrEqual(hhmm(technician.workingHours.end));
    }
    for (const t of tickets.filter((t) => t.technicianId === null)) expect(t.status).toBe('open');
    // Run both again: nothing moves.
    expect((await scheduler.runOnce(now))!.ticketsOpened).toBe(0);
    await createAmcRouteFill({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    expect(await amcTickets()).toEqual(tickets);
  });

  it('shows the demo technician jobs of their own after the run, and keeps them on the next start', async () => {
    // The demo login's technician had no job on a fresh demo: "No jobs assigned".
    await createAmcScheduler({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    await createAmcRouteFill({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    const first = await ensureDemoTechnicianWork({ repositories: service.repos, now, logger });
    expect(first.jobs).toBeGreaterThan(0);

    const login = await service.api('/api/auth/login', {
      method: 'POST',
      token: null,
      body: { email: demoAccounts.technician, password },
    });
    const mine = await service.api('/api/tickets?status=scheduled,dispatched,on_site', {
      token: login.body.token,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(first.jobs);
    for (const t of mine.body.items) expect(t.technicianId).toBe(first.technicianId);

    const restart = await ensureDemoTechnicianWork({
      repositories: service.repos,
      now: now + 60 * minute,
      logger,
    });
    expect(restart).toMatchObject({ technicianId: first.technicianId, relinked: false });
  });

  it('gives the demo technician the most work of anyone in the next days, booked as any visit is', async () => {
    // The demo technician had one job, two days out: nothing to accept, start or resolve that day.
    await createAmcScheduler({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    await createAmcRouteFill({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    const work = await ensureDemoTechnicianWork({ repositories: service.repos, now, logger });
    expect(work.nearTerm).toBeGreaterThanOrEqual(2);

    const horizon = now + demoNearTermDays * day;
    const active = (
      await service.repos.tickets.list({
        status: ['scheduled', 'dispatched', 'on_site'],
        limit: 500,
        offset: 0,
      })
    ).items;
    const nearTerm = (technicianId: string) =>
      active.filter((t) => t.technicianId === technicianId && t.appointment!.start < horizon);
    const theirs = nearTerm(work.technicianId!);
    expect(theirs).toHaveLength(work.nearTerm);
    for (const t of new Set(active.map((x) => x.technicianId!)))
      expect(nearTerm(t).length, t).toBeLessThanOrEqual(theirs.length);

    // Every job as the dispatch books it: after the customer's notice, inside the technician's
    // working hours on one of their days, inside the visit's window, with the skill it needs.
    const technician = (await service.repos.partners.getTechnician(work.technicianId!))!;
    for (const t of theirs) {
      const start = t.appointment!.start;
      expect(start).toBeGreaterThanOrEqual(now + 4 * 60 * minute);
      expect(localMinute(start)).toBeGreaterThanOrEqual(hhmm(technician.workingHours.start));
      expect(localMinute(t.appointment!.end)).toBeLessThanOrEqual(hhmm(technician.workingHours.end));
      const weekday = new Date(start + ist * minute).getUTCDay() || 7;
      expect(technician.workingHours.days).toContain(weekday);
      // A visit needs the general service every technician holds; a repair, its own skill.
      expect(technician.skills.map((s) => s.skill)).toContain(t.requiredSkill ?? 'general_service');
      const visit = await service.db
        .selectFrom('contract_visits')
        .select(['due_from', 'due_to'])
        .where('ticket_id', '=', t.id)
        .executeTakeFirst();
      if (visit) {
        expect(start).toBeGreaterThanOrEqual(Number(visit.due_from));
        expect(start).toBeLessThanOrEqual(Number(visit.due_to));
      }
    }

    // The phone lists them, and the next start leaves the account where the work is.
    const login = await service.api('/api/auth/login', {
      method: 'POST',
      token: null,
      body: { email: demoAccounts.technician, password },
    });
    const mine = await service.api('/api/tickets?status=scheduled,dispatched,on_site', {
      token: login.body.token,
    });
    expect(mine.body.total).toBe(work.jobs);
    const again = await ensureDemoTechnicianWork({ repositories: service.repos, now: now + minute, logger });
    expect(again).toMatchObject({ technicianId: work.technicianId, relinked: false, booked: 0 });
  });

  it('gives an AMC visit ticket its model’s service checklist and no remote fix', async () => {
    // An AMC ticket showed "No steps in the knowledge base" and offered recalibrate_sensor.
    await createAmcScheduler({ repositories: service.repos, logger, clock: () => now }).runOnce(now);
    const tickets = await amcTickets();
    expect(tickets.length).toBeGreaterThan(0);
    for (const t of tickets) {
      const detail = await service.api(`/api/tickets/${t.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.failureMode).toBeNull();
      expect(detail.body.troubleshootingSteps.length).toBeGreaterThanOrEqual(4);
      const commands = await service.api(`/api/tickets/${t.id}/commands`);
      expect(commands.status).toBe(200);
      expect(commands.body.available.map((c: { command: string }) => c.command)).toEqual(['ping']);
    }
  });
});
