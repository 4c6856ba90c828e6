import { ConflictError, type Ticket } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aPartner, aStockLocation, hour } from '../../test/support/factories.ts';
import { aCorrectiveTicket, aStockWorld, type ServiceScene } from '../../test/support/stock-world.ts';
import { planner, type Repositories, ticketOnSite } from '../../test/support/world.ts';
import type { ServiceDatabase } from '../db/database.ts';

describe('TransferRepository', () => {
  let db: ServiceDatabase;
  let repos: Repositories;
  let scene: ServiceScene;
  let warehouse: string;
  let depot: string;

  beforeEach(async () => {
    ({ db, repos, scene, warehouse, depot } = await aStockWorld());
  });
  afterEach(() => db.destroy());

  const aTicket = (): Promise<Ticket> => aCorrectiveTicket(repos, scene);

  describe('transfers', () => {
    /** A capacitor sent from the warehouse for a ticket, due in six hours. */
    const capacitorTo = (toLocationId: string, ticket: Ticket) =>
      repos.transfers.createTransfer({
        fromLocationId: warehouse,
        toLocationId,
        sku: 'AC-CAP',
        quantity: 1,
        etaAt: repos.time.now + 6 * hour,
        ticketId: ticket.id,
      });

    it('moves stock out at once and in on arrival, reserving it for the ticket it was sent for', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 3);
      const ticket = await aTicket();
      const transfer = await capacitorTo(depot, ticket);
      expect(transfer).toMatchObject({ status: 'in_transit', arrivedAt: null });
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 2, reserved: 0 });
      expect(await repos.stock.level(depot, 'AC-CAP')).toBeNull();

      repos.time.now += 5 * hour;
      const arrived = await repos.transfers.markTransferArrived(transfer.id);
      expect(arrived).toMatchObject({ status: 'arrived', arrivedAt: repos.time.now });
      expect(await repos.stock.level(depot, 'AC-CAP')).toMatchObject({ onHand: 1, reserved: 1 });
      const detail = await repos.tickets.detail(ticket.id);
      expect(detail.reservations).toMatchObject([{ locationId: depot, sku: 'AC-CAP', status: 'reserved' }]);
      expect(detail.transfers).toMatchObject([{ id: transfer.id, status: 'arrived' }]);
      expect(detail.audit.map((a) => a.action)).toEqual(['opened', 'transfer_created', 'transfer_arrived']);
      await expect(repos.transfers.markTransferArrived(transfer.id)).rejects.toThrow(
        /is arrived, no longer in transit/,
      );
    });

    it('refuses to send a part for a job whose device model it does not fit, and nothing leaves the shelf', async () => {
      await repos.stock.receive(warehouse, 'WP-UVLAMP', 2);
      const ticket = await aTicket();
      await expect(
        repos.transfers.createTransfer({
          fromLocationId: warehouse,
          toLocationId: depot,
          sku: 'WP-UVLAMP',
          quantity: 1,
          etaAt: repos.time.now + 6 * hour,
          ticketId: ticket.id,
        }),
      ).rejects.toThrow(/^sku: WP-UVLAMP is a water-purifier part; it does not fit this job's /);
      expect(await repos.stock.level(warehouse, 'WP-UVLAMP')).toMatchObject({ onHand: 2, reserved: 0 });
      expect((await repos.tickets.detail(ticket.id)).transfers).toEqual([]);
    });

    it('sends only unreserved units and returns them to the origin when called back', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 3);
      await repos.stock.reservePart((await aTicket()).id, 'AC-CAP', warehouse);
      const send = (quantity: number) =>
        repos.transfers.createTransfer({
          fromLocationId: warehouse,
          toLocationId: depot,
          sku: 'AC-CAP',
          quantity,
          etaAt: repos.time.now + hour,
        });
      await expect(send(3)).rejects.toThrow(/fewer than 3 unreserved AC-CAP/);
      const transfer = await send(1);
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 2, reserved: 1 });
      await repos.transfers.cancelTransfer(transfer.id);
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 3, reserved: 1 });
      // A transfer sent for a job, called back, says so in the job's history, with who did it.
      const ticket = await aTicket();
      const forJob = await repos.transfers.createTransfer({
        fromLocationId: warehouse,
        toLocationId: depot,
        sku: 'AC-CAP',
        quantity: 1,
        etaAt: repos.time.now + hour,
        ticketId: ticket.id,
      });
      await repos.transfers.cancelTransfer(forJob.id, { actor: planner });
      const audit = (await repos.tickets.detail(ticket.id)).audit;
      expect(audit.map((a) => a.action)).toEqual(['opened', 'transfer_created', 'transfer_cancelled']);
      expect(audit.at(-1)).toMatchObject({
        actor: planner.id,
        data: { transferId: forJob.id, from: warehouse },
      });
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 3, reserved: 1 });
    });

    it('calls back a part on its way to a job that is cancelled, and lets one for a job a person resolved go on', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 2);
      const dropped = await aTicket();
      const droppedTransfer = await capacitorTo(depot, dropped);
      await repos.tickets.transition(
        dropped.id,
        { to: 'cancelled', reason: 'customer sold the unit' },
        planner,
      );
      expect(await repos.transfers.getTransfer(droppedTransfer.id)).toMatchObject({ status: 'cancelled' });
      // Both units on the warehouse's shelf again.
      expect(await repos.stock.level(warehouse, 'AC-CAP')).toMatchObject({ onHand: 2 });

      // The technician resolved the job on site; a second visit may still want the part.
      const done = await ticketOnSite(repos, await aTicket(), scene.technician.id);
      const doneTransfer = await capacitorTo(depot, done);
      await repos.tickets.transition(done.id, { to: 'resolved', reason: 'cleaned the contacts' }, planner);
      expect(await repos.transfers.getTransfer(doneTransfer.id)).toMatchObject({ status: 'in_transit' });
    });

    it('lists where a part is available, with each location', async () => {
      const other = await repos.partners.createPartner(aPartner());
      const far = await repos.stock.createLocation(
        aStockLocation({ kind: 'partner_depot', partnerId: other.id, lat: 13.1, lon: 77.7 }),
      );
      await repos.stock.receive(warehouse, 'AC-COMP', 2);
      await repos.stock.receive(far.id, 'AC-COMP', 1);
      await repos.stock.reservePart((await aTicket()).id, 'AC-COMP', far.id);
      const available = await repos.stock.availability('AC-COMP');
      expect(available.map((a) => [a.location.id, a.level.available])).toEqual([[warehouse, 2]]);
    });
  });

  describe('recordPartReturn', () => {
    it('accepts back only a part that was used on the ticket', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const ticket = await aTicket();
      await expect(
        repos.transfers.recordPartReturn({ ticketId: ticket.id, sku: 'AC-CAP', locationId: warehouse }),
      ).rejects.toThrow(/^sku: no AC-CAP was used on ticket/);
      await ticketOnSite(repos, ticket, scene.technician.id);
      await repos.tickets.recordPartUsed(
        ticket.id,
        { sku: 'AC-CAP', locationId: warehouse, removedSerial: 'OLD-7' },
        planner,
      );
      const returned = await repos.transfers.recordPartReturn({
        ticketId: ticket.id,
        sku: 'AC-CAP',
        serial: 'OLD-7',
        locationId: warehouse,
      });
      expect(returned).toMatchObject({ ticketId: ticket.id, serial: 'OLD-7', receivedAt: repos.time.now });
    });

    it('takes back the unit taken out, once: not another serial, not the same box twice', async () => {
      await repos.stock.receive(warehouse, 'AC-CAP', 1);
      const ticket = await aTicket();
      await ticketOnSite(repos, ticket, scene.technician.id);
      await repos.tickets.recordPartUsed(
        ticket.id,
        { sku: 'AC-CAP', locationId: warehouse, removedSerial: 'OLD-7' },
        planner,
      );
      const back = (serial?: string) =>
        repos.transfers.recordPartReturn({
          ticketId: ticket.id,
          sku: 'AC-CAP',
          locationId: warehouse,
          ...(serial === undefined ? {} : { serial }),
        });
      await expect(back('OLD-8')).rejects.toThrow(
        `serial: OLD-8 is not the serial taken out on ticket ${ticket.id} (OLD-7)`,
      );
      // Typed as it comes off the label; kept as the serial taken out, and off the due list.
      expect((await back(' old-7 ')).serial).toBe('OLD-7');
      const due = await repos.transfers.listOutstandingReturns({ limit: 50, offset: 0 });
      expect(due.items.filter((d) => d.ticketId === ticket.id)).toEqual([]);
      await expect(back('OLD-7')).rejects.toThrow(ConflictError);
      await expect(back('OLD-7')).rejects.toThrow(/^AC-CAP OLD-7 of ticket .* was received already, at /);
      // One capacitor fitted, one back: a second unit without a serial is refused too.
      await expect(back()).rejects.toThrow(
        /^every AC-CAP fitted on ticket .* is back already \(1 fitted, 1 received\)$/,
      );
      expect(
        (await repos.transfers.listPartReturns({ ticketId: ticket.id, limit: 10, offset: 0 })).total,
      ).toBe(1);
    });
  });
});
