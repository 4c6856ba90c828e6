import { ConflictError, type DeviceModel, type PartUsed, ValidationError } from '@aftercare/core';
import { isSet } from '../db/query-helpers.ts';
import type { Actor } from '../principal.ts';
import { endReservation, insertPartUsed, takeUnreserved } from '../stock/stock-operations.ts';
import {
  assertMayTakeFrom,
  assertPartFitsModel,
  assertRemovedSerial,
  type FittedPart,
} from './part-fitting.ts';
import type { TicketRow } from './ticket-rows.ts';
import type { Db, TicketChange } from './ticket-writes.ts';

/** A part fitted on a job: a reservation of the ticket, or units taken straight from a location. */
export interface PartUsedInput {
  reservationId?: string | undefined;
  sku?: string | undefined;
  locationId?: string | undefined;
  quantity?: number | undefined;
  removedSerial?: string | undefined;
}

/**
 * Consumes the stock for a part fitted while the technician is on site and records it on the
 * ticket, inside the caller's transaction; answers the change for the ticket's audit log. The part
 * must fit the ticket's device model, loose stock comes from a place the actor may take it from,
 * and a part that goes back to the manufacturer needs the serial of the unit taken out
 * (part-fitting.ts).
 */
export async function recordPartUsed(
  db: Db,
  current: TicketRow,
  input: PartUsedInput,
  actor: Actor,
  now: number,
): Promise<{ used: PartUsed; change: TicketChange }> {
  if (current.status !== 'on_site')
    throw new ConflictError(
      `the ticket is ${current.status}: parts are recorded while the technician is on site`,
    );
  const model = await deviceModelOf(db, current);
  let used: PartUsed;
  if (input.reservationId !== undefined) {
    const reservation = await db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('id', '=', input.reservationId)
      .executeTakeFirst();
    if (!reservation || reservation.ticket_id !== current.id)
      throw new ValidationError(
        `reservationId: ticket ${current.id} has no reservation ${input.reservationId}`,
      );
    const part = await loadFittedPart(db, reservation.sku, 'reservationId');
    assertPartFitsModel(part, model, 'reservationId');
    assertRemovedSerial(part, input.removedSerial);
    if ((await endReservation(db, reservation.id, 'consumed', now)) === null)
      throw new ConflictError(`reservation ${reservation.id} is ${reservation.status}, not reserved`);
    used = await insertPartUsed(db, {
      ticket_id: current.id,
      sku: reservation.sku,
      quantity: reservation.quantity,
      location_id: reservation.location_id,
      reservation_id: reservation.id,
      removed_serial: input.removedSerial ?? null,
      recorded_by: actor.id,
      at: now,
    });
  } else {
    if (input.sku === undefined) throw new ValidationError('sku: is required when no reservationId is given');
    if (input.locationId === undefined)
      throw new ValidationError('locationId: is required when no reservationId is given');
    const quantity = input.quantity ?? 1;
    const part = await loadFittedPart(db, input.sku, 'sku');
    assertPartFitsModel(part, model, 'sku');
    const source = await db
      .selectFrom('stock_locations')
      .select(['id', 'kind', 'technician_id'])
      .where('id', '=', input.locationId)
      .executeTakeFirst();
    if (!source) throw new ValidationError(`locationId: there is no stock location ${input.locationId}`);
    assertMayTakeFrom({ id: source.id, kind: source.kind, technicianId: source.technician_id }, actor);
    assertRemovedSerial(part, input.removedSerial);
    if (!(await takeUnreserved(db, input.locationId, input.sku, quantity, now)))
      throw new ConflictError(
        `locationId: ${input.locationId} has fewer than ${quantity} unreserved ${input.sku}`,
      );
    used = await insertPartUsed(db, {
      ticket_id: current.id,
      sku: input.sku,
      quantity,
      location_id: input.locationId,
      reservation_id: null,
      removed_serial: input.removedSerial ?? null,
      recorded_by: actor.id,
      at: now,
    });
  }
  return {
    used,
    change: {
      action: 'part_used',
      data: { partUsedId: used.id, sku: used.sku, quantity: used.quantity, locationId: used.locationId },
    },
  };
}

/** Refuses, naming `sku`, a catalogue part (loadFittedPart's) that does not fit the ticket's device model. */
export async function assertPartFitsTicket(db: Db, ticket: TicketRow, part: FittedPart): Promise<void> {
  assertPartFitsModel(part, await deviceModelOf(db, ticket), 'sku');
}

/** The device model the ticket's work is on. */
async function deviceModelOf(db: Db, ticket: TicketRow): Promise<DeviceModel> {
  const device = await db
    .selectFrom('devices')
    .select('model')
    .where('id', '=', ticket.device_id)
    .executeTakeFirst();
  if (!device) throw new ConflictError(`ticket ${ticket.id}'s device ${ticket.device_id} is not registered`);
  return device.model;
}

/** The catalogue part behind a SKU; refused, naming `field`, when the catalogue has none. */
export async function loadFittedPart(
  db: Db,
  sku: string,
  field: 'sku' | 'reservationId',
): Promise<FittedPart> {
  const row = await db
    .selectFrom('parts')
    .select(['sku', 'model', 'return_required'])
    .where('sku', '=', sku)
    .executeTakeFirst();
  if (!row) throw new ValidationError(`${field}: ${sku} is not in the parts catalogue`);
  return { sku: row.sku, model: row.model, returnRequired: isSet(row.return_required) };
}
