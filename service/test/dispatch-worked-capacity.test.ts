import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { dispatchTicket } from '../src/operations/dispatch-ticket.ts';
import { PlanningData } from '../src/operations/planning-data.ts';
import type { Actor } from '../src/principal.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, hour } from './support/factories.ts';

/** Local midnight of Wednesday 25 November 2026 in Bengaluru (UTC+5:30): technicians work 09:00–18:00. */
const wednesday = Date.UTC(2026, 10, 24, 18, 30);
const system: Actor = { id: 'system:test', role: 'system', customerId: null, technicianId: null };
const site = { lat: 12.98, lon: 77.6 };

/*
 * A technician's day counts the visits already made on it: the board shows them against the day's
 * capacity, and the automatic dispatch must not book those minutes a second time.
 */
describe('the dispatch counts the visits a technician already made that day', () => {
  let db: ServiceDatabase;
  let repos: ServiceRepositories;
  let now = wednesday + 9 * hour;
  let nearby: string;
  let across: string;
  let newDevice: () => Promise<string>;

  beforeEach(async () => {
    now = wednesday + 9 * hour;
    db = await createDatabase({ file: ':memory:' });
    repos = createServiceRepositories(db, { clock: () => now });
    const customer = await repos.customers.create(aCustomer());
    newDevice = async () => {
      const own = await repos.customers.createSite(customer.id, aSite(site));
      const { device } = await repos.devices.provision(
        aDevice({ customerId: customer.id, siteId: own.id, installedAt: '2024-03-01T00:00:00Z' }),
      );
      return device.id;
    };
    const partner = await repos.partners.createPartner(aPartner({ ...site, coverageRadiusKm: 40 }));
    // Five hours of work a day; one lives a kilometre from the site, the other 15 km away.
    const technician = (home: { lat: number; lon: number }) =>
      repos.partners.createTechnician(partner.id, aTechnician({ home, dailyCapacityMinutes: 300 }));
    nearby = (await technician({ lat: 12.97, lon: 77.6 })).id;
    across = (await technician({ lat: 12.85, lon: 77.6 })).id;

    // The nearby technician spends 09:30–13:30 on one repair, made and resolved.
    const made = await repos.tickets.create(
      { kind: 'corrective', deviceId: await newDevice(), description: 'compressor seized' },
      system,
    );
    const start = wednesday + 9.5 * hour;
    await repos.tickets.assign(
      made.id,
      { technicianId: nearby, appointment: { start, end: start + 4 * hour } },
      system,
    );
    const them: Actor = { id: 'user:nearby', role: 'technician', customerId: null, technicianId: nearby };
    await repos.tickets.transition(made.id, { to: 'dispatched' }, them);
    now = start;
    await repos.tickets.transition(made.id, { to: 'on_site' }, them);
    now = start + 4 * hour;
    await repos.tickets.transition(made.id, { to: 'resolved', reason: 'Replaced the compressor' }, them);
    now = wednesday + 14 * hour;
  });

  afterEach(() => db.destroy());

  async function dispatchJob(durationMinutes: number) {
    const ticket = await repos.tickets.create(
      { kind: 'corrective', deviceId: await newDevice(), description: 'no cooling', priority: 'high' },
      system,
    );
    const outcome = await dispatchTicket(
      new PlanningData(repos),
      {
        ticket,
        position: site,
        skill: 'general_service',
        certificationRequired: false,
        durationMinutes,
        priority: 2,
        window: { start: now + hour, end: wednesday + 18 * hour },
        slaDueAt: wednesday + 18 * hour,
      },
      system,
    );
    if (outcome.kind !== 'assigned') throw new Error(`not assigned: ${outcome.reason}`);
    return outcome;
  }

  it('sends a job that needs more than the hour left to a colleague, though the nearby technician is free', async () => {
    expect((await dispatchJob(90)).technicianId).toBe(across);
  });

  it('still gives the nearby technician a job that fits in what is left of their day', async () => {
    expect((await dispatchJob(45)).technicianId).toBe(nearby);
  });
});
