import type { Ticket } from '@aftercare/core';
import { type KyselyPlugin, SelectQueryNode, sql, TableNode } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aStockLocation } from '../../test/support/factories.ts';
import { aCorrectiveTicket, aStockWorld, type ServiceScene } from '../../test/support/stock-world.ts';
import { planner, type Repositories, technicianActor, ticketOnSite } from '../../test/support/world.ts';
import type { ServiceDatabase } from '../db/database.ts';
import { InsufficientStockError } from '../errors.ts';
import { StockRepository } from './stock-repository.ts';

/** Notes the table of every SELECT run through the database it is plugged into. */
function selectsFrom(tables: string[]): KyselyPlugin {
  return {
    transformQuery({ node }) {
      if (SelectQueryNode.is(node))
        for (const from of node.from?.froms ?? [])
          if (TableNode.is(from)) tables.push(from.table.identifier.name);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
}

describe('StockRepository', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let scene: ServiceScene;
  let warehouse: string;

  beforeEach(async () => {
    ({ db, repos, scene, warehouse } = await aStockWorld());
  });
  afterEach(() => db.destroy());

  const aTicket = (): Promise<Ticket> => aCorrectiveTicket(repos, scene);

  describe('reservePart', () => {
    it('reserves units for a ticket and records it in the ticket audit', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 5);
      const ticket = await aTicket();
      const reservation = await repos.stock.reservePart(ticket.id, 'AC-CAP', warehouse, { quantity: 2 });
      expect(reservation).toMatchObject({
        ticketId: ticket.id,
        sku: 'AC-CAP',
        quantity: 2,
        status: 'reserved',
      });
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({
        onHand: 5,
        reserved: 2,
        available: 3,
      });
      expect((await repos.tickets.detail(ticket.id)).audit.at(-1)).toMatchObject({
        action: 'part_reserved',
        data: { reservationId: reservation.id, sku: 'AC-CAP', locationId: warehouse, quantity: 2 },
      });
    });

    it('refuses more than is unreserved, and changes nothing', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const [first, second] = [await aTicket(), await aTicket()];
      await repos.stock.reservePart(first.id, 'AC-CAP', warehouse);
      await expect(repos.stock.reservePart(second.id, 'AC-CAP', warehouse)).rejects.toThrow(
        InsufficientStockError,
      );
      await expect(repos.stock.reservePart(second.id, 'AC-COMP', warehouse)).rejects.toThrow(
        InsufficientStockError,
      );
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 1, reserved: 1 });
      expect((await repos.tickets.detail(second.id)).audit).toHaveLength(1);
    });

    it('never gives the same unit to two tickets when forty reservations race for ten units', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 10);
      const tickets = await Promise.all(Array.from({ length: 40 }, () => aTicket()));
      const results = await Promise.allSettled(
        tickets.map((t) => repos.stock.reservePart(t.id, 'AC-CAP', warehouse)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(10);
      expect(lost.every((r) => (r as PromiseRejectedResult).reason instanceof InsufficientStockError)).toBe(
        true,
      );
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({
        onHand: 10,
        reserved: 10,
        available: 0,
      });
      const reservations = await db
        .selectFrom('stock_reservations')
        .select(['ticket_id', 'quantity'])
        .execute();
      expect(reservations).toHaveLength(10);
      expect(new Set(reservations.map((r) => r.ticket_id)).size).toBe(10);
    });

    it('never reserves more than is on hand under racing multi-unit reservations of different sizes', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 7);
      const tickets = await Promise.all(Array.from({ length: 12 }, () => aTicket()));
      await Promise.allSettled(
        tickets.map((t, i) => repos.stock.reservePart(t.id, 'AC-CAP', warehouse, { quantity: (i % 3) + 1 })),
      );
      const level = (await repos.stock.level(warehouse, 'AC-CAP'))!;
      const { total } = await db
        .selectFrom('stock_reservations')
        .select((eb) => eb.fn.sum<number>('quantity').as('total'))
        .where('status', '=', 'reserved')
        .executeTakeFirstOrThrow();
      expect(level.reserved).toBe(Number(total));
      expect(level.reserved).toBeLessThanOrEqual(7);
      expect(level.reserved).toBeGreaterThanOrEqual(6);
    });

    it('has the table refuse reserving beyond what is on hand, even to a raw UPDATE', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 2);
      await expect(
        sql`update stock_levels set reserved = 3 where sku = 'AC-CAP'`.execute(db),
      ).rejects.toThrow(/CHECK constraint/);
      await expect(
        sql`update stock_levels set on_hand = -1 where sku = 'AC-CAP'`.execute(db),
      ).rejects.toThrow(/CHECK constraint/);
    });

    it('refuses, naming the field, a location that does not exist, a part not in the catalogue, and one that does not fit', async () => {
      await repos.stock.receive(warehouse, 'WP-UVLAMP', 1);
      const ticket = await aTicket();
      await expect(repos.stock.reservePart(ticket.id, 'NO-SUCH-PART', 'loc-nowhere')).rejects.toThrow(
        'locationId: there is no stock location loc-nowhere',
      );
      await expect(repos.stock.reservePart(ticket.id, 'NO-SUCH-PART', warehouse)).rejects.toThrow(
        'sku: NO-SUCH-PART is not in the parts catalogue',
      );
      await expect(repos.stock.reservePart(ticket.id, 'WP-UVLAMP', warehouse)).rejects.toThrow(
        /^sku: WP-UVLAMP is a water-purifier part; it does not fit this job's /,
      );
      expect(await repos.stock.level(warehouse, 'WP-UVLAMP')).toMatchObject({ onHand: 1, reserved: 0 });
    });

    it('reads the part from the catalogue once', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const ticket = await aTicket();
      const tables: string[] = [];
      const stock = new StockRepository(db.withPlugin(selectsFrom(tables)), { clock: repos.clock });
      await stock.reservePart(ticket.id, 'AC-CAP', warehouse);
      expect(tables.filter((t) => t === 'parts')).toEqual(['parts']);
    });

    it('reserves only for work still to do', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 2);
      const ticket = await aTicket();
      await repos.tickets.transition(ticket.id, { to: 'cancelled', reason: 'duplicate' }, planner);
      await expect(repos.stock.reservePart(ticket.id, 'AC-CAP', warehouse)).rejects.toThrow(
        /is cancelled: parts are reserved only/,
      );
    });
  });

  describe('releaseReservation', () => {
    it('puts the units back exactly once', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const reservation = await repos.stock.reservePart((await aTicket()).id, 'AC-CAP', warehouse);
      await repos.stock.releaseReservation(reservation.id, { reason: 'part not needed' });
      await expect(repos.stock.releaseReservation(reservation.id)).rejects.toThrow(/no longer reserved/);
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 1, reserved: 0 });
      expect(await repos.stock.getReservation(reservation.id)).toMatchObject({ status: 'released' });
    });
  });

  describe('consumption at completion', () => {
    it('takes a consumed reservation off the shelf, and van stock used without one', async () => {
      const van = await repos.stock.createLocation(
        aStockLocation({
          name: 'Van 1',
          kind: 'van',
          partnerId: scene.partner.id,
          technicianId: scene.technician.id,
        }),
      );
      await repos.stock.receive(warehouse, 'AC-CAP', 2);
      await repos.stock.receive(van.id, 'AC-FILTER', 4);
      const ticket = await aTicket();
      const reservation = await repos.stock.reservePart(ticket.id, 'AC-CAP', warehouse);
      await ticketOnSite(repos, ticket, scene.technician.id);
      const tech = technicianActor(scene.technician.id);
      const fitted = { reservationId: reservation.id, removedSerial: 'CAP-OLD-1' };
      await repos.tickets.recordPartUsed(ticket.id, fitted, tech);
      await repos.tickets.recordPartUsed(
        ticket.id,
        { sku: 'AC-FILTER', locationId: van.id, quantity: 2 },
        tech,
      );
      await expect(repos.tickets.recordPartUsed(ticket.id, fitted, tech)).rejects.toThrow(/not reserved/);
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 1, reserved: 0 });
      expect(await repos.stock.level(van.id, 'AC-FILTER')).toMatchObject({ onHand: 2, reserved: 0 });
    });

    it('records parts only while the technician is on site', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const ticket = await aTicket();
      await expect(
        repos.tickets.recordPartUsed(ticket.id, { sku: 'AC-CAP', locationId: warehouse }, planner),
      ).rejects.toThrow(/the ticket is open: parts are recorded while the technician is on site/);
    });
  });
});
