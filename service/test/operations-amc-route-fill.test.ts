import { createLogger, type Ticket } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { type AmcRouteFillReport, createAmcRouteFill } from '../src/operations/amc-route-fill.ts';
import type { Actor } from '../src/principal.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import { aCustomer, aDevice, aPartner, aPlan, aSite, aTechnician, day, hour } from './support/factories.ts';

/** Wednesday 25 November 2026, 19:00 in Bengaluru (UTC+5:30): the evening the route fill runs. */
const now = Date.UTC(2026, 10, 25, 13, 30);
/** Local midnight of Thursday 26 November, the day being filled. */
const thursday = Date.UTC(2026, 10, 25, 18, 30);
const planner: Actor = { id: 'system:test', role: 'system', customerId: null, technicianId: null };
const logger = createLogger({ level: 'silent' });

/** The partner's technician lives 15 km north of the centre where its customers are. */
const centre = { lat: 12.97, lon: 77.6 };
const technicianHome = { lat: 13.105, lon: 77.6 };
/** A site 1 km from tomorrow's booked repair, and one 17 km south-east of everything. */
const nearSite = { lat: 12.975, lon: 77.605 };
const repairSite = { lat: 12.982, lon: 77.61 };
const farSite = { lat: 12.85, lon: 77.7 };

describe('the AMC route fill', () => {
  let db: ServiceDatabase;
  let repos: ServiceRepositories;
  let technicianId: string;
  let customerId: string;
  let planId: string;

  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = createServiceRepositories(db, { clock: () => now });
    const partner = await repos.partners.createPartner(aPartner({ ...centre, coverageRadiusKm: 30 }));
    technicianId = (await repos.partners.createTechnician(partner.id, aTechnician({ home: technicianHome })))
      .id;
    customerId = (await repos.customers.create(aCustomer())).id;
    planId = (await repos.contracts.createPlan(aPlan({ visitsPerYear: 4 }))).id;
    // Thursday 11:00: a repair 1 km from the near site, already booked with the technician.
    const repairDevice = await device(repairSite);
    const repair = await repos.tickets.create(
      { kind: 'corrective', deviceId: repairDevice, description: 'no cooling', priority: 'high' },
      planner,
    );
    await repos.tickets.assign(
      repair.id,
      { technicianId, appointment: { start: thursday + 11 * hour, end: thursday + 12 * hour } },
      planner,
    );
  });
  afterEach(() => db.destroy());

  async function device(position: { lat: number; lon: number }, siteId?: string) {
    const site = siteId ?? (await repos.customers.createSite(customerId, aSite(position))).id;
    return (await repos.devices.provision(aDevice({ customerId, siteId: site }))).device.id;
  }

  /** A contract on the devices of a new site at `position`, with one visit each due in `window`, its tickets open. */
  async function visitsDue(
    position: { lat: number; lon: number },
    devices: number,
    window: { from: number; to: number },
  ) {
    const site = (await repos.customers.createSite(customerId, aSite(position))).id;
    const deviceIds = [];
    for (let i = 0; i < devices; i++) deviceIds.push(await device(position, site));
    const contract = await repos.contracts.create({
      customerId,
      planId,
      deviceIds,
      startsAt: now - 60 * day,
      endsAt: now + 300 * day,
    });
    const rows = await repos.visits.planVisits(
      contract.id,
      deviceIds.map((deviceId) => ({ deviceId, dueFrom: window.from, dueTo: window.to })),
    );
    const tickets: Ticket[] = [];
    for (const row of rows) tickets.push(await repos.visits.openVisitTicket(row.id, planner));
    return tickets;
  }

  const fill = async (): Promise<AmcRouteFillReport> =>
    (await createAmcRouteFill({ repositories: repos, logger, clock: () => now }).runOnce(now))!;
  const current = async (t: Ticket) => (await repos.tickets.get(t.id))!;

  it('fits the visits of a site next to tomorrow’s repair into that technician’s day', async () => {
    const near = await visitsDue(nearSite, 2, { from: now - 10 * day, to: now + 30 * day });
    const report = await fill();
    expect(report).toMatchObject({
      day: thursday,
      waiting: 2,
      filled: 2,
      lastChance: 0,
      late: 0,
      unassigned: 0,
    });
    for (const ticket of await Promise.all(near.map(current))) {
      expect(ticket).toMatchObject({ status: 'scheduled', technicianId });
      expect(ticket.appointment!.start).toBeGreaterThanOrEqual(thursday + 9 * hour);
      expect(ticket.appointment!.end).toBeLessThanOrEqual(thursday + 18 * hour);
    }
  });

  it('places no more visits on a day than the partner’s AMC share of it, so repairs keep the rest', async () => {
    // Three devices' visits of 32 minutes each; a share of 20 % of the technician's 420 minutes is 84.
    const near = await visitsDue(nearSite, 3, { from: now - 10 * day, to: now + 30 * day });
    const sparing = createAmcRouteFill({ repositories: repos, logger, clock: () => now, capacityShare: 0.2 });
    expect(await sparing.runOnce(now)).toMatchObject({ waiting: 3, filled: 2, lastChance: 0 });
    const tickets = await Promise.all(near.map(current));
    expect(tickets.filter((t) => t.status === 'scheduled')).toHaveLength(2);
    // The next run counts the two booked visits against the share: the third still waits.
    expect(await sparing.runOnce(now + 10 * 60_000)).toMatchObject({ waiting: 1, filled: 0 });
    // At the default share (35 %, 147 minutes) it goes too.
    expect(await fill()).toMatchObject({ waiting: 1, filled: 1 });
  });

  it('leaves a visit that would be a trip of its own waiting for a better day inside its window', async () => {
    const [far] = await visitsDue(farSite, 1, { from: now - 10 * day, to: now + 30 * day });
    const report = await fill();
    expect(report).toMatchObject({ waiting: 1, filled: 0, lastChance: 0 });
    expect(await current(far!)).toMatchObject({ status: 'open', technicianId: null, appointment: null });
  });

  it('sends a visit on the last working day of its window, however far it is', async () => {
    // The window closes Friday 09:15: nobody can drive there by then from a 09:00 start, so Thursday it is.
    const [far] = await visitsDue(farSite, 1, { from: now - 40 * day, to: thursday + day + 9.25 * hour });
    const report = await fill();
    expect(report).toMatchObject({ filled: 0, lastChance: 1 });
    const ticket = await current(far!);
    expect(ticket).toMatchObject({ status: 'scheduled', technicianId });
    expect(ticket.appointment!.start).toBeGreaterThanOrEqual(thursday);
    expect(ticket.appointment!.start).toBeLessThan(thursday + day);
    const detail = await repos.tickets.detail(far!.id);
    const assigned = detail.audit.find((e) => e.action === 'assigned')!;
    expect(assigned.reason).toMatch(/last working day of the visit's window/);
    // The window it was free to go in, for whoever measures the choice.
    expect(assigned.data).toMatchObject({
      plannedWithin: { start: far!.createdAt, end: thursday + day + 9.25 * hour },
    });
  });

  it('run in the morning (a start of the platform), fills today from the customer’s notice on', async () => {
    // Thursday 08:00: the window closes at 17:00 today, and a visit can still be made after 12:00.
    const morning = thursday + 8 * hour;
    const [closing] = await visitsDue(farSite, 1, { from: now - 40 * day, to: thursday + 17 * hour });
    const report = (await createAmcRouteFill({ repositories: repos, logger, clock: () => morning }).runOnce(
      morning,
    ))!;
    expect(report).toMatchObject({ day: thursday, lastChance: 1, late: 0 });
    const ticket = await current(closing!);
    expect(ticket.appointment!.start).toBeGreaterThanOrEqual(morning + 4 * hour);
    expect(ticket.appointment!.start).toBeLessThanOrEqual(ticket.slaDueAt);
  });

  it('still sends a visit whose window closed without a place, late', async () => {
    const [late] = await visitsDue(farSite, 1, { from: now - 40 * day, to: now - day });
    const report = await fill();
    expect(report).toMatchObject({ late: 1, unassigned: 0 });
    const ticket = await current(late!);
    expect(ticket).toMatchObject({ status: 'scheduled', technicianId });
    expect(ticket.appointment!.start).toBeGreaterThan(ticket.slaDueAt);
  });

  it('gives a visit only to the partner servicing its site, not a stranger’s technician next door', async () => {
    // Another partner, 30 km away with a 10 km reach, whose technician lives at the near site and works there tomorrow.
    const other = await repos.partners.createPartner(
      aPartner({ lat: 13.24, lon: 77.6, coverageRadiusKm: 10 }),
    );
    const stranger = (await repos.partners.createTechnician(other.id, aTechnician({ home: nearSite }))).id;
    const job = await repos.tickets.create(
      { kind: 'corrective', deviceId: await device(nearSite), description: 'noise', priority: 'high' },
      planner,
    );
    await repos.tickets.assign(
      job.id,
      { technicianId: stranger, appointment: { start: thursday + 14 * hour, end: thursday + 15 * hour } },
      planner,
    );
    const [far] = await visitsDue({ lat: 12.9, lon: 77.66 }, 1, { from: now - 10 * day, to: now + 30 * day });
    await fill();
    expect(await current(far!)).toMatchObject({ status: 'open', technicianId: null });
    const near = await visitsDue(nearSite, 1, { from: now - 10 * day, to: now + 30 * day });
    await fill();
    expect(await current(near[0]!)).toMatchObject({ status: 'scheduled', technicianId });
  });

  it('places nothing twice when it runs again the same evening', async () => {
    await visitsDue(nearSite, 2, { from: now - 10 * day, to: now + 30 * day });
    await visitsDue(farSite, 1, { from: now - 10 * day, to: now + 30 * day });
    await fill();
    const before = (await repos.tickets.list({ kind: 'amc_visit', limit: 10, offset: 0 })).items;
    const again = await fill();
    expect(again).toMatchObject({ waiting: 1, filled: 0, lastChance: 0, late: 0 });
    expect((await repos.tickets.list({ kind: 'amc_visit', limit: 10, offset: 0 })).items).toEqual(before);
  });
});
