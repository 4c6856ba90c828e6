import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type ServiceDatabase } from '../src/db/database.ts';
import { dispatchTicket } from '../src/operations/dispatch-ticket.ts';
import { PlanningData } from '../src/operations/planning-data.ts';
import type { Actor } from '../src/principal.ts';
import {
  createServiceRepositories,
  type ServiceRepositories,
} from '../src/repositories/service-repositories.ts';
import { aCustomer, aDevice, aPartner, aSite, aTechnician, day, hour } from './support/factories.ts';

/** Wednesday 25 November 2026, 08:00 in Bengaluru (UTC+5:30): technicians work Monday to Saturday. */
const now = Date.UTC(2026, 10, 25, 2, 30);
/** Local midnight of that Wednesday. */
const wednesday = Date.UTC(2026, 10, 24, 18, 30);
const planner: Actor = { id: 'system:test', role: 'system', customerId: null, technicianId: null };
/** 25 km north-east of the technician's home, and a house 1 km further on. */
const farSite = { lat: 13.12, lon: 77.78 };
const nextDoor = { lat: 13.128, lon: 77.785 };
const home = { lat: 12.97, lon: 77.6 };

describe('the dispatch planner chooses the day as well as the technician', () => {
  let db: ServiceDatabase;
  let repos: ServiceRepositories;
  let technicianId: string;
  let newDevice: (position: { lat: number; lon: number }) => Promise<string>;

  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = createServiceRepositories(db, { clock: () => now });
    const customer = await repos.customers.create(aCustomer());
    newDevice = async (position) => {
      const site = await repos.customers.createSite(customer.id, aSite(position));
      const { device } = await repos.devices.provision(
        aDevice({ customerId: customer.id, siteId: site.id, installedAt: '2024-03-01T00:00:00Z' }),
      );
      return device.id;
    };
    const partner = await repos.partners.createPartner(aPartner({ ...home, coverageRadiusKm: 40 }));
    technicianId = (await repos.partners.createTechnician(partner.id, aTechnician({ home }))).id;
    // Thursday 11:00: a visit to the far site, already booked.
    const booked = await repos.tickets.create(
      { kind: 'corrective', deviceId: await newDevice(farSite), description: 'no cooling', priority: 'high' },
      planner,
    );
    const thursday11 = wednesday + day + 11 * hour;
    await repos.tickets.assign(
      booked.id,
      { technicianId, appointment: { start: thursday11, end: thursday11 + hour } },
      planner,
    );
  });

  afterEach(async () => {
    await db.destroy();
  });

  async function dispatchNextDoor(priority: 1 | 4, slaDueAt: number) {
    const ticket = await repos.tickets.create(
      {
        kind: 'predictive',
        deviceId: await newDevice(nextDoor),
        description: 'filter clogging',
        priority: priority === 1 ? 'urgent' : 'low',
        slaDueAt,
      },
      planner,
    );
    const outcome = await dispatchTicket(
      new PlanningData(repos),
      {
        ticket,
        position: nextDoor,
        skill: 'general_service',
        certificationRequired: false,
        durationMinutes: 45,
        priority,
        window: { start: now + 4 * hour, end: slaDueAt },
        slaDueAt,
      },
      planner,
    );
    return { ticketId: ticket.id, outcome };
  }

  it('books a job that can wait on the day the technician is next door anyway, and says why in the audit', async () => {
    const { ticketId, outcome } = await dispatchNextDoor(4, wednesday + 4 * day);
    expect(outcome.kind).toBe('assigned');
    if (outcome.kind !== 'assigned') return;
    expect(outcome.slaMet).toBe(true);
    // Thursday, after the booked visit: about 1 km more instead of 60 km there and back on Wednesday.
    expect(outcome.appointment.start).toBeGreaterThanOrEqual(wednesday + day + 12 * hour);
    expect(outcome.appointment.start).toBeLessThan(wednesday + 2 * day);
    const { audit } = await repos.tickets.detail(ticketId);
    const assigned = audit.find((a) => a.action === 'assigned')!;
    expect(assigned.reason).toMatch(/km added to the day/);
    expect(assigned.data).toMatchObject({
      plannedWithin: { start: now + 4 * hour, end: wednesday + 4 * day },
    });
  });

  it('sends an urgent job today rather than wait a day for the shorter drive', async () => {
    const { outcome } = await dispatchNextDoor(1, wednesday + 2 * day);
    expect(outcome.kind).toBe('assigned');
    if (outcome.kind !== 'assigned') return;
    expect(outcome.appointment.start).toBeLessThan(wednesday + day);
  });

  it('never waits past the SLA for a shorter drive', async () => {
    // Due Wednesday 17:00: Thursday's short drive would miss it.
    const { outcome } = await dispatchNextDoor(4, wednesday + 17 * hour);
    expect(outcome.kind).toBe('assigned');
    if (outcome.kind !== 'assigned') return;
    expect(outcome.slaMet).toBe(true);
    expect(outcome.appointment.start).toBeLessThan(wednesday + 17 * hour);
  });
});
