import { NotFoundError, type ServiceEvent, ValidationError } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, aDevice, aPlan, aStockLocation, aTechnician, day } from '../../test/support/factories.ts';
import {
  aServiceScene,
  planner,
  type Repositories,
  repositories,
  technicianActor,
  ticketOnSite,
} from '../../test/support/world.ts';
import { createDatabase, type ServiceDatabase } from '../db/database.ts';
import { ForbiddenError, InvalidTransitionError, StaleVersionError } from '../errors.ts';
import { systemActor } from '../principal.ts';
import { applyTicketChange, loadTicket } from '../tickets/ticket-writes.ts';

describe('TicketRepository', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let scene: Awaited<ReturnType<typeof aServiceScene>>;
  beforeEach(async () => {
    db = await createDatabase({ file: ':memory:' });
    repos = repositories(db);
    scene = await aServiceScene(repos);
  });
  afterEach(() => db.destroy());

  const report = (overrides: Partial<Parameters<Repositories['tickets']['create']>[0]> = {}) =>
    repos.tickets.create(
      {
        kind: 'corrective',
        deviceId: scene.device.id,
        description: 'Not cooling since yesterday',
        ...overrides,
      },
      planner,
    );

  describe('create', () => {
    it("takes customer and site from the device, skill and steps from the failure mode's knowledge base", async () => {
      const ticket = await report({ failureMode: 'capacitor_degradation' });
      expect(ticket).toMatchObject({
        kind: 'corrective',
        status: 'open',
        version: 1,
        customerId: scene.customer.id,
        siteId: scene.site.id,
        component: 'capacitor',
        failureMode: 'capacitor_degradation',
        requiredSkill: 'electrical',
        title: 'Run capacitor degradation — Split air conditioner',
      });
      expect(ticket.troubleshootingSteps.length).toBeGreaterThanOrEqual(3);
      expect(ticket.troubleshootingSteps[0]).toMatch(/discharge the run capacitor/);
    });

    it('refuses a failure mode the device model does not have, naming the field', async () => {
      await expect(report({ failureMode: 'drum_bearing_wear' })).rejects.toThrow(
        /^failureMode: drum_bearing_wear is not a failure mode of split-ac/,
      );
      await expect(report({ deviceId: 'ghost' })).rejects.toThrow(NotFoundError);
    });

    it('decides coverage once: in warranty, then AMC, then chargeable, and records it', async () => {
      const now = repos.time.now;
      await repos.devices.update(scene.device.id, { warrantyEndsAt: now + 30 * day });
      expect((await report()).coverage).toBe('in_warranty');

      await repos.devices.update(scene.device.id, { warrantyEndsAt: now - day });
      expect((await report()).coverage).toBe('chargeable');

      const plan = await repos.contracts.createPlan(aPlan({ slaResponseHours: 8 }));
      const contract = await repos.contracts.create({
        customerId: scene.customer.id,
        planId: plan.id,
        deviceIds: [scene.device.id],
        startsAt: now - 10 * day,
        endsAt: now + 355 * day,
      });
      const covered = await report();
      expect(covered).toMatchObject({
        coverage: 'amc',
        contractId: contract.id,
        slaDueAt: now + 8 * 3_600_000,
      });
      const audit = (await repos.tickets.detail(covered.id)).audit;
      expect(audit[0]).toMatchObject({
        action: 'opened',
        toStatus: 'open',
        data: { coverage: 'amc', contractId: contract.id },
      });
    });
  });

  describe('transition', () => {
    it('records every transition in the audit log, numbered by version, with actor and reason', async () => {
      const ticket = await report({ failureMode: 'capacitor_degradation' });
      const tech = technicianActor(scene.technician.id);
      const start = repos.time.now + 3_600_000;
      const steps = [
        [
          {
            to: 'scheduled',
            technicianId: scene.technician.id,
            appointment: { start, end: start + 7_200_000 },
          },
          planner,
        ],
        [{ to: 'dispatched' }, tech],
        [{ to: 'on_site' }, tech],
        [{ to: 'resolved', reason: 'Replaced the run capacitor; start current normal' }, tech],
        [{ to: 'verified' }, systemActor('fix-verifier')],
        [{ to: 'closed' }, planner],
      ] as const;
      for (const [input, actor] of steps) {
        repos.time.now += 60_000;
        await repos.tickets.transition(ticket.id, input, actor);
      }
      const detail = await repos.tickets.detail(ticket.id);
      expect(detail).toMatchObject({ status: 'closed', version: 7, technicianId: scene.technician.id });
      expect(detail.closedAt).toBe(repos.time.now);
      expect(detail.audit.map((a) => [a.version, a.fromStatus, a.toStatus, a.action, a.actor])).toEqual([
        [1, null, 'open', 'opened', 'user:planner'],
        [2, 'open', 'scheduled', 'scheduled', 'user:planner'],
        [3, 'scheduled', 'dispatched', 'accepted', tech.id],
        [4, 'dispatched', 'on_site', 'started', tech.id],
        [5, 'on_site', 'resolved', 'resolved', tech.id],
        [6, 'resolved', 'verified', 'verified', 'system:fix-verifier'],
        [7, 'verified', 'closed', 'closed', 'user:planner'],
      ]);
      expect(detail.audit[4]!.reason).toBe('Replaced the run capacitor; start current normal');
    });

    it('announces each committed change on the event bus, and nothing for a refused one', async () => {
      const seen: ServiceEvent[] = [];
      repos.events.subscribe((e) => seen.push(e));
      const ticket = await report();
      await repos.tickets.transition(ticket.id, { to: 'cancelled', reason: 'duplicate' }, planner);
      await expect(repos.tickets.transition(ticket.id, { to: 'open', reason: 'x' }, planner)).rejects.toThrow(
        InvalidTransitionError,
      );
      expect(
        seen.map((e) => e.type === 'ticket.changed' && [e.action, e.previousStatus, e.status, e.version]),
      ).toEqual([
        ['opened', null, 'open', 1],
        ['cancelled', 'open', 'cancelled', 2],
      ]);
    });

    it('refuses a transition made on a stale version with 409, and lets exactly one of two racing ones win', async () => {
      const ticket = await report();
      const cancel = repos.tickets.transition(
        ticket.id,
        { to: 'cancelled', reason: 'customer cancelled', expectedVersion: 1 },
        planner,
      );
      const start = repos.time.now + 3_600_000;
      const schedule = repos.tickets.transition(
        ticket.id,
        {
          to: 'scheduled',
          technicianId: scene.technician.id,
          appointment: { start, end: start + 3_600_000 },
          expectedVersion: 1,
        },
        planner,
      );
      const results = await Promise.allSettled([cancel, schedule]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(StaleVersionError);
      expect((await repos.tickets.detail(ticket.id)).audit).toHaveLength(2);
    });

    it('changes nothing when the row moved on between read and write (the conditional UPDATE on version)', async () => {
      const ticket = await report();
      const readEarlier = await loadTicket(db, ticket.id);
      await repos.tickets.addNote(ticket.id, 'Customer prefers mornings', planner);
      await expect(
        db
          .transaction()
          .execute((trx) =>
            applyTicketChange(trx, readEarlier, { action: 'cancelled', to: 'cancelled' }, planner, 1),
          ),
      ).rejects.toThrow(StaleVersionError);
      expect(await repos.tickets.get(ticket.id)).toMatchObject({ status: 'open', version: 2 });
    });

    it("keeps a technician off other technicians' jobs", async () => {
      const other = await repos.partners.createTechnician(scene.partner.id, aTechnician());
      const ticket = await report();
      const start = repos.time.now + 3_600_000;
      await repos.tickets.transition(
        ticket.id,
        {
          to: 'scheduled',
          technicianId: scene.technician.id,
          appointment: { start, end: start + 3_600_000 },
        },
        planner,
      );
      await expect(
        repos.tickets.transition(ticket.id, { to: 'dispatched' }, technicianActor(other.id)),
      ).rejects.toThrow(ForbiddenError);
    });

    it('schedules a refrigerant job only with a technician certified through the appointment', async () => {
      const start = repos.time.now + 2 * day;
      const lapsing = await repos.partners.createTechnician(
        scene.partner.id,
        aTechnician({ certifiedUntil: start + 3_600_000 }),
      );
      const ticket = await report({ failureMode: 'refrigerant_leak' });
      const attempt = repos.tickets.transition(
        ticket.id,
        { to: 'scheduled', technicianId: lapsing.id, appointment: { start, end: start + 4 * 3_600_000 } },
        planner,
      );
      await expect(attempt).rejects.toThrow(ValidationError);
      await expect(attempt).rejects.toThrow(
        `technicianId: Refrigerant leak needs a refrigeration certification valid through the appointment, which ${lapsing.name} (${lapsing.id}) does not hold`,
      );
      const scheduled = await repos.tickets.transition(
        ticket.id,
        {
          to: 'scheduled',
          technicianId: scene.technician.id,
          appointment: { start, end: start + 4 * 3_600_000 },
        },
        planner,
      );
      expect(scheduled.technicianId).toBe(scene.technician.id);
    });

    it('needs a technician and an appointment to schedule', async () => {
      const ticket = await report();
      await expect(repos.tickets.transition(ticket.id, { to: 'scheduled' }, planner)).rejects.toThrow(
        /^technicianId: needed to schedule/,
      );
    });

    it('gives the reserved parts back when a ticket is cancelled, and frees unused ones when it is resolved', async () => {
      const warehouse = await repos.stock.createLocation(aStockLocation());
      await repos.stock.receive(warehouse.id, 'AC-CAP', 3);
      const cancelled = await report({ failureMode: 'capacitor_degradation' });
      await repos.stock.reservePart(cancelled.id, 'AC-CAP', warehouse.id, { quantity: 2 });
      expect(await repos.stock.level(warehouse.id, 'AC-CAP')).toMatchObject({ onHand: 3, reserved: 2 });
      await repos.tickets.transition(
        cancelled.id,
        { to: 'cancelled', reason: 'customer replaced the unit' },
        planner,
      );
      expect(await repos.stock.level(warehouse.id, 'AC-CAP')).toMatchObject({ onHand: 3, reserved: 0 });

      const done = await report({ failureMode: 'capacitor_degradation' });
      const [used, spare] = [
        await repos.stock.reservePart(done.id, 'AC-CAP', warehouse.id),
        await repos.stock.reservePart(done.id, 'AC-CAP', warehouse.id),
      ];
      await ticketOnSite(repos, done, scene.technician.id);
      const tech = technicianActor(scene.technician.id);
      await repos.tickets.recordPartUsed(
        done.id,
        { reservationId: used.id, removedSerial: 'CAP-OLD-1' },
        tech,
      );
      await repos.tickets.transition(done.id, { to: 'resolved', reason: 'capacitor replaced' }, tech);
      expect(await repos.stock.level(warehouse.id, 'AC-CAP')).toMatchObject({ onHand: 2, reserved: 0 });
      expect((await repos.stock.getReservation(spare.id))!.status).toBe('released');
      expect((await repos.tickets.detail(done.id)).partsUsed).toMatchObject([
        { sku: 'AC-CAP', quantity: 1, reservationId: used.id, removedSerial: 'CAP-OLD-1' },
      ]);
    });
  });

  describe('assign', () => {
    it('re-plans a dispatched job to another technician, back to scheduled for them to accept', async () => {
      const other = await repos.partners.createTechnician(scene.partner.id, aTechnician());
      const ticket = await report();
      const start = repos.time.now + 3_600_000;
      await repos.tickets.assign(
        ticket.id,
        { technicianId: scene.technician.id, appointment: { start, end: start + 3_600_000 } },
        planner,
      );
      await repos.tickets.transition(ticket.id, { to: 'dispatched' }, technicianActor(scene.technician.id));
      const replanned = await repos.tickets.assign(
        ticket.id,
        {
          technicianId: other.id,
          appointment: { start: start + day, end: start + day + 3_600_000 },
          reason: 'van broke down',
        },
        planner,
      );
      expect(replanned).toMatchObject({ status: 'scheduled', technicianId: other.id });
      const audit = (await repos.tickets.detail(ticket.id)).audit;
      expect(audit.at(-1)).toMatchObject({
        action: 'reassigned',
        fromStatus: 'dispatched',
        toStatus: 'scheduled',
        reason: 'van broke down',
        data: { technicianId: other.id, previousTechnicianId: scene.technician.id },
      });
    });

    it('refuses an unavailable technician', async () => {
      await repos.partners.updateTechnician(scene.technician.id, { status: 'unavailable' });
      const ticket = await report();
      const start = repos.time.now + 3_600_000;
      await expect(
        repos.tickets.assign(
          ticket.id,
          { technicianId: scene.technician.id, appointment: { start, end: start + 1 } },
          planner,
        ),
      ).rejects.toThrow(/technicianId: technician .* is unavailable/);
    });
  });

  describe('extendVisit', () => {
    it('moves the end of a visit under way later, keeps its start, and records both ends', async () => {
      const onSite = await ticketOnSite(repos, await report(), scene.technician.id);
      const booked = onSite.appointment!;
      const extended = await repos.tickets.extendVisit(
        onSite.id,
        { end: booked.end + 90 * 60_000, reason: 'the coil is corroded' },
        planner,
      );
      expect(extended).toMatchObject({
        status: 'on_site',
        technicianId: scene.technician.id,
        appointment: { start: booked.start, end: booked.end + 90 * 60_000 },
      });
      expect((await repos.tickets.detail(onSite.id)).audit.at(-1)).toMatchObject({
        action: 'visit_extended',
        reason: 'the coil is corroded',
        data: { appointment: extended.appointment, previousEnd: booked.end },
      });
    });

    it('refuses a visit not under way, an end that is not later, and anyone but the office', async () => {
      const waiting = await report();
      await expect(
        repos.tickets.extendVisit(waiting.id, { end: repos.time.now + day, reason: 'late' }, planner),
      ).rejects.toThrow(/the ticket is open: only a visit under way can run late/);
      const onSite = await ticketOnSite(repos, await report(), scene.technician.id);
      const end = onSite.appointment!.end;
      await expect(
        repos.tickets.extendVisit(onSite.id, { end, reason: 'late' }, planner),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        repos.tickets.extendVisit(
          onSite.id,
          { end: end + 3_600_000, reason: 'late' },
          technicianActor(scene.technician.id),
        ),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect((await repos.tickets.get(onSite.id))!.appointment!.end).toBe(end);
    });
  });

  describe('list and scope', () => {
    it('filters by status, kind and technician, and confines a customer to their own tickets', async () => {
      const other = await repos.customers.create(aCustomer());
      const { device } = await repos.devices.provision(aDevice({ customerId: other.id }));
      const mine = await report();
      const theirs = await report({ deviceId: device.id });
      await repos.tickets.transition(theirs.id, { to: 'cancelled', reason: 'duplicate' }, planner);

      const ids = async (filter: Parameters<Repositories['tickets']['list']>[0]) =>
        (await repos.tickets.list(filter)).items.map((t) => t.id);
      expect(await ids({ status: ['open'], limit: 10, offset: 0 })).toEqual([mine.id]);
      expect(await ids({ customerId: other.id, limit: 10, offset: 0 })).toEqual([theirs.id]);
      expect(await repos.tickets.get(theirs.id, { customerId: scene.customer.id })).toBeNull();
      await expect(repos.tickets.detail(theirs.id, { customerId: scene.customer.id })).rejects.toThrow(
        NotFoundError,
      );
      expect(await ids({ technicianId: scene.technician.id, limit: 10, offset: 0 })).toEqual([]);
    });
  });

  it('keeps the audit log gapless: the database refuses a second entry for a version', async () => {
    const ticket = await report();
    await expect(
      db
        .insertInto('ticket_audit')
        .values({
          id: 'x',
          ticket_id: ticket.id,
          version: 1,
          at: 0,
          actor: 'forger',
          actor_role: 'planner',
          from_status: null,
          to_status: 'closed',
          action: 'closed',
          reason: null,
          data: null,
        })
        .execute(),
    ).rejects.toThrow(/UNIQUE constraint/);
  });
});
