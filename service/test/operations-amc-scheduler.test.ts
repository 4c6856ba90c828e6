import { once } from 'node:events';
import { ConfigError, createLogger, type Ticket } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { type AmcRunReport, createAmcScheduler } from '../src/operations/amc-scheduler.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import { aCustomer, aDevice, aPartner, aPlan, aSite, aTechnician, day } from './support/factories.ts';

/** Wednesday 25 November 2026, 09:00 in Bengaluru (UTC+5:30). */
const now = Date.UTC(2026, 10, 25, 3, 30);
const logger = createLogger({ level: 'silent' });

describe('createAmcScheduler', () => {
  let db: ServiceDatabase;
  let repos: ServiceRepositories;
  /** Three sites, two devices each, on contracts whose first visit falls due on Sunday night. */
  let contractIds: string[];
  let endingContractId: string;

  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = createServiceRepositories(db, { clock: () => now });
    const partner = await repos.partners.createPartner(aPartner({ lat: 12.97, lon: 77.6 }));
    // One technician: 420 minutes a day, 35 % of it (147 min) for AMC visits.
    await repos.partners.createTechnician(partner.id, aTechnician());
    const plan = await repos.contracts.createPlan(aPlan({ visitsPerYear: 4 }));
    contractIds = [];
    for (const [i, position] of [
      [0, { lat: 12.975, lon: 77.605 }],
      [1, { lat: 12.98, lon: 77.61 }],
      [2, { lat: 12.965, lon: 77.595 }],
    ] as const) {
      const customer = await repos.customers.create(aCustomer());
      const site = await repos.customers.createSite(customer.id, aSite({ name: `Site ${i}`, ...position }));
      const devices = [];
      for (let k = 0; k < 2; k++) {
        devices.push(
          (await repos.devices.provision(aDevice({ customerId: customer.id, siteId: site.id }))).device.id,
        );
      }
      const startsAt = now - 42 * day;
      const contract = await repos.contracts.create({
        customerId: customer.id,
        planId: plan.id,
        deviceIds: devices,
        startsAt,
        endsAt: startsAt + 365 * day,
      });
      contractIds.push(contract.id);
    }
    const lateCustomer = await repos.customers.create(aCustomer());
    const lateSite = await repos.customers.createSite(lateCustomer.id, aSite({ name: 'Late site' }));
    const lateDevice = (
      await repos.devices.provision(aDevice({ customerId: lateCustomer.id, siteId: lateSite.id }))
    ).device.id;
    endingContractId = (
      await repos.contracts.create({
        customerId: lateCustomer.id,
        planId: plan.id,
        deviceIds: [lateDevice],
        startsAt: now - 350 * day,
        endsAt: now + 15 * day,
      })
    ).id;
    // A visit of that contract whose window closed last week without anyone going.
    await repos.visits.planVisits(endingContractId, [
      { deviceId: lateDevice, dueFrom: now - 20 * day, dueTo: now - 7 * day },
    ]);
  });
  afterEach(() => db.destroy());

  const amcTickets = async (): Promise<Ticket[]> =>
    (await repos.tickets.list({ kind: 'amc_visit', limit: 100, offset: 0 })).items;

  const run = async (): Promise<AmcRunReport> => {
    const scheduler = createAmcScheduler({ repositories: repos, logger, clock: () => now });
    const report = await scheduler.runOnce();
    expect(report).not.toBeNull();
    return report!;
  };

  it('writes every visit still to come of the active contracts, one per device', async () => {
    const report = await run();
    // Four visits a year, all still open or to come, for two devices at each of three sites.
    expect(report.visitsPlanned).toBe(3 * 4 * 2);
    for (const contractId of contractIds) {
      const visits = (await repos.visits.listVisits({ contractId, limit: 50, offset: 0 })).items;
      expect(visits).toHaveLength(8);
      const windows = [...new Set(visits.map((v) => v.dueFrom))];
      expect(windows).toHaveLength(4);
    }
  });

  it('opens the tickets of the visits whose window has opened, for the route fill to give them a day', async () => {
    const report = await run();
    expect(report).toMatchObject({ ticketsOpened: 6, unscheduled: [] });
    const tickets = await amcTickets();
    expect(tickets).toHaveLength(6);
    for (const contractId of contractIds) {
      const visits = (await repos.visits.listVisits({ contractId, limit: 50, offset: 0 })).items;
      const opened = visits.filter((v) => v.ticketId !== null);
      // The first window of each contract (both devices of its site) is open now; the later ones are not yet.
      expect(opened).toHaveLength(2);
      for (const visit of opened) {
        expect(visit.dueFrom).toBeLessThanOrEqual(now);
        const ticket = tickets.find((t) => t.id === visit.ticketId)!;
        // Waiting for a day: the contract's window is its SLA, no technician is sent yet.
        expect(ticket).toMatchObject({
          status: 'open',
          technicianId: null,
          appointment: null,
          slaDueAt: visit.dueTo,
        });
      }
      for (const visit of visits.filter((v) => v.ticketId === null))
        expect(visit.dueFrom).toBeGreaterThan(now + day);
    }
  });

  it('lists the contracts coming up for renewal and marks the visit whose window passed as missed', async () => {
    const report = await run();
    expect(report.renewalsDue).toEqual([
      { contractId: endingContractId, customerId: expect.any(String), endsAt: now + 15 * day, daysLeft: 15 },
    ]);
    expect((await repos.contracts.get(endingContractId))!.renewalStatus).toBe('due');
    expect(report.missed).toBe(1);
  });

  it('marks due only the contracts ending within its own renewal window', async () => {
    const status = async (id: string) => (await repos.contracts.get(id))!.renewalStatus;
    const narrow = createAmcScheduler({
      repositories: repos,
      logger,
      clock: () => now,
      renewalWithinDays: 10,
    });
    expect((await narrow.runOnce())!.renewalsDue).toEqual([]);
    expect(await status(endingContractId)).toBe('not_due');
    await run();
    expect(await status(endingContractId)).toBe('due');
    for (const id of contractIds) expect(await status(id)).toBe('not_due');
  });

  it('changes nothing when it runs again', async () => {
    await run();
    const tickets = (await amcTickets()).map((t) => [t.id, t.version]);
    const visits = await db.selectFrom('contract_visits').selectAll().orderBy('id').execute();
    const again = await run();
    expect(again).toMatchObject({ visitsPlanned: 0, ticketsOpened: 0, missed: 0 });
    expect((await amcTickets()).map((t) => [t.id, t.version])).toEqual(tickets);
    expect(await db.selectFrom('contract_visits').selectAll().orderBy('id').execute()).toEqual(visits);
  });

  it('refuses a cron expression it cannot read, naming it', () => {
    expect(() => createAmcScheduler({ repositories: repos, logger, cron: 'nightly' })).toThrow(ConfigError);
    expect(() => createAmcScheduler({ repositories: repos, logger, cron: 'nightly' })).toThrow(/"nightly"/);
  });

  it('runs on its cron schedule until stopped', async () => {
    const scheduler = createAmcScheduler({
      repositories: repos,
      logger,
      cron: '* * * * * *',
      clock: () => now,
    });
    scheduler.start();
    try {
      const [report] = (await once(scheduler, 'run', { signal: AbortSignal.timeout(5_000) })) as [
        AmcRunReport,
      ];
      expect(report.at).toBe(now);
      expect(report.ticketsOpened).toBe(6);
    } finally {
      await scheduler.stop();
    }
  });
});
