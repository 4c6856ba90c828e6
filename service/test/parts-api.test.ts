import { catalog, type Risk } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceHarness } from './support/harness.ts';
import { type PlanningWorld, planningNow, startPlanningWorld } from './support/planning-world.ts';

/*
 * The parts and AMC overviews over real HTTP and the real database, on the demo world (its
 * warehouse, depots, vans and stock; its contracts and the visits the AMC job planned), with risks
 * stored through the store's port as the scoring job stores them.
 */

const hour = 3_600_000;

function aRisk(deviceId: string, failureModeId: string, pFail: number): Risk {
  const mode = catalog['split-ac'].failureModes.find((m) => m.id === failureModeId)!;
  return {
    deviceId,
    model: 'split-ac',
    component: mode.component,
    failureMode: mode.id,
    pFail,
    daysLeft: 5,
    horizonDays: 14,
    modelVersion: 'test',
    scoredAt: planningNow,
    dataUntil: planningNow,
    drivers: [],
  };
}

describe('the parts and AMC overviews', () => {
  let world: PlanningWorld;
  let service: ServiceHarness;
  let planner: string;
  let splitAcs: string[];

  beforeAll(async () => {
    world = await startPlanningWorld(80);
    service = world.service;
    planner = await service.login({ email: 'planner@example.com', role: 'planner' });
    splitAcs = world.fleet.filter((d) => d.model === 'split-ac').map((d) => d.id);
  }, 120_000);
  afterAll(() => service.close());

  describe('GET /api/parts/stock-overview', () => {
    it('lists every location warehouse first with its levels, transfers in flight by ETA, reservations held', async () => {
      const depots = (await service.api('/api/stock-locations?kind=partner_depot&limit=2')).body.items;
      const later = await service.api('/api/transfers', {
        method: 'POST',
        body: {
          fromLocationId: 'loc-warehouse',
          toLocationId: depots[0].id,
          sku: 'AC-FILTER',
          quantity: 3,
          etaAt: planningNow + 8 * hour,
        },
      });
      const sooner = await service.api('/api/transfers', {
        method: 'POST',
        body: {
          fromLocationId: 'loc-warehouse',
          toLocationId: depots[1].id,
          sku: 'AC-CAP',
          quantity: 2,
          etaAt: planningNow + 2 * hour,
        },
      });
      expect([later.status, sooner.status]).toEqual([201, 201]);
      const ticket = await service.api('/api/tickets', {
        method: 'POST',
        body: { kind: 'corrective', deviceId: splitAcs[0], title: 'Fan noisy', description: 'Rattles' },
      });
      const reserved = await service.api(`/api/tickets/${ticket.body.id}/reservations`, {
        method: 'POST',
        body: { sku: 'AC-FANMOTOR', locationId: 'loc-warehouse' },
      });
      expect(reserved.status).toBe(201);

      const res = await service.api('/api/parts/stock-overview', { token: planner });
      expect(res.status).toBe(200);
      const { locations, transfers, reservations } = res.body;
      expect(locations).toHaveLength(1 + 7 + 20);
      expect(locations[0]).toMatchObject({ id: 'loc-warehouse', kind: 'central_warehouse', reserved: 1 });
      expect(locations.at(-1).kind).toBe('van');
      expect(locations.at(-1).technicianName).toMatch(/\w+ \w+/);
      const warehouse = locations[0];
      expect(warehouse.onHand).toBe(
        warehouse.levels.reduce((s: number, l: { onHand: number }) => s + l.onHand, 0),
      );
      expect(warehouse.available).toBe(warehouse.onHand - warehouse.reserved);
      expect(transfers.map((t: { id: string }) => t.id)).toEqual([sooner.body.id, later.body.id]);
      expect(transfers[0]).toMatchObject({
        fromName: 'Chennai Central Warehouse',
        toName: depots[1].name,
        quantity: 2,
      });
      expect(reservations).toEqual([
        expect.objectContaining({
          ticketId: ticket.body.id,
          ticketTitle: 'Fan noisy',
          sku: 'AC-FANMOTOR',
          locationName: 'Chennai Central Warehouse',
        }),
      ]);
    });
  });

  describe('GET /api/parts/shortfall', () => {
    it('sets the components at risk per part against the free stock, and says which will run short', async () => {
      const before = (await service.api('/api/parts/shortfall', { token: planner })).body.items;
      const free = before.find((p: { sku: string }) => p.sku === 'AC-COMP').available;
      const atRisk = free + 3;
      expect(splitAcs.length).toBeGreaterThanOrEqual(atRisk + 1);
      await service.store.writeRisks([
        ...splitAcs.slice(0, atRisk).map((id) => aRisk(id, 'compressor_wear', 0.8)),
        // Below the model's ticket threshold: not demand yet.
        aRisk(splitAcs[atRisk]!, 'compressor_wear', 0.3),
      ]);
      const res = await service.api('/api/parts/shortfall', { token: planner });
      expect(res.status).toBe(200);
      const first = res.body.items[0];
      expect(first).toMatchObject({
        sku: 'AC-COMP',
        status: 'short',
        atRisk,
        covered: 0,
        available: free,
        shortBy: 3,
        expectedFailures: Math.round(atRisk * 0.8 * 100) / 100,
      });
      expect(res.body.items.filter((p: { status: string }) => p.status === 'short')).toHaveLength(1);
      // Every catalogue part has its row.
      const parts = (await service.api('/api/parts?limit=500')).body.total;
      expect(res.body.items).toHaveLength(parts);
    });

    it('is for the office: customers and technicians get 403', async () => {
      const customer = await service.tokenFor('customer', world.customerId);
      const technician = await service.tokenFor('technician', world.technicianId);
      for (const token of [customer, technician])
        for (const path of [
          '/api/parts/shortfall',
          '/api/parts/stock-overview',
          '/api/contract-visits/calendar',
        ])
          expect((await service.api(path, { token })).status, path).toBe(403);
    });
  });

  describe('GET /api/contract-visits/calendar', () => {
    it('lists the visits of the months asked for with their partner and customer, and renewals due', async () => {
      const res = await service.api('/api/contract-visits/calendar?from=2026-11&months=12', {
        token: planner,
      });
      expect(res.status).toBe(200);
      const { visits, partners, renewals, from, to } = res.body;
      expect(from).toBe(Date.parse('2026-11-01T00:00:00+05:30'));
      expect(to).toBe(Date.parse('2027-11-01T00:00:00+05:30'));
      const all = (await service.api('/api/contract-visits?limit=500')).body;
      const inRange = all.items.filter(
        (v: { dueTo: number; dueFrom: number }) => v.dueTo >= from && v.dueFrom < to,
      );
      expect(visits).toHaveLength(inRange.length);
      expect(partners).toHaveLength(10);
      for (const v of visits) {
        expect(v.partnerName).toBe(partners.find((p: { id: string }) => p.id === v.partnerId).name);
        expect(v.customerName).not.toBeNull();
      }
      // The visits whose ticket is open with no technician and whose window is closing are flagged.
      for (const v of visits.filter((x: { atRisk: string | null }) => x.atRisk !== null))
        expect(['planned', 'scheduled', 'missed']).toContain(v.status);
      const due = (await service.api('/api/contracts/renewals-due?withinDays=60')).body.items;
      expect(renewals.map((r: { contractId: string }) => r.contractId)).toEqual(
        due.map((c: { id: string }) => c.id),
      );
      for (const r of renewals) expect(r.daysLeft).toBe(Math.ceil((r.endsAt - planningNow) / 86_400_000));

      // One partner's visits only.
      const partnerId = visits[0].partnerId;
      const one = (
        await service.api(`/api/contract-visits/calendar?from=2026-11&months=12&partnerId=${partnerId}`, {
          token: planner,
        })
      ).body;
      expect(one.visits.length).toBe(
        visits.filter((v: { partnerId: string }) => v.partnerId === partnerId).length,
      );

      // Its renewals are those of the contracts it services: a device of theirs in its reach. Every
      // contract coming up is some partner's, and no other partner's list holds it.
      const renewalsOf = async (id: string) =>
        (
          await service.api(`/api/contract-visits/calendar?from=2026-11&months=1&partnerId=${id}`, {
            token: planner,
          })
        ).body.renewals.map((r: { contractId: string }) => r.contractId) as string[];
      const byPartner = await Promise.all(partners.map((p: { id: string }) => renewalsOf(p.id)));
      const listed = byPartner.flat();
      expect(new Set(listed)).toEqual(new Set(renewals.map((r: { contractId: string }) => r.contractId)));
      expect(renewals.length).toBeGreaterThan(0);
      // Without the filter every partner would list them all.
      expect(byPartner.some((ids) => ids.length < renewals.length)).toBe(true);
      for (const contract of renewals.slice(0, 5)) {
        const detail = (await service.api(`/api/contracts/${contract.contractId}`)).body as {
          deviceIds: string[];
        };
        const servicing = byPartner.flatMap((ids, i) =>
          ids.includes(contract.contractId) ? [partners[i].id] : [],
        );
        expect(servicing.length, contract.contractId).toBeGreaterThan(0);
        expect(servicing.length).toBeLessThanOrEqual(detail.deviceIds.length);
      }
    });

    it('says when a visit was done, and nothing of the kind while it is still to come', async () => {
      // The AMC page showed a done visit's old booking as if the visit were still to come.
      const calendar = async () =>
        (await service.api('/api/contract-visits/calendar?from=2026-11&months=12', { token: planner })).body
          .visits as { id: string; ticketId: string | null; status: string; doneAt: number | null }[];
      const waiting = (await calendar()).find((v) => v.ticketId !== null && v.status === 'scheduled')!;
      expect(waiting.doneAt).toBeNull();
      const technician = (
        await service.repos.partners.listTechnicians({ skill: 'general_service', limit: 1, offset: 0 })
      ).items[0]!;
      const start = Date.UTC(2026, 10, 26, 4, 30); // Thursday 10:00 in Chennai
      await service.repos.tickets.assign(
        waiting.ticketId!,
        { technicianId: technician.id, appointment: { start, end: start + hour } },
        { id: 'user:planner', role: 'planner', customerId: null, technicianId: null },
      );
      const booked = (await calendar()).find((v) => v.id === waiting.id)!;
      expect(booked).toMatchObject({ status: 'scheduled', doneAt: null });

      const actor = {
        id: `technician:${technician.id}`,
        role: 'technician' as const,
        customerId: null,
        technicianId: technician.id,
      };
      await service.repos.tickets.transition(waiting.ticketId!, { to: 'dispatched' }, actor);
      // The visit is done on its day: the service's clock is held there while the technician works.
      const resolved = await service.at(start, async () => {
        await service.repos.tickets.transition(waiting.ticketId!, { to: 'on_site' }, actor);
        return service.repos.tickets.transition(
          waiting.ticketId!,
          { to: 'resolved', reason: 'Serviced: cleaned and checked' },
          actor,
        );
      });
      const done = (await calendar()).find((v) => v.id === waiting.id)!;
      expect(done).toMatchObject({ status: 'done', ticketStatus: 'resolved', doneAt: resolved.resolvedAt });
      expect(done.doneAt).not.toBeNull();
    });

    it('answers 400 naming the field', async () => {
      for (const [query, field] of [
        ['from=2026-13', 'from'],
        ['months=0', 'months'],
        ['months=13', 'months'],
        ['renewalWithinDays=0', 'renewalWithinDays'],
      ]) {
        const res = await service.api(`/api/contract-visits/calendar?${query}`, { token: planner });
        expect(res.status, query).toBe(400);
        expect(res.body.message).toMatch(new RegExp(`^querystring\\.${field}: `));
      }
    });

    it('answers 404 for a partner that does not exist, as the scorecards and KPIs do, not an empty calendar', async () => {
      const res = await service.api('/api/contract-visits/calendar?partnerId=nope', { token: planner });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'partner nope not found' });
      const kpis = await service.api('/api/kpis?partnerId=nope', { token: planner });
      expect([kpis.status, kpis.body.message]).toEqual([404, res.body.message]);
    });
  });
});
