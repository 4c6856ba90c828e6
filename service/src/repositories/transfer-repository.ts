import {
  ConflictError,
  type CreateTransferBody,
  formatDateTimeIn,
  NotFoundError,
  type Page,
  type PartReturn,
  type PartReturnDue,
  type PartReturnReceived,
  type RecordPartReturnBody,
  type Transfer,
  type TransferStatus,
  ValidationError,
} from '@aftercare/core';
import type { Selectable } from 'kysely';
import type { ServiceDatabase } from '../db/database.ts';
import { type PageRequest, readPage } from '../db/page-query.ts';
import { planningZoneOf } from '../db/planning-zone.ts';
import { newId } from '../db/query-helpers.ts';
import type { PartReturnsTable } from '../db/tables.ts';
import type { EventBus } from '../events/event-bus.ts';
import { type Actor, systemActor } from '../principal.ts';
import { outstandingReturns, receivedReturns } from '../stock/part-return-reads.ts';
import {
  addOnHand,
  assertLocation,
  holdUnits,
  loadTransfer,
  takeUnreserved,
  toTransfer,
} from '../stock/stock-operations.ts';
import { activeStatuses } from '../tickets/ticket-lifecycle.ts';
import { assertPartFitsTicket, loadFittedPart } from '../tickets/ticket-parts.ts';
import { applyTicketChange, type Db, loadTicket } from '../tickets/ticket-writes.ts';

/** Refuses, as not found, a transfer that is not on its way to a job of this technician. */
async function assertTransferOfTechnician(db: Db, id: string, technicianId: string): Promise<void> {
  const owner = await db
    .selectFrom('stock_transfers')
    .innerJoin('tickets', 'tickets.id', 'stock_transfers.ticket_id')
    .select('tickets.technician_id')
    .where('stock_transfers.id', '=', id)
    .executeTakeFirst();
  if (owner?.technician_id !== technicianId) throw new NotFoundError('transfer', id);
}

/** Labels are copied by hand: case and spaces do not make another unit. */
function sameSerial(a: string, b: string): boolean {
  const plain = (s: string) => s.replace(/\s+/g, '').toUpperCase();
  return plain(a) === plain(b);
}

function toPartReturn(row: Selectable<PartReturnsTable>): PartReturn {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    sku: row.sku,
    serial: row.serial,
    locationId: row.location_id,
    receivedAt: row.received_at,
  };
}

/**
 * Stock on the move: transfers between locations (pre-positioning a part where the job will be)
 * and defective parts coming back from jobs. Transfers for a ticket append to its audit log.
 */
export class TransferRepository {
  private readonly clock: () => number;

  constructor(
    private readonly db: ServiceDatabase,
    private readonly options: { clock?: () => number; events?: EventBus } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Sends units from one location to another: they leave the origin now (only unreserved ones) and
   * count at the destination on arrival. A transfer for a ticket is reserved for it when it arrives.
   */
  async createTransfer(input: CreateTransferBody, options: { actor?: Actor } = {}): Promise<Transfer> {
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { transfer, event } = await this.db.transaction().execute(async (trx) => {
      await assertLocation(trx, input.fromLocationId);
      const part = await loadFittedPart(trx, input.sku, 'sku');
      await assertDestination(trx, input.toLocationId);
      const ticket = input.ticketId === undefined ? null : await loadTicket(trx, input.ticketId);
      // A part sent for a job is reserved for it on arrival: one that cannot be fitted there must not travel.
      if (ticket !== null) await assertPartFitsTicket(trx, ticket, part);
      if (!(await takeUnreserved(trx, input.fromLocationId, input.sku, input.quantity, now))) {
        throw new ConflictError(
          `location ${input.fromLocationId} has fewer than ${input.quantity} unreserved ${input.sku} to send`,
        );
      }
      const row = {
        id: newId(),
        from_location_id: input.fromLocationId,
        to_location_id: input.toLocationId,
        sku: input.sku,
        quantity: input.quantity,
        ticket_id: input.ticketId ?? null,
        status: 'in_transit' as const,
        created_at: now,
        eta_at: input.etaAt,
        arrived_at: null,
      };
      await trx.insertInto('stock_transfers').values(row).execute();
      const event = await auditTransfer(trx, ticket, { action: 'transfer_created' }, row, actor, now);
      return { transfer: toTransfer(row), event };
    });
    if (event) this.options.events?.publish(event);
    return transfer;
  }

  /**
   * The units arrive: counted at the destination, and reserved for the ticket when it still needs them.
   * With `technicianId` (a technician saying the part is in hand), only a transfer bound to a ticket
   * assigned to that technician is theirs to receive; any other answers not found, as a missing one.
   */
  async markTransferArrived(
    id: string,
    options: { actor?: Actor; technicianId?: string | undefined } = {},
  ): Promise<Transfer> {
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { transfer, event } = await this.db.transaction().execute(async (trx) => {
      if (options.technicianId !== undefined) await assertTransferOfTechnician(trx, id, options.technicianId);
      const row = await this.flipTransfer(trx, id, 'arrived', now);
      await addOnHand(trx, row.to_location_id, row.sku, row.quantity, now);
      let event = null;
      if (row.ticket_id !== null) {
        const ticket = await loadTicket(trx, row.ticket_id);
        if (
          activeStatuses.includes(ticket.status) &&
          (await holdUnits(trx, row.to_location_id, row.sku, row.quantity, now))
        ) {
          const reservationId = newId();
          await trx
            .insertInto('stock_reservations')
            .values({
              id: reservationId,
              ticket_id: ticket.id,
              location_id: row.to_location_id,
              sku: row.sku,
              quantity: row.quantity,
              status: 'reserved',
              created_at: now,
              updated_at: now,
            })
            .execute();
          event = (
            await applyTicketChange(
              trx,
              ticket,
              { action: 'transfer_arrived', data: { transferId: id, reservationId } },
              actor,
              now,
            )
          ).event;
        }
      }
      return { transfer: toTransfer({ ...row, status: 'arrived', arrived_at: now }), event };
    });
    if (event) this.options.events?.publish(event);
    return transfer;
  }

  /**
   * Sends a transfer still on the road somewhere else (the courier is told on the way): its units
   * count at `toLocationId` when they arrive, expected at `etaAt`. The ticket's audit log says where
   * it was going and why it changed.
   */
  async redirectTransfer(
    id: string,
    input: { toLocationId: string; etaAt: number; reason: string },
    options: { actor?: Actor } = {},
  ): Promise<Transfer> {
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { transfer, event } = await this.db.transaction().execute(async (trx) => {
      const row = await loadTransfer(trx, id);
      await assertDestination(trx, input.toLocationId);
      const result = await trx
        .updateTable('stock_transfers')
        .set({ to_location_id: input.toLocationId, eta_at: input.etaAt })
        .where('id', '=', id)
        .where('status', '=', 'in_transit')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n)
        throw new ConflictError(`transfer ${id} is ${row.status}, no longer in transit`);
      const updated = { ...row, to_location_id: input.toLocationId, eta_at: input.etaAt };
      const ticket = row.ticket_id === null ? null : await loadTicket(trx, row.ticket_id);
      const event = await auditTransfer(
        trx,
        ticket,
        { action: 'transfer_redirected', reason: input.reason },
        { ...updated, from_location_id: row.to_location_id },
        actor,
        now,
      );
      return { transfer: toTransfer(updated), event };
    });
    if (event) this.options.events?.publish(event);
    return transfer;
  }

  /**
   * Calls a transfer back: its units count at the origin again. A transfer sent for a ticket says so in
   * the ticket's audit log, as its sending and arrival do: the job no longer has that part coming.
   */
  async cancelTransfer(id: string, options: { actor?: Actor } = {}): Promise<Transfer> {
    const actor = options.actor ?? systemActor('automation');
    const now = this.clock();
    const { transfer, event } = await this.db.transaction().execute(async (trx) => {
      const row = await this.flipTransfer(trx, id, 'cancelled', now);
      await addOnHand(trx, row.from_location_id, row.sku, row.quantity, now);
      const ticket = row.ticket_id === null ? null : await loadTicket(trx, row.ticket_id);
      const event = await auditTransfer(trx, ticket, { action: 'transfer_cancelled' }, row, actor, now);
      return { transfer: toTransfer({ ...row, status: 'cancelled' }), event };
    });
    if (event) this.options.events?.publish(event);
    return transfer;
  }

  async getTransfer(id: string): Promise<Transfer | null> {
    const row = await this.db
      .selectFrom('stock_transfers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toTransfer(row) : null;
  }

  async listTransfers(filter: {
    status?: TransferStatus | undefined;
    locationId?: string | undefined;
    ticketId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<Transfer>> {
    let query = this.db.selectFrom('stock_transfers');
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.ticketId !== undefined) query = query.where('ticket_id', '=', filter.ticketId);
    if (filter.locationId !== undefined) {
      const location = filter.locationId;
      query = query.where((eb) =>
        eb.or([eb('from_location_id', '=', location), eb('to_location_id', '=', location)]),
      );
    }
    return readPage(query, { by: 'created_at', direction: 'desc' }, filter, toTransfer);
  }

  /**
   * A defective part received back from a job. Only a SKU that was used on the ticket can come back
   * for it: a return is the proof that the part replaced was really replaced.
   */
  /**
   * A defective unit is back from a job. It must be of a part fitted there; with a serial, the serial
   * the technician recorded as taken out (when one was), and not a unit received already; without
   * one, not more units than were fitted. A return is what ties a replaced part to the manufacturer's
   * claim, so one box must never count twice nor stand in for another.
   */
  async recordPartReturn(input: RecordPartReturnBody): Promise<PartReturn> {
    return this.db.transaction().execute(async (trx) => {
      const used = await trx
        .selectFrom('ticket_parts_used')
        .select(['quantity', 'removed_serial'])
        .where('ticket_id', '=', input.ticketId)
        .where('sku', '=', input.sku)
        .execute();
      if (used.length === 0)
        throw new ValidationError(`sku: no ${input.sku} was used on ticket ${input.ticketId}`);
      const location = await trx
        .selectFrom('stock_locations')
        .select('id')
        .where('id', '=', input.locationId)
        .executeTakeFirst();
      if (!location) throw new ValidationError(`locationId: there is no stock location ${input.locationId}`);
      const earlier = await trx
        .selectFrom('part_returns')
        .innerJoin('stock_locations', 'stock_locations.id', 'part_returns.location_id')
        .select(['part_returns.serial', 'part_returns.received_at', 'stock_locations.name as location_name'])
        .where('part_returns.ticket_id', '=', input.ticketId)
        .where('part_returns.sku', '=', input.sku)
        .execute();
      const typed = input.serial?.trim();
      const removed = used.flatMap((u) => (u.removed_serial ? [u.removed_serial] : []));
      // Stored as the technician recorded it, so the due list (an exact match) sees the unit back.
      const serial = typed ? (removed.find((r) => sameSerial(r, typed)) ?? typed) : typed;
      if (serial) {
        if (removed.length > 0 && !removed.some((r) => sameSerial(r, serial)))
          throw new ValidationError(
            `serial: ${serial} is not the serial taken out on ticket ${input.ticketId} (${removed.join(', ')})`,
          );
        const twice = earlier.find((e) => e.serial !== null && sameSerial(e.serial, serial));
        if (twice) {
          const when = formatDateTimeIn(twice.received_at, await planningZoneOf(trx));
          throw new ConflictError(
            `${input.sku} ${serial} of ticket ${input.ticketId} was received already, at ${twice.location_name} on ${when}`,
          );
        }
      }
      const fitted = used.reduce((sum, u) => sum + u.quantity, 0);
      if (earlier.length >= fitted)
        throw new ConflictError(
          `every ${input.sku} fitted on ticket ${input.ticketId} is back already (${fitted} fitted, ${earlier.length} received)`,
        );
      const row = {
        id: newId(),
        ticket_id: input.ticketId,
        sku: input.sku,
        serial: serial || null,
        location_id: input.locationId,
        received_at: this.clock(),
      };
      await trx.insertInto('part_returns').values(row).execute();
      return toPartReturn(row);
    });
  }

  async listPartReturns(filter: {
    ticketId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<Page<PartReturn>> {
    let query = this.db.selectFrom('part_returns');
    if (filter.ticketId !== undefined) query = query.where('ticket_id', '=', filter.ticketId);
    return readPage(query, { by: 'received_at', direction: 'desc' }, filter, toPartReturn);
  }

  /** Fitted parts the manufacturer wants back whose defective unit has not been received, oldest first. */
  listOutstandingReturns(
    filter: PageRequest & { fittedBefore?: number | undefined },
  ): Promise<Page<PartReturnDue>> {
    return outstandingReturns(this.db, filter);
  }

  /** Returns received, latest first, with the job each came from. */
  listReceivedReturns(
    filter: PageRequest & { ticketId?: string | undefined },
  ): Promise<Page<PartReturnReceived>> {
    return receivedReturns(this.db, filter);
  }

  private async flipTransfer(trx: Db, id: string, to: 'arrived' | 'cancelled', now: number) {
    const row = await loadTransfer(trx, id);
    const result = await trx
      .updateTable('stock_transfers')
      .set({ status: to, ...(to === 'arrived' ? { arrived_at: now } : {}) })
      .where('id', '=', id)
      .where('status', '=', 'in_transit')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n)
      throw new ConflictError(`transfer ${id} is ${row.status}, no longer in transit`);
    return row;
  }
}

async function assertDestination(trx: Db, locationId: string): Promise<void> {
  const found = await trx
    .selectFrom('stock_locations')
    .select('id')
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (found === undefined)
    throw new ValidationError(`toLocationId: there is no stock location ${locationId}`);
}

/**
 * A transfer's entry in its ticket's audit log (none for a transfer without a ticket), in the caller's
 * transaction: `from` is where the units come from (or, redirected, where they were going).
 */
async function auditTransfer(
  trx: Db,
  ticket: Awaited<ReturnType<typeof loadTicket>> | null,
  step: { action: string; reason?: string },
  transfer: { id: string; sku: string; from_location_id: string; to_location_id: string; eta_at: number },
  actor: Actor,
  now: number,
) {
  if (ticket === null) return null;
  const data = {
    transferId: transfer.id,
    sku: transfer.sku,
    from: transfer.from_location_id,
    to: transfer.to_location_id,
    etaAt: transfer.eta_at,
  };
  return (await applyTicketChange(trx, ticket, { ...step, data }, actor, now)).event;
}
