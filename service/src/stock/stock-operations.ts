import {
  NotFoundError,
  type PartUsed,
  type Reservation,
  type Transfer,
  ValidationError,
} from '@aftercare/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import { newId } from '../db/query-helpers.ts';
import type {
  ServiceTables,
  StockReservationsTable,
  StockTransfersTable,
  TicketPartsUsedTable,
} from '../db/tables.ts';
import { InsufficientStockError } from '../errors.ts';

/*
 * Stock moves as statements that run inside the caller's transaction. Every decrement is one
 * conditional UPDATE whose WHERE holds the invariant (`on_hand - reserved >= qty`) and whose affected
 * row count says whether it happened: two writers can never both take the last unit, on SQLite's
 * single writer or under PostgreSQL's row locks, and the table's CHECKs back it up.
 */

type Db = Kysely<ServiceTables>;

export function toReservation(row: Selectable<StockReservationsTable>): Reservation {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    locationId: row.location_id,
    sku: row.sku,
    quantity: row.quantity,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toTransfer(row: Selectable<StockTransfersTable>): Transfer {
  return {
    id: row.id,
    fromLocationId: row.from_location_id,
    toLocationId: row.to_location_id,
    sku: row.sku,
    quantity: row.quantity,
    ticketId: row.ticket_id,
    status: row.status,
    createdAt: row.created_at,
    etaAt: row.eta_at,
    arrivedAt: row.arrived_at,
  };
}

export function toPartUsed(row: Selectable<TicketPartsUsedTable>): PartUsed {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    sku: row.sku,
    quantity: row.quantity,
    locationId: row.location_id,
    reservationId: row.reservation_id,
    removedSerial: row.removed_serial,
    recordedBy: row.recorded_by,
    at: row.at,
  };
}

/** Adds stock at a location, creating its level row on first receipt. */
export async function addOnHand(db: Db, locationId: string, sku: string, quantity: number, now: number) {
  await db
    .insertInto('stock_levels')
    .values({ location_id: locationId, sku, on_hand: quantity, reserved: 0, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['location_id', 'sku']).doUpdateSet({
        on_hand: sql`stock_levels.on_hand + excluded.on_hand`,
        updated_at: now,
      }),
    )
    .execute();
}

/** Marks `quantity` units as reserved if that many are unreserved; false (and no change) otherwise. */
export async function holdUnits(db: Db, locationId: string, sku: string, quantity: number, now: number) {
  const result = await db
    .updateTable('stock_levels')
    .set({ reserved: sql`reserved + ${quantity}`, updated_at: now })
    .where('location_id', '=', locationId)
    .where('sku', '=', sku)
    .where(sql<boolean>`on_hand - reserved >= ${quantity}`)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Takes `quantity` unreserved units off the shelf if there are that many; false (and no change) otherwise. */
export async function takeUnreserved(db: Db, locationId: string, sku: string, quantity: number, now: number) {
  const result = await db
    .updateTable('stock_levels')
    .set({ on_hand: sql`on_hand - ${quantity}`, updated_at: now })
    .where('location_id', '=', locationId)
    .where('sku', '=', sku)
    .where(sql<boolean>`on_hand - reserved >= ${quantity}`)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function reserveUnits(
  db: Db,
  input: { ticketId: string; sku: string; locationId: string; quantity: number },
  now: number,
): Promise<Reservation> {
  if (!(await holdUnits(db, input.locationId, input.sku, input.quantity, now))) {
    throw new InsufficientStockError(input.sku, input.locationId, input.quantity);
  }
  const row: Selectable<StockReservationsTable> = {
    id: newId(),
    ticket_id: input.ticketId,
    location_id: input.locationId,
    sku: input.sku,
    quantity: input.quantity,
    status: 'reserved',
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('stock_reservations').values(row).execute();
  return toReservation(row);
}

/**
 * Ends a reservation as consumed (the units leave stock) or released (they become available again).
 * The status flip is conditional on `reserved`, so a reservation ends exactly once.
 */
export async function endReservation(
  db: Db,
  reservationId: string,
  outcome: 'consumed' | 'released',
  now: number,
): Promise<Reservation | null> {
  const row = await db
    .selectFrom('stock_reservations')
    .selectAll()
    .where('id', '=', reservationId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('reservation', reservationId);
  const flipped = await db
    .updateTable('stock_reservations')
    .set({ status: outcome, updated_at: now })
    .where('id', '=', reservationId)
    .where('status', '=', 'reserved')
    .executeTakeFirst();
  if (flipped.numUpdatedRows === 0n) return null;
  await db
    .updateTable('stock_levels')
    .set({
      reserved: sql`reserved - ${row.quantity}`,
      ...(outcome === 'consumed' ? { on_hand: sql`on_hand - ${row.quantity}` } : {}),
      updated_at: now,
    })
    .where('location_id', '=', row.location_id)
    .where('sku', '=', row.sku)
    .execute();
  return toReservation({ ...row, status: outcome, updated_at: now });
}

/** Releases every reservation a ticket still holds. */
export async function releaseTicketReservations(db: Db, ticketId: string, now: number): Promise<void> {
  const held = await db
    .selectFrom('stock_reservations')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'reserved')
    .execute();
  for (const { id } of held) await endReservation(db, id, 'released', now);
}

/**
 * Calls back the ticket's transfers still on the road, when the job will not need their parts (the
 * ticket cancelled, fixed remotely, or its repair taken out of a visit): their units count at the
 * origin again, as a transfer called back by hand does. Answers the transfers called back.
 */
export async function callBackTicketTransfers(db: Db, ticketId: string, now: number): Promise<string[]> {
  const moving = await db
    .selectFrom('stock_transfers')
    .select(['id', 'from_location_id', 'sku', 'quantity'])
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'in_transit')
    .execute();
  const called: string[] = [];
  for (const t of moving) {
    const result = await db
      .updateTable('stock_transfers')
      .set({ status: 'cancelled' })
      .where('id', '=', t.id)
      .where('status', '=', 'in_transit')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) continue;
    await addOnHand(db, t.from_location_id, t.sku, t.quantity, now);
    called.push(t.id);
  }
  return called;
}

export async function insertPartUsed(
  db: Db,
  input: Omit<Selectable<TicketPartsUsedTable>, 'id'>,
): Promise<PartUsed> {
  const row = { id: newId(), ...input };
  await db.insertInto('ticket_parts_used').values(row).execute();
  return toPartUsed(row);
}

export async function loadTransfer(db: Db, id: string): Promise<Selectable<StockTransfersTable>> {
  const row = await db.selectFrom('stock_transfers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('transfer', id);
  return row;
}

/** Refuses, naming the field, a location that does not exist. */
export async function assertLocation(db: Db, locationId: string): Promise<void> {
  const location = await db
    .selectFrom('stock_locations')
    .select('id')
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (!location) throw new ValidationError(`locationId: there is no stock location ${locationId}`);
}

/** Refuses, naming the field, a location or SKU that does not exist. */
export async function assertLocationAndPart(db: Db, locationId: string, sku: string): Promise<void> {
  await assertLocation(db, locationId);
  const part = await db.selectFrom('parts').select('sku').where('sku', '=', sku).executeTakeFirst();
  if (!part) throw new ValidationError(`sku: ${sku} is not in the parts catalogue`);
}
