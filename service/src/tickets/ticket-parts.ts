import { ConflictError, type PartUsed, ValidationError } from '@aftercare/core';
import type { Actor } from '../principal.ts';
import { endReservation, insertPartUsed, takeUnreserved } from '../stock/stock-operations.ts';
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
 * ticket, inside the caller's transaction; answers the change for the ticket's audit log.
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
    const part = await db.selectFrom('parts').select('sku').where('sku', '=', input.sku).executeTakeFirst();
    if (!part) throw new ValidationError(`sku: ${input.sku} is not in the parts catalogue`);
    if (!(await takeUnreserved(db, input.locationId, input.sku, quantity, now)))
      throw new ConflictError(
        `location ${input.locationId} has fewer than ${quantity} unreserved ${input.sku}`,
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
