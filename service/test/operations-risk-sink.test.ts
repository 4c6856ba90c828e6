import { Writable } from 'node:stream';
import { createLogger, type Risk, type ServiceEvent } from '@aftercare/core';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { eventVisibleTo } from '../src/events/event-scope.ts';
import { createAmcRouteFill } from '../src/operations/amc-route-fill.ts';
import { createRiskSink, type RiskAutomation } from '../src/operations/risk-sink.ts';
import { type Principal, systemActor } from '../src/principal.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import {
  aCustomer,
  aDevice,
  aPartner,
  aPlan,
  aRisk,
  aSite,
  aStockLocation,
  aTechnician,
  day,
  hour,
} from './support/factories.ts';

/** Wednesday 25 November 2026, 09:00 in Bengaluru (UTC+5:30): technicians work Monday to Saturday. */
const start = Date.UTC(2026, 10, 25, 3, 30);
const minute = 60_000;
const site = { lat: 12.975, lon: 77.605 };

interface World {
  db: ServiceDatabase;
  repos: ServiceRepositories;
  time: { now: number };
  logs: string[];
  sink: RiskAutomation;
  deviceId: string;
  customerId: string;
  siteId: string;
  /** Lives 0.8 km from the site; their refrigerant certification expired yesterday. */
  expiredTechnicianId: string;
  /** Lives 5 km away, certified until 2030. */
  certifiedTechnicianId: string;
  nearDepotId: string;
  farDepotId: string;
  warehouseId: string;
}

async function aWorld(options: {
  nearDepotCompressors: number;
  farDepotAt?: { lat: number; lon: number };
  /** The evening route fill runs beside the sink: work that is not urgent waits for it. */
  routeFill?: boolean;
}): Promise<World> {
  const db = await createDatabase({ file: ':memory:' });
  const time = { now: start };
  const clock = () => time.now;
  const repos = createServiceRepositories(db, { clock });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const customer = await repos.customers.create(aCustomer());
  const home = await repos.customers.createSite(customer.id, aSite(site));
  const { device } = await repos.devices.provision(
    aDevice({ customerId: customer.id, siteId: home.id, installedAt: '2024-03-01T00:00:00Z' }),
  );
  const partner = await repos.partners.createPartner(aPartner({ lat: 12.97, lon: 77.6 }));
  const expired = await repos.partners.createTechnician(
    partner.id,
    aTechnician({ home: { lat: 12.97, lon: 77.6 }, certifiedUntil: start - day }),
  );
  const certified = await repos.partners.createTechnician(
    partner.id,
    aTechnician({ home: { lat: 12.93, lon: 77.62 }, certifiedUntil: Date.UTC(2030, 0, 1) }),
  );
  const nearDepot = await repos.stock.createLocation(
    aStockLocation({
      name: 'Indiranagar depot',
      kind: 'partner_depot',
      partnerId: partner.id,
      lat: 12.972,
      lon: 77.603,
    }),
  );
  const farDepot = await repos.stock.createLocation(
    aStockLocation({
      name: 'Hebbal depot',
      kind: 'partner_depot',
      partnerId: partner.id,
      ...(options.farDepotAt ?? { lat: 13.1, lon: 77.59 }),
    }),
  );
  const warehouse = await repos.stock.createLocation(
    aStockLocation({ name: 'Central warehouse', kind: 'central_warehouse', lat: 12.8, lon: 77.4 }),
  );
  if (options.nearDepotCompressors > 0)
    await repos.stock.receive(nearDepot.id, 'AC-COMP', options.nearDepotCompressors);
  await repos.stock.receive(farDepot.id, 'AC-COMP', 2);
  await repos.stock.receive(warehouse.id, 'AC-COMP', 5);
  const sink = createRiskSink({
    repositories: repos,
    db,
    logger: createLogger({ level: 'debug', destination }),
    clock,
    routeFill: options.routeFill ?? false,
  });
  return {
    db,
    repos,
    time,
    logs,
    sink,
    deviceId: device.id,
    customerId: customer.id,
    siteId: home.id,
    expiredTechnicianId: expired.id,
    certifiedTechnicianId: certified.id,
    nearDepotId: nearDepot.id,
    farDepotId: farDepot.id,
    warehouseId: warehouse.id,
  };
}

/** The device's compressor-wear risk scored now. */
const riskNow = (w: World, overrides: Partial<Risk> = {}): Risk =>
  aRisk(w.deviceId, { scoredAt: w.time.now, dataUntil: w.time.now - 5 * minute, ...overrides });

const ticketsOf = async (w: World) =>
  (await w.repos.tickets.list({ deviceId: w.deviceId, limit: 100, offset: 0 })).items;

const countRows = async (
  db: ServiceDatabase,
  table: 'stock_reservations' | 'stock_transfers' | 'ticket_audit',
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('createRiskSink: a high risk becomes a preventive ticket, a part and a technician', () => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld({ nearDepotCompressors: 1 });
  });
  afterEach(() => w.db.destroy());

  it('opens one predictive ticket with the evidence and the knowledge base steps', async () => {
    const risk = riskNow(w);
    await w.sink.acceptRisks([risk]);

    const [ticket, ...others] = await ticketsOf(w);
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({
      kind: 'predictive',
      customerId: w.customerId,
      component: 'compressor',
      failureMode: 'compressor_wear',
      requiredSkill: 'refrigeration',
      priority: 'normal',
      evidence: { pFail: 0.82, daysLeft: 9, modelVersion: 'split-ac@3', drivers: risk.drivers },
    });
    expect(ticket!.troubleshootingSteps.length).toBeGreaterThanOrEqual(3);
    expect(ticket!.troubleshootingSteps[0]).toMatch(/current/i);
  });

  it('reserves the compressor at the depot on the technician’s way to the site', async () => {
    await w.sink.acceptRisks([riskNow(w)]);
    const [ticket] = await ticketsOf(w);
    const detail = await w.repos.tickets.detail(ticket!.id);
    expect(detail.reservations).toMatchObject([
      { locationId: w.nearDepotId, sku: 'AC-COMP', quantity: 1, status: 'reserved' },
    ]);
    expect(detail.transfers).toEqual([]);
    expect((await w.repos.stock.level(w.nearDepotId, 'AC-COMP'))!.available).toBe(0);
  });

  it('gives the job to the certified technician, not the nearer one whose certification expired', async () => {
    await w.sink.acceptRisks([riskNow(w)]);
    const [ticket] = await ticketsOf(w);
    expect(ticket!.status).toBe('scheduled');
    expect(ticket!.technicianId).toBe(w.certifiedTechnicianId);
    // After the customer's 4 hours' notice, inside the certified technician's working day (09:00–18:00).
    const appointment = ticket!.appointment!;
    expect(appointment.start).toBeGreaterThanOrEqual(start + 4 * hour);
    expect(Math.round((appointment.end - appointment.start) / minute)).toBe(240);
    expect(appointment.end).toBeLessThanOrEqual(start + 9 * hour);
    expect(appointment.start).toBeLessThanOrEqual(ticket!.slaDueAt);
    const audit = (await w.repos.tickets.detail(ticket!.id)).audit.map((a) => [a.action, a.actor]);
    expect(audit).toEqual([
      ['opened', 'system:automation'],
      ['assigned', 'system:automation'],
      ['part_reserved', 'system:automation'],
    ]);
  });

  it('books a failure nobody can reach before its latest safe time at the first slot after it, and says why', async () => {
    // Saturday 17:00: the failure is due on Sunday, nobody works until Monday 09:00. The ticket sat
    // unassigned, retried hourly into the same empty window, and never said why.
    w.time.now = start + 3 * day + 8 * hour;
    await w.sink.acceptRisks([riskNow(w, { pFail: 0.9, daysLeft: 1.2 })]);
    const [ticket] = await ticketsOf(w);
    expect(ticket).toMatchObject({ status: 'scheduled', technicianId: w.certifiedTechnicianId });
    const monday = start + 5 * day;
    expect(ticket!.appointment!.start).toBeGreaterThanOrEqual(monday);
    expect(ticket!.appointment!.start).toBeLessThan(monday + 9 * hour);
    expect(ticket!.appointment!.start).toBeGreaterThan(ticket!.slaDueAt);
    const notes = (await w.repos.tickets.detail(ticket!.id)).notes.map((n) => n.text);
    expect(notes).toContain(
      'No qualified technician can come before the latest safe time (no qualified technician works then): booked at the first slot after it. Move someone by hand on the dispatch board to come sooner.',
    );
    // The next scoring run keeps the booking and writes no second note.
    w.time.now += 2 * hour;
    await w.sink.acceptRisks([riskNow(w, { pFail: 0.9, daysLeft: 1.1 })]);
    const [again] = await ticketsOf(w);
    expect(again!.appointment).toEqual(ticket!.appointment);
    expect((await w.repos.tickets.detail(ticket!.id)).notes).toHaveLength(notes.length);
  });

  it('sends the part from the nearest depot that has it when the depot near the site is empty', async () => {
    await w.db.destroy();
    w = await aWorld({ nearDepotCompressors: 0 });
    await w.sink.acceptRisks([riskNow(w)]);
    const [ticket] = await ticketsOf(w);
    const detail = await w.repos.tickets.detail(ticket!.id);
    expect(detail.reservations).toEqual([]);
    expect(detail.transfers).toMatchObject([
      { fromLocationId: w.farDepotId, toLocationId: w.nearDepotId, sku: 'AC-COMP', status: 'in_transit' },
    ]);
    // Pre-positioned: it arrives before the technician starts.
    expect(detail.transfers[0]!.etaAt).toBeLessThan(ticket!.appointment!.start);
    expect((await w.repos.stock.level(w.farDepotId, 'AC-COMP'))!.onHand).toBe(1);

    // On arrival the unit is the ticket's.
    await w.repos.transfers.markTransferArrived(detail.transfers[0]!.id);
    expect((await w.repos.tickets.detail(ticket!.id)).reservations).toMatchObject([
      { locationId: w.nearDepotId, sku: 'AC-COMP', status: 'reserved' },
    ]);
  });

  it('fits the next job around the work the technician already has that day', async () => {
    await w.sink.acceptRisks([riskNow(w)]);
    const customer = await w.repos.customers.create(aCustomer());
    const nextDoor = await w.repos.customers.createSite(customer.id, aSite({ lat: 12.978, lon: 77.607 }));
    const { device } = await w.repos.devices.provision(
      aDevice({ customerId: customer.id, siteId: nextDoor.id }),
    );
    await w.repos.stock.receive(w.nearDepotId, 'AC-COMP', 1);

    await w.sink.acceptRisks([aRisk(device.id, { scoredAt: w.time.now, dataUntil: w.time.now })]);
    const [first] = await ticketsOf(w);
    const [second] = (await w.repos.tickets.list({ deviceId: device.id, limit: 10, offset: 0 })).items;
    // Only one technician holds a valid refrigerant certification, and four hours of compressor work
    // fill the afternoon: the second compressor waits for the next morning.
    expect(second!.technicianId).toBe(w.certifiedTechnicianId);
    expect(second!.appointment!.start).toBeGreaterThanOrEqual(first!.appointment!.end);
    expect(second!.appointment!.start).toBeGreaterThanOrEqual(start + day);
    expect(second!.appointment!.start).toBeLessThan(start + 2 * day);
  });

  it('opens one ticket and reserves one part when the same risks arrive twice at once', async () => {
    const risk = riskNow(w);
    await Promise.all([w.sink.acceptRisks([risk]), w.sink.acceptRisks([risk])]);
    expect(await ticketsOf(w)).toHaveLength(1);
    expect(await countRows(w.db, 'stock_reservations')).toBe(1);
  });

  it('moves the appointment to after the part can arrive when no stock is near enough in time', async () => {
    await w.db.destroy();
    // The only compressors outside the warehouse are 47 km away: over three hours by courier.
    w = await aWorld({ nearDepotCompressors: 0, farDepotAt: { lat: 13.4, lon: 77.6 } });
    await w.sink.acceptRisks([riskNow(w)]);
    const [ticket] = await ticketsOf(w);
    const detail = await w.repos.tickets.detail(ticket!.id);
    expect(detail.transfers).toMatchObject([{ fromLocationId: w.farDepotId, toLocationId: w.nearDepotId }]);
    const eta = detail.transfers[0]!.etaAt;
    expect(eta).toBeGreaterThan(start + 3 * hour);
    // The first slot (13:00) was before the part could be there; the technician now comes after it,
    // with time to pick it up, and still the same day.
    expect(ticket!.appointment!.start).toBeGreaterThanOrEqual(eta + 30 * minute);
    expect(ticket!.appointment!.start).toBeLessThan(start + 9 * hour);
    expect(detail.audit.map((a) => a.action)).toEqual([
      'opened',
      'assigned',
      'reassigned',
      'transfer_created',
    ]);
  });

  it('finds, later in the same batch, the work an earlier risk of that batch opened', async () => {
    const first = riskNow(w);
    const handled = await w.sink.handleRisks([first, { ...first, scoredAt: first.scoredAt + minute }]);
    expect(handled.map((r) => [r.action, r.outcome])).toEqual([
      ['open', 'opened'],
      ['keep', 'left_open'],
    ]);
    expect(await ticketsOf(w)).toHaveLength(1);
  });

  it('changes nothing when the same batch of risks comes again', async () => {
    const batch = [
      riskNow(w),
      riskNow(w, { component: 'refrigerant_circuit', failureMode: 'refrigerant_leak', pFail: 0.2 }),
    ];
    await w.sink.acceptRisks(batch);
    const tickets = await ticketsOf(w);
    const before = {
      tickets: tickets.map((t) => [t.id, t.version]),
      reservations: await countRows(w.db, 'stock_reservations'),
      transfers: await countRows(w.db, 'stock_transfers'),
      audit: await countRows(w.db, 'ticket_audit'),
    };
    expect(before.tickets).toHaveLength(1);
    expect(before.reservations).toBe(1);

    w.time.now += 10 * minute;
    const again = await w.sink.handleRisks(batch);
    expect(again.map((r) => [r.action, r.outcome])).toEqual([
      ['keep', 'left_open'],
      ['none', undefined],
    ]);
    expect({
      tickets: (await ticketsOf(w)).map((t) => [t.id, t.version]),
      reservations: await countRows(w.db, 'stock_reservations'),
      transfers: await countRows(w.db, 'stock_transfers'),
      audit: await countRows(w.db, 'ticket_audit'),
    }).toEqual(before);
  });
});

describe('createRiskSink beside the evening route fill: work that is not urgent waits for a day nearby', () => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld({ nearDepotCompressors: 2, routeFill: true });
  });
  afterEach(() => w.db.destroy());

  /** The route fill's run at 19:00 local (13:30 UTC) on the day `daysAfterStart` after Wednesday. */
  const fillEvening = async (daysAfterStart: number) => {
    const at = start + daysAfterStart * day + 10 * hour;
    w.time.now = at;
    return (await createAmcRouteFill({
      repositories: w.repos,
      logger: createLogger({ level: 'silent' }),
      clock: () => at,
      predictive: true,
    }).runOnce(at))!;
  };

  it('leaves a P3 repair without a technician, its part reserved all the same', async () => {
    // Failure in 9 days at 82 %: P3, due within 5 days (Monday 09:00).
    const [handled] = await w.sink.handleRisks([riskNow(w)]);
    expect(handled).toMatchObject({ action: 'open', outcome: 'opened', work: { dispatch: 'waiting' } });
    const [ticket] = await ticketsOf(w);
    expect(ticket).toMatchObject({
      priority: 'normal',
      status: 'open',
      technicianId: null,
      appointment: null,
    });
    expect((await w.repos.tickets.detail(ticket!.id)).reservations).toMatchObject([
      { locationId: w.nearDepotId, sku: 'AC-COMP', status: 'reserved' },
    ]);
    // The next score of the same risk leaves it waiting too.
    w.time.now += hour;
    const [kept] = await w.sink.handleRisks([riskNow(w)]);
    expect(kept).toMatchObject({ action: 'keep', work: { dispatch: 'waiting' } });
    expect((await w.repos.tickets.get(ticket!.id))!.technicianId).toBeNull();
  });

  it('books P2 work at once: a repair that opens as P2, and a waiting one a closer failure raises', async () => {
    const bookedAtOnce = { priority: 'high', status: 'scheduled', technicianId: w.certifiedTechnicianId };
    await w.sink.acceptRisks([riskNow(w, { daysLeft: 4 })]);
    expect((await ticketsOf(w))[0]).toMatchObject(bookedAtOnce);

    await w.db.destroy();
    w = await aWorld({ nearDepotCompressors: 2, routeFill: true });
    await w.sink.acceptRisks([riskNow(w)]);
    expect((await ticketsOf(w))[0]).toMatchObject({ status: 'open', technicianId: null });
    w.time.now += hour;
    await w.sink.acceptRisks([riskNow(w, { daysLeft: 4 })]);
    expect((await ticketsOf(w))[0]).toMatchObject({ ...bookedAtOnce, technicianId: w.certifiedTechnicianId });
  });

  it('fits the waiting repair into the day of the technician who works next door anyway', async () => {
    // Wednesday 15:00: a P2 refrigerant leak next door (2 h), booked at once for Thursday morning.
    w.time.now = start + 6 * hour;
    const customer = await w.repos.customers.create(aCustomer());
    const nextDoor = await w.repos.customers.createSite(customer.id, aSite({ lat: 12.978, lon: 77.607 }));
    const { device } = await w.repos.devices.provision(
      aDevice({ customerId: customer.id, siteId: nextDoor.id }),
    );
    const leak = { component: 'refrigerant_circuit', failureMode: 'refrigerant_leak', daysLeft: 4 };
    await w.sink.acceptRisks([aRisk(device.id, { scoredAt: w.time.now, dataUntil: w.time.now, ...leak })]);
    const [urgent] = (await w.repos.tickets.list({ deviceId: device.id, limit: 10, offset: 0 })).items;
    expect(urgent!.appointment!.start).toBeGreaterThanOrEqual(start + day);
    // The P3 repair waits; the evening's fill gives it Thursday, after the repair next door.
    await w.sink.acceptRisks([riskNow(w)]);
    const report = await fillEvening(0);
    expect(report).toMatchObject({ waiting: 1, filled: 1, predictive: 1, lastChance: 0, late: 0 });
    const [waited] = await ticketsOf(w);
    expect(waited).toMatchObject({ status: 'scheduled', technicianId: w.certifiedTechnicianId });
    expect(waited!.appointment!.start).toBeGreaterThanOrEqual(urgent!.appointment!.end);
    expect(waited!.appointment!.start).toBeLessThan(start + 2 * day);
    const detail = await w.repos.tickets.detail(waited!.id);
    expect(detail.audit.find((a) => a.action === 'assigned')).toMatchObject({
      actor: 'system:amc-route-fill',
      reason: expect.stringMatching(/added to a day already in the area/),
    });
    // Its part stays where it was reserved, on the technician's way.
    expect(detail.reservations).toMatchObject([{ locationId: w.nearDepotId, status: 'reserved' }]);
  });

  it('is left alone by a route fill that places AMC visits only', async () => {
    await w.sink.acceptRisks([riskNow(w)]);
    const at = start + 2 * day + 10 * hour;
    const amcOnly = createAmcRouteFill({ repositories: w.repos, logger: createLogger({ level: 'silent' }) });
    expect(await amcOnly.runOnce(at)).toMatchObject({ waiting: 0, lastChance: 0, predictive: 0 });
    expect((await ticketsOf(w))[0]).toMatchObject({ status: 'open', technicianId: null });
  });

  it('sends it on the last working day before its SLA when nobody passes nearby', async () => {
    await w.sink.acceptRisks([riskNow(w)]);
    // Thursday's and Friday's evenings: nobody works near the site on Friday, then Saturday is the last
    // working day before the SLA (Monday 09:00, too early for a four-hour repair from a 09:00 start).
    expect(await fillEvening(1)).toMatchObject({ waiting: 1, filled: 0, lastChance: 0 });
    expect(await fillEvening(2)).toMatchObject({ waiting: 1, lastChance: 1, predictive: 1 });
    const [ticket] = await ticketsOf(w);
    expect(ticket).toMatchObject({ status: 'scheduled', technicianId: w.certifiedTechnicianId });
    expect(ticket!.appointment!.start).toBeGreaterThanOrEqual(start + 3 * day);
    expect(ticket!.appointment!.start).toBeLessThan(start + 4 * day);
    expect(ticket!.appointment!.start).toBeLessThanOrEqual(ticket!.slaDueAt);
  });

  it('hands work nobody passed near in two days to the normal dispatch, long before its SLA', async () => {
    // 65 % in 14 days: P4, due within 10 days (Saturday 5 December), so its last working day is far off.
    await w.sink.acceptRisks([riskNow(w, { pFail: 0.65, daysLeft: 14 })]);
    const [waiting] = await ticketsOf(w);
    expect(waiting).toMatchObject({ priority: 'low', status: 'open', technicianId: null });
    expect(await fillEvening(0)).toMatchObject({ waiting: 1, filled: 0, released: 0 });
    expect(await fillEvening(1)).toMatchObject({ waiting: 1, filled: 0, released: 0 });
    // Friday, the second day after it opened: the fill found no day nearby, the dispatch books it.
    expect(await fillEvening(2)).toMatchObject({
      waiting: 1,
      filled: 0,
      lastChance: 0,
      predictive: 0,
      released: 1,
    });
    const [ticket] = await ticketsOf(w);
    expect(ticket).toMatchObject({ status: 'scheduled', technicianId: w.certifiedTechnicianId });
    expect(ticket!.appointment!.start).toBeGreaterThanOrEqual(start + 3 * day);
    expect(ticket!.appointment!.start).toBeLessThan(ticket!.slaDueAt - 3 * day);
    const detail = await w.repos.tickets.detail(ticket!.id);
    expect(detail.audit.find((a) => a.action === 'assigned')).toMatchObject({
      actor: 'system:route-fill-release',
    });
    expect(detail.reservations).toMatchObject([{ sku: 'AC-COMP', status: 'reserved' }]);
    // The next evening has nothing left to place or release.
    expect(await fillEvening(3)).toMatchObject({ waiting: 0, released: 0 });
  });
});

describe('createRiskSink: hysteresis', () => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld({ nearDepotCompressors: 1 });
  });
  afterEach(() => w.db.destroy());

  /** One scoring run every hour, each with the compressor's new probability of failure. */
  async function scores(...pFails: number[]) {
    const results = [];
    for (const pFail of pFails) {
      w.time.now += hour;
      results.push(...(await w.sink.handleRisks([riskNow(w, { pFail })])));
    }
    return results;
  }

  it('neither opens a second ticket nor cancels the first while the score flickers', async () => {
    const results = await scores(0.7, 0.3, 0.62, 0.3, 0.58, 0.32, 0.34, 0.61, 0.3, 0.3, 0.64);
    expect(results.map((r) => r.action)).toEqual(['open', ...Array.from({ length: 10 }, () => 'keep')]);
    const tickets = await ticketsOf(w);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.status).toBe('scheduled');
  });

  it('cancels after three scores in a row below p_close, gives the part back, and reopens only above p_open', async () => {
    const results = await scores(0.75, 0.2, 0.25, 0.3, 0.55, 0.5, 0.66);
    expect(results.map((r) => [r.action, r.outcome ?? null])).toEqual([
      ['open', 'opened'],
      ['keep', 'left_open'],
      ['keep', 'left_open'],
      ['cancel_candidate', 'cancelled'],
      ['none', null],
      ['none', null],
      ['open', 'opened'],
    ]);
    const [reopened, cancelled] = await ticketsOf(w);
    expect(cancelled!.status).toBe('cancelled');
    const cancelEntry = (await w.repos.tickets.detail(cancelled!.id)).audit.at(-1)!;
    expect(cancelEntry).toMatchObject({ action: 'cancelled', actor: 'system:automation' });
    expect(cancelEntry.reason).toMatch(/below the closing threshold \(35%\) for 3 scores in a row/);
    expect(reopened!.status).toBe('scheduled');
    // The cancelled ticket's compressor went back on the shelf and the new ticket holds it now.
    expect((await w.repos.tickets.detail(reopened!.id)).reservations).toMatchObject([
      { locationId: w.nearDepotId, status: 'reserved' },
    ]);
  });

  it('raises the priority and tightens the SLA when the failure comes closer', async () => {
    const [opened] = await scores(0.7);
    const before = (await w.repos.tickets.get(opened!.ticketId!))!;
    expect(before.priority).toBe('normal');
    w.time.now += hour;
    const [kept] = await w.sink.handleRisks([riskNow(w, { pFail: 0.9, daysLeft: 3 })]);
    expect(kept).toMatchObject({ action: 'keep', outcome: 'priority_raised', ticketId: before.id });
    const after = (await w.repos.tickets.get(before.id))!;
    expect(after.priority).toBe('urgent');
    expect(after.slaDueAt).toBeLessThan(before.slaDueAt);
    // Still one ticket, and its appointment still meets the tighter SLA.
    expect(await ticketsOf(w)).toHaveLength(1);
    expect(after.appointment!.start).toBeLessThanOrEqual(after.slaDueAt);
  });
});

describe('createRiskSink: AMC visits and events', () => {
  let w: World;
  beforeEach(async () => {
    w = await aWorld({ nearDepotCompressors: 1 });
  });
  afterEach(() => w.db.destroy());

  /** An AMC contract on the world's device, running since 100 days before the risks. */
  async function anAmcContract() {
    const plan = await w.repos.contracts.createPlan(aPlan());
    return w.repos.contracts.create({
      customerId: w.customerId,
      planId: plan.id,
      deviceIds: [w.deviceId],
      startsAt: start - 100 * day,
      endsAt: start + 265 * day,
    });
  }

  /** The device's AMC visit whose window opened ten days ago and runs another month: open, no day given yet. */
  async function aWaitingAmcVisit() {
    const contract = await anAmcContract();
    const [visit] = await w.repos.visits.planVisits(contract.id, [
      { deviceId: w.deviceId, dueFrom: start - 10 * day, dueTo: start + 30 * day },
    ]);
    return w.repos.visits.openVisitTicket(visit!.id);
  }

  it('folds the work into the device’s AMC visit when the visit comes before the latest safe repair', async () => {
    const contract = await anAmcContract();
    const visitWindow = { start: start + 2 * day - 9 * hour, end: start + 3 * day - 9 * hour };
    const [visit] = await w.repos.visits.planVisits(contract.id, [
      { deviceId: w.deviceId, dueFrom: visitWindow.start, dueTo: visitWindow.end },
    ]);

    const [handled] = await w.sink.handleRisks([riskNow(w)]);
    expect(handled).toMatchObject({ action: 'fold_into_amc_visit', outcome: 'folded' });

    const tickets = await ticketsOf(w);
    expect(tickets.map((t) => t.kind)).toEqual(['amc_visit']);
    const amc = tickets[0]!;
    expect(amc).toMatchObject({
      failureMode: 'compressor_wear',
      requiredSkill: 'refrigeration',
      coverage: 'amc',
    });
    expect(amc.evidence?.modelVersion).toBe('split-ac@3');
    expect((await w.repos.visits.getVisit(visit!.id))!).toMatchObject({
      status: 'scheduled',
      ticketId: amc.id,
    });
    // One trip: the certified technician comes inside the visit's window, with the part.
    expect(amc.technicianId).toBe(w.certifiedTechnicianId);
    expect(amc.appointment!.start).toBeGreaterThanOrEqual(visitWindow.start);
    expect(amc.appointment!.start).toBeLessThanOrEqual(visitWindow.end);
    expect((await w.repos.tickets.detail(amc.id)).reservations).toHaveLength(1);

    // The same risk again finds the folded work and keeps it.
    w.time.now += 10 * minute;
    const [again] = await w.sink.handleRisks([riskNow(w)]);
    expect(again).toMatchObject({ action: 'keep', ticketId: amc.id });
    expect(await ticketsOf(w)).toHaveLength(1);
  });

  it('folds the work into an AMC visit whose ticket waits for the route fill, and sends it at the repair’s time', async () => {
    const waiting = await aWaitingAmcVisit();
    expect(waiting).toMatchObject({ status: 'open', technicianId: null });

    const [handled] = await w.sink.handleRisks([riskNow(w)]);
    expect(handled).toMatchObject({ action: 'fold_into_amc_visit', outcome: 'folded', ticketId: waiting.id });
    const amc = (await w.repos.tickets.get(waiting.id))!;
    expect(amc).toMatchObject({ failureMode: 'compressor_wear', technicianId: w.certifiedTechnicianId });
    // Everyone reading it sees both jobs, and the technician gets both lists: the maintenance isn't dropped.
    expect(amc.title).toBe('AMC maintenance visit + Compressor wear');
    expect(waiting.troubleshootingSteps.length).toBeGreaterThan(0);
    expect(amc.troubleshootingSteps.slice(0, waiting.troubleshootingSteps.length)).toEqual(
      waiting.troubleshootingSteps,
    );
    const repairSteps = amc.troubleshootingSteps.slice(waiting.troubleshootingSteps.length);
    expect(repairSteps.length).toBeGreaterThan(0);
    for (const step of repairSteps) expect(step).toMatch(/^Compressor wear: /);
    // Made with the repair, before its latest safe time, not at the end of the contract window.
    expect(amc.appointment!.start).toBeLessThanOrEqual(amc.slaDueAt);
    expect(amc.slaDueAt).toBeLessThan(start + 30 * day);
    expect((await w.repos.tickets.detail(amc.id)).reservations).toHaveLength(1);
    expect(await ticketsOf(w)).toHaveLength(1);
  });

  it('books the site’s other waiting AMC visits on the trip the folded repair sets, beside it', async () => {
    // Scored at 05:00: the repair's visit (almost five hours with the maintenance) is booked from 09:00,
    // leaving the afternoon for the site's other device.
    w.time.now = start - 4 * hour;
    const { device: second } = await w.repos.devices.provision(
      aDevice({ customerId: w.customerId, siteId: w.siteId, installedAt: '2024-03-01T00:00:00Z' }),
    );
    const plan = await w.repos.contracts.createPlan(aPlan());
    const contract = await w.repos.contracts.create({
      customerId: w.customerId,
      planId: plan.id,
      deviceIds: [w.deviceId, second.id],
      startsAt: start - 100 * day,
      endsAt: start + 265 * day,
    });
    const visits = await w.repos.visits.planVisits(
      contract.id,
      [w.deviceId, second.id].map((deviceId) => ({
        deviceId,
        dueFrom: start - 10 * day,
        dueTo: start + 30 * day,
      })),
    );
    const [, companion] = await Promise.all(visits.map((v) => w.repos.visits.openVisitTicket(v.id)));
    expect(companion!.technicianId).toBeNull();

    await w.sink.handleRisks([riskNow(w)]);
    const [folded] = (await ticketsOf(w)).filter((t) => t.deviceId === w.deviceId);
    const along = (await w.repos.tickets.get(companion!.id))!;
    // One trip: the same technician, the same day, one visit straight after the other.
    expect(along).toMatchObject({ status: 'scheduled', technicianId: folded!.technicianId });
    const [earlier, later] = [folded!.appointment!, along.appointment!].sort((a, b) => a.start - b.start);
    expect(later!.start).toBe(earlier!.end);
  });

  it('takes the repair back out of the AMC visit when the risk goes, and the visit stays as it was', async () => {
    const waiting = await aWaitingAmcVisit();
    await w.sink.handleRisks([riskNow(w)]);
    const folded = (await w.repos.tickets.get(waiting.id))!;
    expect(folded).toMatchObject({ failureMode: 'compressor_wear', technicianId: w.certifiedTechnicianId });

    // Three scores in a row below the closing threshold (35 %): the risk has gone.
    const results = [];
    for (const pFail of [0.2, 0.25, 0.3]) {
      w.time.now += hour;
      results.push(...(await w.sink.handleRisks([riskNow(w, { pFail })])));
    }
    expect(results.map((r) => [r.action, r.outcome ?? null])).toEqual([
      ['keep', 'left_open'],
      ['keep', 'left_open'],
      ['cancel_candidate', 'unfolded'],
    ]);
    const after = (await w.repos.tickets.get(waiting.id))!;
    expect(after).toMatchObject({
      kind: 'amc_visit',
      status: 'scheduled',
      failureMode: null,
      component: null,
      requiredSkill: waiting.requiredSkill,
      priority: waiting.priority,
      slaDueAt: waiting.slaDueAt,
      description: waiting.description,
      troubleshootingSteps: waiting.troubleshootingSteps,
      title: waiting.title,
      evidence: null,
      // The customer was told of this appointment: the maintenance visit keeps it.
      appointment: folded.appointment,
    });
    const detail = await w.repos.tickets.detail(waiting.id);
    expect(detail.reservations.map((r) => r.status)).toEqual(['released']);
    expect(detail.audit.at(-1)).toMatchObject({
      action: 'predictive_work_unfolded',
      actor: 'system:automation',
      reason: expect.stringMatching(/taken out of the AMC visit/),
    });
    // The device × component is free: a new risk opens new work.
    w.time.now += hour;
    const [next] = await w.sink.handleRisks([riskNow(w, { pFail: 0.9, daysLeft: 4 })]);
    expect(next).toMatchObject({ outcome: expect.stringMatching(/opened|folded/) });
  });

  it('takes out work folded before the visit’s former state was kept, from the visit and its checklist', async () => {
    const waiting = await aWaitingAmcVisit();
    await w.sink.handleRisks([riskNow(w)]);
    const automation = systemActor('automation');
    // As a database written before folds kept `before` has it.
    await sql`update ticket_audit set data = json_remove(data, '$.before') where action = 'predictive_work_folded'`.execute(
      w.db,
    );
    const after = await w.repos.predictive.unfoldPredictiveWork(waiting.id, 'the risk went', automation);
    expect(after).toMatchObject({
      failureMode: null,
      priority: waiting.priority,
      slaDueAt: start + 30 * day,
      description: waiting.description,
      troubleshootingSteps: waiting.troubleshootingSteps,
      title: waiting.title,
    });
    await expect(w.repos.predictive.unfoldPredictiveWork(waiting.id, 'again', automation)).rejects.toThrow(
      /carries no folded predictive work/,
    );
  });

  it('announces every risk so that the customer’s event stream shows its own device’s risk and ticket', async () => {
    const other = await w.repos.customers.create(aCustomer());
    const seen: ServiceEvent[] = [];
    w.repos.events.subscribe((event) => seen.push(event));
    const customer = (customerId: string): Principal => ({
      role: 'customer',
      customerId,
      technicianId: null,
      via: 'session',
      tokenId: null,
      userId: null,
      expiresAt: null,
    });

    const risk = riskNow(w);
    await w.sink.acceptRisks([
      risk,
      riskNow(w, { component: 'air_filter', failureMode: 'clogged_filter', pFail: 0.1 }),
    ]);

    const mine = seen.filter((e) => eventVisibleTo(customer(w.customerId), e));
    expect(mine.filter((e) => e.type === 'risk.changed')).toEqual([
      {
        type: 'risk.changed',
        deviceId: w.deviceId,
        customerId: w.customerId,
        component: 'compressor',
        failureMode: 'compressor_wear',
        pFail: 0.82,
        daysLeft: 9,
        modelVersion: 'split-ac@3',
        at: risk.scoredAt,
      },
      expect.objectContaining({ type: 'risk.changed', component: 'air_filter', pFail: 0.1 }),
    ]);
    expect(mine.some((e) => e.type === 'ticket.changed' && e.action === 'opened')).toBe(true);
    expect(seen.filter((e) => eventVisibleTo(customer(other.id), e))).toEqual([]);
  });

  it('logs a risk that fails, acts on the others, and asks for the batch again', async () => {
    const { device: broken } = await w.repos.devices.provision(aDevice({ customerId: w.customerId }));
    // A real database refusal for that one device's ticket.
    await sql
      .raw(
        `create trigger refuse_broken before insert on tickets when new.device_id = '${broken.id}' begin select raise(abort, 'disk I/O error'); end`,
      )
      .execute(w.db);

    const batch = [aRisk(broken.id, { scoredAt: w.time.now }), riskNow(w)];
    await expect(w.sink.acceptRisks(batch)).rejects.toThrow(/1 of 2 risks could not be acted on/);
    expect(await ticketsOf(w)).toHaveLength(1);
    const errors = w.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toMatchObject([
      {
        deviceId: broken.id,
        msg: 'risk could not be acted on',
        err: { message: expect.stringMatching(/disk I\/O error/) },
      },
    ]);

    // Offered again once the database takes writes: the failed one is done, the other is left as it was.
    await sql.raw('drop trigger refuse_broken').execute(w.db);
    w.time.now += 5 * minute;
    const retried = await w.sink.handleRisks(batch);
    expect(retried.map((r) => r.outcome)).toEqual(['opened', 'left_open']);
  });
});
