import {
  arrivalAgainstSlot,
  catalog,
  createLogger,
  type DeviceModel,
  deviceModels,
  FEEDBACK_WINDOW_DAYS,
} from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offsetPosition } from '../src/automation/geo.ts';
import { chennaiMetro } from '../src/automation/metro-region.ts';
import { predictiveTicketPlan } from '../src/automation/risk-policy.ts';
import { type DemoFleetDevice, demoAccounts, seedDemoWorld } from '../src/operations/demo-seed.ts';
import { type DemoHistoryFailure, seedDemoHistory } from '../src/operations/demo-seed-history.ts';
import { ticketPriorityOfRank } from '../src/repositories/predictive-ticket-repository.ts';
import { outstandingReturns, receivedReturns } from '../src/stock/part-return-reads.ts';
import { aCustomer } from './support/factories.ts';
import { type ServiceHarness, startService } from './support/harness.ts';

const now = Date.UTC(2026, 10, 25, 3, 30);
const day = 86_400_000;
const password = 'demo password for the tests';
const logger = createLogger({ level: 'silent' });

/** A simulated fleet on the Chennai disc, as the simulator lays it out: spread, some devices close together. */
function aFleet(count: number): DemoFleetDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const model: DeviceModel = deviceModels[i % deviceModels.length]!;
    return {
      id: `sim-${model.slice(0, 2)}-${String(i + 1).padStart(5, '0')}`,
      model,
      // Pairs of neighbours 300 m apart, on a spiral out to 18 km.
      position: offsetPosition(
        chennaiMetro.center,
        1 + (Math.floor(i / 2) * 17) / count + (i % 2) * 0.3,
        i * 2.4,
      ),
      installedAt: now - (60 + ((i * 37) % 700)) * day,
      serial: `SN-${i + 1}`,
    };
  });
}

async function provision(service: ServiceHarness, fleet: readonly DemoFleetDevice[]) {
  for (const d of fleet) {
    await service.repos.devices.provision({
      id: d.id,
      model: d.model,
      location: d.position,
      installedAt: new Date(d.installedAt).toISOString(),
    });
  }
}

const seed = (service: ServiceHarness, fleet: readonly DemoFleetDevice[]) =>
  seedDemoWorld({
    repositories: service.repos,
    devices: fleet,
    seed: 7,
    now,
    demoPassword: password,
    logger,
  });

async function tableCounts(service: ServiceHarness) {
  const tables = [
    'customers',
    'sites',
    'service_partners',
    'technicians',
    'technician_skills',
    'stock_locations',
    'stock_levels',
    'amc_plans',
    'contracts',
    'contract_visits',
    'users',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await service.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const loginAs = async (service: ServiceHarness, email: string) => {
  const res = await service.api('/api/auth/login', {
    method: 'POST',
    token: null,
    body: { email, password },
  });
  expect(res.status).toBe(200);
  return res.body.token as string;
};

describe('seedDemoWorld', () => {
  let service: ServiceHarness;
  const fleet = aFleet(40);
  beforeEach(async () => {
    service = await startService({ clock: () => now });
    await provision(service, fleet);
  });
  afterEach(() => service.close());

  it('writes the customers, the service network, stock and contracts around the fleet', async () => {
    const result = await seed(service, fleet);
    expect(result).toMatchObject({ seeded: true, accounts: demoAccounts, missingDevices: [] });
    expect(result.created).toMatchObject({
      partners: 10,
      technicians: 20,
      devicesAssigned: 40,
      amcPlans: 3,
      accounts: 3,
    });
    expect(result.created.customers).toBeGreaterThan(10);
    expect(result.created.sites).toBe(result.created.customers);
    expect(result.created.contracts).toBeGreaterThan(0);
    expect(result.created.visits).toBeGreaterThan(result.created.contracts);
    expect(await tableCounts(service)).toMatchObject({
      customers: result.created.customers,
      technicians: 20,
      // A warehouse, a depot per centre and franchise, a van per technician.
      stock_locations: 1 + 7 + 20,
      contracts: result.created.contracts,
      contract_visits: result.created.visits,
      users: 3,
    });

    // Every device has an owner, a site and a warranty a year after its installation.
    const devices = await service.repos.devices.list({ limit: 100, offset: 0 });
    for (const device of devices) {
      const spec = fleet.find((d) => d.id === device.id)!;
      expect(device.customerId).not.toBeNull();
      expect(device.siteId).not.toBeNull();
      expect(device.warrantyEndsAt).toBe(spec.installedAt + 365 * day);
    }
    // Refrigerant work is certified work: the network has technicians certified for it, and one whose
    // certification expired ten days ago.
    const refrigeration = (
      await service.repos.partners.listTechnicians({ skill: 'refrigeration', limit: 50, offset: 0 })
    ).items.map((t) => t.skills.find((s) => s.skill === 'refrigeration')!.certifiedUntil!);
    expect(refrigeration.filter((until) => until > now).length).toBeGreaterThan(0);
    expect(refrigeration).toContain(now - 10 * day);
    expect((await service.repos.stock.level('loc-warehouse', 'AC-COMP'))!.onHand).toBeGreaterThan(0);
  });

  it('creates nothing the second time', async () => {
    const first = await seed(service, fleet);
    const before = await tableCounts(service);
    const second = await seed(service, fleet);
    expect(second).toMatchObject({
      seeded: false,
      customerId: first.customerId,
      technicianId: first.technicianId,
    });
    expect(Object.values(second.created).every((n) => n === 0)).toBe(true);
    expect(await tableCounts(service)).toEqual(before);
  });

  it('finishes a seed that stopped before its accounts, writing only what is missing', async () => {
    await seed(service, fleet);
    const complete = await tableCounts(service);
    await service.db.deleteFrom('users').execute();

    const resumed = await seed(service, fleet);
    expect(resumed.seeded).toBe(true);
    expect(resumed.created).toEqual({
      customers: 0,
      sites: 0,
      devicesAssigned: 0,
      partners: 0,
      technicians: 0,
      stockLocations: 0,
      stockLevels: 0,
      amcPlans: 0,
      contracts: 0,
      visits: 0,
      accounts: 3,
    });
    expect(await tableCounts(service)).toEqual(complete);
  });

  it('leaves a database that holds customers of its own alone', async () => {
    await service.repos.customers.create(aCustomer({ id: 'acme' }));
    const result = await seed(service, fleet);
    expect(result).toMatchObject({ seeded: false, reason: expect.stringMatching(/customers that are not/) });
    expect(await tableCounts(service)).toMatchObject({ customers: 1, technicians: 0, users: 0 });
  });

  it('gives the three demo accounts the demo password', async () => {
    const result = await seed(service, fleet);
    const planner = await loginAs(service, demoAccounts.planner);
    expect((await service.api('/api/customers?limit=1', { token: planner })).body.total).toBe(
      result.created.customers,
    );

    const technician = await loginAs(service, demoAccounts.technician);
    const me = await service.api('/api/tickets', { token: technician });
    expect(me.status).toBe(200);
    const record = await service.repos.partners.getTechnician(result.technicianId!);
    expect(record!.skills.find((s) => s.skill === 'refrigeration')!.certifiedUntil).toBeGreaterThan(now);

    const wrong = await service.api('/api/auth/login', {
      method: 'POST',
      token: null,
      body: { email: demoAccounts.customer, password: 'not the demo password' },
    });
    expect(wrong.status).toBe(401);
  });

  it('lets the demo customer see its own devices and no one else’s', async () => {
    const result = await seed(service, fleet);
    const token = await loginAs(service, demoAccounts.customer);
    const own = (
      await service.repos.devices.list({ customerId: result.customerId!, limit: 100, offset: 0 })
    ).map((d) => d.id);
    expect(own.length).toBeGreaterThan(1);

    const listed = await service.api('/api/devices?limit=1000', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual(own);

    const someoneElses = fleet.find((d) => !own.includes(d.id))!;
    expect((await service.api(`/api/devices/${someoneElses.id}`, { token })).status).toBe(404);
    expect((await service.api(`/api/devices/${own[0]}`, { token })).status).toBe(200);
  });
});

describe('seedDemoHistory', () => {
  let service: ServiceHarness;
  const fleet = aFleet(16);
  const from = now - 365 * day;
  const until = now - 2 * 3_600_000;
  /** A small ground truth as the simulator reports it: one caught failure and one that happened per model. */
  const failures: DemoHistoryFailure[] = fleet.slice(0, 8).map((d, i) => {
    const mode = catalog[d.model].failureModes[0]!;
    const failedAt = from + (60 + i * 35) * day;
    const caught = i < 4;
    return {
      deviceId: d.id,
      model: d.model,
      failureMode: mode.id,
      component: mode.component,
      onsetAt: failedAt - 12 * day,
      failedAt,
      outcome: caught ? 'caught' : 'failed',
      flaggedAt: caught ? failedAt - 6 * day : null,
      // 11:00 in Chennai: the simulator's visits fall in working hours.
      repairAt: (caught ? failedAt - 5 * day : failedAt + 2 * day) + 2 * 3_600_000,
    };
  });
  const history = () => seedDemoHistory({ db: service.db, failures, from, until, seed: 7, logger });

  beforeEach(async () => {
    service = await startService({ clock: () => now });
    await provision(service, fleet);
    await seed(service, fleet);
  });
  afterEach(() => service.close());

  it('walks every job through the lifecycle, each step in the audit log at its own time', async () => {
    const result = await history();
    expect(result).toMatchObject({ seeded: true, refused: 0, tickets: { predictive: 4, corrective: 4 } });
    const tickets = await service.db.selectFrom('tickets').selectAll().execute();
    expect(tickets.length).toBe(8 + result.tickets.amcVisits + result.tickets.falseAlarms);
    for (const t of tickets) {
      expect(t.status).toBe('closed');
      expect(t.created_by).toBe('system:demo-history');
      const audit = await service.db
        .selectFrom('ticket_audit')
        .selectAll()
        .where('ticket_id', '=', t.id)
        .orderBy('version')
        .execute();
      // One entry per version, in time order, from opened to closed.
      expect(audit.map((a) => a.version)).toEqual(Array.from({ length: t.version }, (_, i) => i + 1));
      expect(audit.map((a) => Number(a.at))).toEqual(
        [...audit.map((a) => Number(a.at))].sort((a, b) => a - b),
      );
      expect(audit[0]!.action).toBe('opened');
      expect(audit.some((a) => a.to_status === 'on_site')).toBe(true);
      expect(Number(t.created_at)).toBeLessThan(until);
    }
    // A caught failure was repaired before the device would have failed, with the part fitted.
    for (const f of failures.filter((x) => x.outcome === 'caught')) {
      const t = tickets.find((x) => x.device_id === f.deviceId && x.kind === 'predictive')!;
      expect(Number(t.resolved_at)).toBeLessThan(f.failedAt);
      expect(Number(t.created_at)).toBe(f.flaggedAt);
    }
    const used = await service.db.selectFrom('ticket_parts_used').selectAll().execute();
    expect(used.length).toBeGreaterThanOrEqual(6);
  });

  it('dates nothing after the history ends: a repair of its last day is still being verified', async () => {
    // Jobs of the last days were verified, closed, rated and claimed days after the history's end.
    const device = fleet[8]!;
    const mode = catalog[device.model].failureModes[0]!;
    const lastDay: DemoHistoryFailure = {
      deviceId: device.id,
      model: device.model,
      failureMode: mode.id,
      component: mode.component,
      onsetAt: until - 10 * day,
      failedAt: until - 2 * day,
      outcome: 'failed',
      flaggedAt: null,
      repairAt: until - day,
    };
    await seedDemoHistory({ db: service.db, failures: [...failures, lastDay], from, until, seed: 7, logger });
    const late = await service.db
      .selectFrom('tickets')
      .selectAll()
      .where('device_id', '=', device.id)
      .where('kind', '=', 'corrective')
      .executeTakeFirstOrThrow();
    expect(late.status).toBe('resolved');
    expect(late.closed_at).toBeNull();
    const times = [
      ...(await service.db.selectFrom('ticket_audit').select('at').execute()).map((r) => Number(r.at)),
      ...(
        await service.db.selectFrom('feedback').select(['created_at', 'complaint_resolved_at']).execute()
      ).flatMap((r) => [Number(r.created_at), Number(r.complaint_resolved_at ?? 0)]),
      ...(
        await service.db.selectFrom('warranty_claims').select(['created_at', 'decided_at']).execute()
      ).flatMap((r) => [Number(r.created_at), Number(r.decided_at ?? 0)]),
      ...(await service.db.selectFrom('part_returns').select('received_at').execute()).map((r) =>
        Number(r.received_at),
      ),
    ];
    expect(times.length).toBeGreaterThan(50);
    expect(times.filter((t) => t > until).map((t) => new Date(t).toISOString())).toEqual([]);
  });

  it('opens predictive tickets as the automation would: priority and SLA from the risk, not the contract’s breakdown response', async () => {
    await history();
    const tickets = await service.db
      .selectFrom('tickets')
      .selectAll()
      .where('kind', '=', 'predictive')
      .execute();
    expect(tickets.length).toBeGreaterThanOrEqual(4);
    for (const t of tickets) {
      const evidence = JSON.parse(t.evidence!);
      const plan = predictiveTicketPlan({
        ...evidence,
        deviceId: t.device_id,
        model: fleet.find((d) => d.id === t.device_id)!.model,
        component: 'any',
        failureMode: t.failure_mode!,
      });
      expect(Number(t.sla_due_at), t.id).toBe(plan.slaDueAt);
      expect(t.priority).toBe(ticketPriorityOfRank[plan.priority]);
    }
    // The caught failures were flagged six days ahead and repaired the next day: inside their SLA.
    for (const f of failures.filter((x) => x.outcome === 'caught')) {
      const t = tickets.find((x) => x.device_id === f.deviceId && Number(x.created_at) === f.flaggedAt)!;
      expect(f.repairAt).toBeLessThanOrEqual(Number(t.sla_due_at));
    }
  });

  it('books AMC visits in the technician’s working hours, and repairs at the simulator’s repair time', async () => {
    // History visits showed at night (04:25 local): AMC visits fell anywhere in their window.
    const result = await history();
    expect(result.tickets.amcVisits).toBeGreaterThan(0);
    const tickets = await service.db.selectFrom('tickets').selectAll().execute();
    // When the (last) visit began.
    const lastStarted = (ticketId: string) =>
      service.db
        .selectFrom('ticket_audit')
        .select('at')
        .where('ticket_id', '=', ticketId)
        .where('action', '=', 'started')
        .orderBy('at', 'desc')
        .executeTakeFirstOrThrow();
    for (const t of tickets) {
      const technician = (await service.repos.partners.getTechnician(t.technician_id!))!;
      const start = Number(t.appointment_start);
      const local = new Date(start + 330 * 60_000);
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
      const [h0, m0] = technician.workingHours.start.split(':').map(Number);
      const [h1, m1] = technician.workingHours.end.split(':').map(Number);
      expect(minute, `${t.kind} ${t.id}`).toBeGreaterThanOrEqual(h0! * 60 + m0!);
      expect(minute, `${t.kind} ${t.id}`).toBeLessThan(h1! * 60 + m1!);
      if (t.kind === 'amc_visit') {
        expect(start % (15 * 60_000)).toBe(0);
        expect(technician.workingHours.days).toContain(local.getUTCDay() === 0 ? 7 : local.getUTCDay());
      }
      // The visit began near its slot or late for it, as technicians do; never hours early.
      const onSite = await lastStarted(t.id);
      expect(arrivalAgainstSlot(Number(onSite.at), { start }), `${t.kind} ${t.id}`).not.toBe('early');
      expect(Number(onSite.at) - start).toBeLessThanOrEqual(2 * 3_600_000);
    }
    for (const f of failures) {
      const t = tickets.find(
        (x) =>
          x.device_id === f.deviceId &&
          x.kind === (f.outcome === 'caught' ? 'predictive' : 'corrective') &&
          (f.flaggedAt === null || Number(x.created_at) === f.flaggedAt),
      )!;
      const arrived = await lastStarted(t.id);
      expect(Number(arrived.at)).toBe(f.repairAt);
    }
  });

  it('has technicians begin visits near their slot rather than on its minute, most of them on time', async () => {
    await history();
    const visits = await service.db
      .selectFrom('ticket_audit')
      .innerJoin('tickets', 'tickets.id', 'ticket_audit.ticket_id')
      .select(['ticket_audit.at', 'tickets.appointment_start'])
      .where('ticket_audit.action', '=', 'started')
      .execute();
    const verdicts = visits.map((v) =>
      arrivalAgainstSlot(Number(v.at), { start: Number(v.appointment_start) }),
    );
    expect(verdicts.length).toBeGreaterThanOrEqual(20);
    expect(verdicts.filter((v) => v === 'on_time').length).toBeGreaterThan(verdicts.length * 0.7);
    expect(verdicts).not.toContain('early');
    // Not every visit began on the minute booked (the history used to book every slot at the arrival).
    expect(visits.filter((v) => Number(v.at) !== Number(v.appointment_start)).length).toBeGreaterThan(
      verdicts.length / 4,
    );
  });

  it('records a failure the remote fix cleared as the automation does: sent, answered, resolved remotely, nobody on site', async () => {
    const purifier = fleet.find((d, i) => i >= 8 && d.model === 'water-purifier')!;
    const failedAt = from + 200 * day;
    const flaggedAt = failedAt - 2 * day;
    const reason =
      'fixed remotely: reset_controller answered ok (cleared controller_fault) and the telemetry shows the fault cleared: pump_current_a 0.78 → 0.73 A (0.73 A before the fault began) over the 2 h since';
    const remote: DemoHistoryFailure = {
      deviceId: purifier.id,
      model: 'water-purifier',
      failureMode: 'controller_fault',
      component: 'control_board',
      onsetAt: failedAt - 5 * day,
      failedAt,
      outcome: 'fixed_remotely',
      flaggedAt,
      repairAt: flaggedAt + 60_000,
      remote: {
        command: 'reset_controller',
        answer: 'cleared controller_fault',
        resolvedAt: flaggedAt + 3 * 3_600_000 + 5 * 60_000,
        reason,
      },
    };
    const result = await seedDemoHistory({
      db: service.db,
      failures: [remote],
      from,
      until,
      seed: 7,
      logger,
    });
    expect(result).toMatchObject({ refused: 0, tickets: { fixedRemotely: 1, predictive: 0 } });
    const ticket = await service.db
      .selectFrom('tickets')
      .selectAll()
      .where('device_id', '=', purifier.id)
      .where('kind', '=', 'predictive')
      .where('failure_mode', '=', 'controller_fault')
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('closed');
    expect(Number(ticket.resolved_at)).toBe(remote.remote!.resolvedAt);
    const audit = await service.db
      .selectFrom('ticket_audit')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .orderBy('version')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'opened',
      'assigned',
      'command_sent',
      'command_answered',
      'resolved_remotely',
      'verified',
      'closed',
    ]);
    expect(audit.find((a) => a.action === 'resolved_remotely')).toMatchObject({
      actor: 'system:remote-troubleshooting',
      reason,
    });
    expect(audit.some((a) => a.to_status === 'on_site')).toBe(false);
    const commands = await service.db
      .selectFrom('ticket_commands')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(commands).toMatchObject([
      {
        command: 'reset_controller',
        status: 'answered',
        answer_code: 'ok',
        answer_message: 'cleared controller_fault',
      },
    ]);
  });

  it('books visits on whole milliseconds when the simulator’s repair times carry fractions', async () => {
    // The demo's first start wrote appointments such as 1767256859639.4583; GET /api/tickets then
    // failed its response schema and the console's tickets and technician pages answered 500.
    const fractional = failures.map((f) => ({ ...f, repairAt: f.repairAt + 0.4583 }));
    await seedDemoHistory({ db: service.db, failures: fractional, from, until, seed: 7, logger });
    const booked = await service.db
      .selectFrom('tickets')
      .select(['appointment_start', 'appointment_end'])
      .where('appointment_start', 'is not', null)
      .execute();
    expect(booked.length).toBeGreaterThan(0);
    for (const t of booked) {
      expect(Number.isInteger(Number(t.appointment_start))).toBe(true);
      expect(Number.isInteger(Number(t.appointment_end))).toBe(true);
    }
    const list = await service.api('/api/tickets?status=closed&limit=100');
    expect(list.status).toBe(200);
  });

  it('leaves the stock of today as the demo world left it, and writes nothing the second time', async () => {
    const stockBefore = await service.db
      .selectFrom('stock_levels')
      .select(['location_id', 'sku', 'on_hand', 'reserved'])
      .orderBy('location_id')
      .orderBy('sku')
      .execute();
    await history();
    const counts = async () => ({
      tickets: (await service.db.selectFrom('tickets').select('id').execute()).length,
      audit: (await service.db.selectFrom('ticket_audit').select('id').execute()).length,
      feedback: (await service.db.selectFrom('feedback').select('id').execute()).length,
    });
    const after = await counts();
    expect(after.feedback).toBeGreaterThan(0);
    const stockAfter = await service.db
      .selectFrom('stock_levels')
      .select(['location_id', 'sku', 'on_hand', 'reserved'])
      .orderBy('location_id')
      .orderBy('sku')
      .execute();
    // Parts fitted in the past came with their own delivery to the van: today's stock is untouched.
    expect(stockAfter.filter((s) => s.on_hand > 0 || s.reserved > 0)).toEqual(
      stockBefore.filter((s) => s.on_hand > 0 || s.reserved > 0),
    );
    expect(await history()).toMatchObject({ seeded: false });
    expect(await counts()).toEqual(after);
  });

  /** Every failure mode of every device fails once, spread over the year, none caught. */
  const everyModeFailing = (): DemoHistoryFailure[] =>
    fleet.flatMap((d, i) =>
      catalog[d.model].failureModes.map((mode, k) => {
        const failedAt = from + (30 + ((i * 7 + k * 41) % 320)) * day;
        return {
          deviceId: d.id,
          model: d.model,
          failureMode: mode.id,
          component: mode.component,
          onsetAt: failedAt - 12 * day,
          failedAt,
          outcome: 'failed' as const,
          flaggedAt: null,
          repairAt: failedAt + 2 * day + 2 * 3_600_000,
        };
      }),
    );

  it("leaves only the last weeks' defective parts due back, the older ones chased in", async () => {
    // Many failures, so that some units are not sent back at first, early in the year as well.
    const many = everyModeFailing();
    await seedDemoHistory({ db: service.db, failures: many, from, until, seed: 7, logger });
    const page = { limit: 500, offset: 0 };
    const received = await receivedReturns(service.db, page);
    expect(received.total).toBeGreaterThan(10);
    const old = await outstandingReturns(service.db, { ...page, fittedBefore: until - 50 * day });
    expect(old.items.map((r) => `${r.sku} on ${new Date(r.fittedAt).toISOString()}`)).toEqual([]);
  });

  it('settles the complaints of the year, leaving open only those of its last weeks', async () => {
    // The desk used to leave one complaint in seven open for good: the oldest waited 342 days. Three
    // breakdowns of every mode make enough complaints for some to wait on the partner for weeks.
    const thrice = [0, 100, 200].flatMap((shift) =>
      everyModeFailing().map((f) => {
        const moved = (t: number) => from + ((t - from + shift * day) % (330 * day));
        return { ...f, onsetAt: moved(f.onsetAt), failedAt: moved(f.failedAt), repairAt: moved(f.repairAt) };
      }),
    );
    await seedDemoHistory({ db: service.db, failures: thrice, from, until, seed: 7, logger });
    const complaints = await service.db
      .selectFrom('feedback')
      .select(['created_at', 'complaint_resolved_at', 'complaint_resolution'])
      .where('complaint', '=', 1)
      .execute();
    const waited = (c: (typeof complaints)[number]) =>
      (Number(c.complaint_resolved_at ?? until) - Number(c.created_at)) / day;
    expect(complaints.filter((c) => waited(c) > 5).length).toBeGreaterThan(0);
    const open = complaints.filter((c) => c.complaint_resolved_at === null);
    expect(open.filter((c) => Number(c.created_at) < until - 21 * day)).toEqual([]);
    for (const c of complaints.filter((x) => x.complaint_resolved_at !== null))
      expect(c.complaint_resolution).toMatch(/\w{3,}/);
  });

  /** A breakdown the simulator repaired a week before the history ends, on this device. */
  const repairedLately = (deviceId: string): DemoHistoryFailure => {
    const d = fleet.find((x) => x.id === deviceId)!;
    const mode = catalog[d.model].failureModes[0]!;
    const failedAt = now - 9 * day;
    return {
      deviceId,
      model: d.model,
      failureMode: mode.id,
      component: mode.component,
      onsetAt: failedAt - 12 * day,
      failedAt,
      outcome: 'failed',
      flaggedAt: null,
      // 11:00 in Chennai, two days after the breakdown.
      repairAt: now - 7 * day + 2 * 3_600_000,
    };
  };
  const rate = (token: string, ticketId: string) =>
    service.api(`/api/tickets/${ticketId}/feedback`, {
      method: 'POST',
      token,
      body: { csat: 5, nps: 9 },
    });

  it('leaves the demo customer their latest visit to rate, closed inside the feedback window', async () => {
    // The demo customer had nothing to rate: their visits were rated already, or closed too long ago.
    const customerId = (await service.repos.users.findByEmail(demoAccounts.customer))!.customerId!;
    const own = (await service.repos.devices.list({ customerId, limit: 100, offset: 0 }))[0]!;
    const result = await seedDemoHistory({
      db: service.db,
      failures: [...failures, repairedLately(own.id)],
      from,
      until,
      seed: 7,
      logger,
    });
    expect(result.toRate).toMatchObject({ customerId, relinked: false });
    expect(result.toRate.ticketIds.length).toBeGreaterThan(0);

    const token = await loginAs(service, demoAccounts.customer);
    const listed = (await service.api('/api/tickets?status=closed&limit=200', { token })).body.items as {
      id: string;
      closedAt: number;
    }[];
    const latest = listed.sort((a, b) => b.closedAt - a.closedAt)[0]!;
    expect(result.toRate.ticketIds).toContain(latest.id);
    expect(latest.closedAt).toBeLessThanOrEqual(until);
    expect(now - latest.closedAt).toBeLessThan((FEEDBACK_WINDOW_DAYS / 2) * day);
    const mine = (await service.api('/api/feedback?limit=200', { token })).body.items as {
      ticketId: string;
    }[];
    expect(mine.map((f) => f.ticketId)).not.toContain(latest.id);
    // A new user signed in as the demo customer rates it at once.
    expect((await rate(token, latest.id)).status).toBe(201);
    // Everyone else's verdicts on the year are given as the history drew them.
    const all = await service.db.selectFrom('feedback').select('customer_id').execute();
    expect(all.filter((f) => f.customer_id !== customerId).length).toBeGreaterThan(0);
  });

  it('links the demo customer account to a customer with a visit to rate when its own has none lately', async () => {
    const before = (await service.repos.users.findByEmail(demoAccounts.customer))!.customerId!;
    const other = (await service.repos.devices.list({ limit: 100, offset: 0 })).find(
      (d) => d.customerId !== before,
    )!;
    const owner = other.customerId!;
    const result = await seedDemoHistory({
      db: service.db,
      failures: [...failures, repairedLately(other.id)],
      from,
      until,
      seed: 7,
      logger,
    });
    expect(result.toRate).toMatchObject({ customerId: owner, relinked: true });
    expect((await service.repos.users.findByEmail(demoAccounts.customer))!.customerId).toBe(owner);
    const token = await loginAs(service, demoAccounts.customer);
    const [ticketId] = result.toRate.ticketIds;
    expect((await service.api(`/api/tickets/${ticketId}`, { token })).body.deviceId).toBe(other.id);
    expect((await rate(token, ticketId!)).status).toBe(201);
  });

  it('gives feedback only on closed tickets of their customers, and claims only for covered work', async () => {
    await history();
    const feedback = await service.db
      .selectFrom('feedback')
      .innerJoin('tickets', 'tickets.id', 'feedback.ticket_id')
      .select(['feedback.customer_id', 'tickets.customer_id as owner', 'tickets.status'])
      .execute();
    for (const f of feedback) expect(f.customer_id).toBe(f.owner);
    const claims = await service.db
      .selectFrom('warranty_claims')
      .innerJoin('tickets', 'tickets.id', 'warranty_claims.ticket_id')
      .select(['tickets.coverage', 'warranty_claims.status'])
      .execute();
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) {
      expect(c.coverage).not.toBe('chargeable');
      expect(['approved', 'rejected']).toContain(c.status);
    }
  });
});
