import { createLogger } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/database.ts';
import { createCorrectiveDispatch, DIAGNOSIS_MINUTES } from '../src/operations/corrective-dispatch.ts';
import type { Actor } from '../src/principal.ts';
import { createServiceRepositories } from '../src/repositories/service-repositories.ts';
import {
  aCustomer,
  aDevice,
  aPartner,
  aPlan,
  aSite,
  aStockLocation,
  aTechnician,
  day,
  hour,
} from './support/factories.ts';
import { planner } from './support/world.ts';

/** Wednesday 25 November 2026, 09:00 in Bengaluru (UTC+5:30): technicians work Monday to Saturday, 09–18. */
const wednesday9 = Date.UTC(2026, 10, 25, 3, 30);
const minute = 60_000;
const caller: Actor = { id: 'user:customer', role: 'customer', customerId: null, technicianId: null };

/**
 * A split AC at a customer's home, two technicians of one partner: one 0.8 km away whose refrigerant
 * certificate expired yesterday, one 5 km away certified until 2030. Compressors at a depot nearby.
 */
async function aWorld(options: { slaResponseHours?: number } = {}) {
  const db = await createDatabase({ file: ':memory:' });
  const time = { now: wednesday9 };
  const clock = () => time.now;
  const repos = createServiceRepositories(db, { clock });
  const customer = await repos.customers.create(aCustomer());
  const home = await repos.customers.createSite(customer.id, aSite({ lat: 12.975, lon: 77.605 }));
  const { device } = await repos.devices.provision(aDevice({ customerId: customer.id, siteId: home.id }));
  const partner = await repos.partners.createPartner(aPartner({ lat: 12.97, lon: 77.6 }));
  const expired = await repos.partners.createTechnician(
    partner.id,
    aTechnician({ home: { lat: 12.97, lon: 77.6 }, certifiedUntil: wednesday9 - day }),
  );
  const certified = await repos.partners.createTechnician(
    partner.id,
    aTechnician({ home: { lat: 12.93, lon: 77.62 }, certifiedUntil: Date.UTC(2030, 0, 1) }),
  );
  const depot = await repos.stock.createLocation(
    aStockLocation({ kind: 'partner_depot', partnerId: partner.id, lat: 12.972, lon: 77.603 }),
  );
  await repos.stock.receive(depot.id, 'AC-COMP', 2);
  if (options.slaResponseHours !== undefined) {
    const plan = await repos.contracts.createPlan(aPlan({ slaResponseHours: options.slaResponseHours }));
    await repos.contracts.create({
      customerId: customer.id,
      planId: plan.id,
      deviceIds: [device.id],
      startsAt: wednesday9 - 100 * day,
      endsAt: wednesday9 + 265 * day,
    });
  }
  const dispatch = createCorrectiveDispatch({
    repositories: repos,
    logger: createLogger({ level: 'silent' }),
    clock,
  });
  const report = (body: {
    failureMode?: string;
    priority?: 'urgent' | 'high' | 'normal' | 'low';
    requiredSkill?: 'water_treatment';
  }) =>
    repos.tickets.create(
      { kind: 'corrective', deviceId: device.id, description: 'The AC blows warm air', ...body },
      { ...caller, customerId: customer.id },
    );
  return { repos, time, dispatch, report, device, partner, expired, certified };
}

describe('the corrective dispatch: problems customers report are booked by themselves', () => {
  it('books a reported compressor failure with the certified technician, inside the SLA, the part on its way', async () => {
    const w = await aWorld();
    const ticket = await w.report({ failureMode: 'compressor_wear', priority: 'high' });
    const run = await w.dispatch.runOnce(w.time.now);
    expect(run).toMatchObject({ waiting: 1, assigned: 1, unassigned: 0 });

    const booked = (await w.repos.tickets.get(ticket.id))!;
    expect(booked.status).toBe('scheduled');
    // The nearer technician's refrigerant certificate expired: the certified one goes.
    expect(booked.technicianId).toBe(w.certified.id);
    expect(booked.appointment!.start).toBeGreaterThanOrEqual(w.time.now + hour);
    expect(booked.appointment!.start).toBeLessThanOrEqual(booked.slaDueAt);
    expect(booked.appointment!.end - booked.appointment!.start).toBe(240 * minute);
    const detail = await w.repos.tickets.detail(ticket.id);
    expect(detail.reservations.map((r) => r.sku)).toEqual(['AC-COMP']);
    expect(detail.audit.map((a) => [a.action, a.actor])).toEqual([
      ['opened', 'user:customer'],
      ['assigned', 'system:corrective-dispatch'],
      ['part_reserved', 'system:corrective-dispatch'],
    ]);
  });

  it('sends a diagnosis visit when the report names no failure mode', async () => {
    const w = await aWorld();
    const ticket = await w.report({});
    await w.dispatch.runOnce(w.time.now);
    const booked = (await w.repos.tickets.get(ticket.id))!;
    expect(booked.status).toBe('scheduled');
    // No certificate needed to look: the nearest technician goes.
    expect(booked.technicianId).toBe(w.expired.id);
    expect(booked.appointment!.end - booked.appointment!.start).toBe(DIAGNOSIS_MINUTES * minute);
  });

  it('books a call at night for the next working morning at once, when no working hour meets the SLA', async () => {
    const w = await aWorld({ slaResponseHours: 4 });
    w.time.now = wednesday9 + 14 * hour; // 23:00 on Wednesday
    const ticket = await w.report({ priority: 'urgent' });
    expect(ticket.slaDueAt).toBe(w.time.now + 4 * hour); // 03:00 on Thursday, before anyone works
    await w.dispatch.runOnce(w.time.now);
    const booked = (await w.repos.tickets.get(ticket.id))!;
    expect(booked.status).toBe('scheduled');
    // Thursday morning: the first working hour, after the drive from home; the SLA is missed, unavoidably.
    expect(booked.appointment!.start).toBeGreaterThanOrEqual(wednesday9 + day);
    expect(booked.appointment!.start).toBeLessThan(wednesday9 + day + hour);
  });

  it('tries a problem nobody can take again within the hour, not every minute, and then books it', async () => {
    const w = await aWorld();
    const ticket = await w.report({ requiredSkill: 'water_treatment' });
    expect(await w.dispatch.runOnce(w.time.now)).toMatchObject({ waiting: 1, assigned: 0, unassigned: 1 });
    w.time.now += minute;
    expect(await w.dispatch.runOnce(w.time.now)).toMatchObject({ waiting: 1, notTried: 1 });

    const plumber = await w.repos.partners.createTechnician(
      w.partner.id,
      aTechnician({ skills: [{ skill: 'water_treatment' }, { skill: 'general_service' }] }),
    );
    w.time.now = wednesday9 + 30 * minute;
    expect(await w.dispatch.runOnce(w.time.now)).toMatchObject({ notTried: 1 });
    w.time.now = wednesday9 + hour;
    expect(await w.dispatch.runOnce(w.time.now)).toMatchObject({ assigned: 1 });
    expect((await w.repos.tickets.get(ticket.id))!.technicianId).toBe(plumber.id);
  });

  it('leaves alone what someone already holds and work of other kinds', async () => {
    const w = await aWorld();
    const held = await w.report({});
    const start = wednesday9 + 3 * hour;
    await w.repos.tickets.transition(
      held.id,
      { to: 'scheduled', technicianId: w.certified.id, appointment: { start, end: start + hour } },
      planner,
    );
    const install = await w.repos.tickets.create(
      { kind: 'installation', deviceId: w.device.id, description: 'Install the outdoor unit' },
      planner,
    );
    expect(await w.dispatch.runOnce(w.time.now)).toMatchObject({ waiting: 0, assigned: 0 });
    expect((await w.repos.tickets.get(held.id))!).toMatchObject({
      technicianId: w.certified.id,
      appointment: { start },
    });
    expect((await w.repos.tickets.get(install.id))!.status).toBe('open');
  });
});
