import { ConflictError, type Reservation, type Ticket, type Transfer } from '@aftercare/core';
import type { Position } from '../automation/geo.ts';
import { type PartsDecision, type PartsJob, sourcePart } from '../automation/parts-sourcing.ts';
import type { Priority } from '../automation/work.ts';
import { InsufficientStockError } from '../errors.ts';
import type { Actor } from '../principal.ts';
import type { PlanningData } from './planning-data.ts';

export interface PartRequest {
  ticket: Ticket;
  sku: string;
  quantity: number;
  sitePosition: Position;
  /** When the technician starts work (the part must be in hand by then). */
  appointmentStart: number;
  priority: Priority;
  /** The assigned technician and where their day starts; null while nobody is assigned. */
  technician: { id: string; homeBase: Position } | null;
}

export type PartOutcome =
  /** The ticket already holds the part, or it is already on its way. */
  | { kind: 'already_sourced' }
  | { kind: 'reserved'; reservation: Reservation; handover: string }
  | { kind: 'transfer'; transfer: Transfer }
  /** Stock exists, but the network has no van or depot to send it to (only possible without depots). */
  | { kind: 'no_destination'; fromLocationId: string }
  | Extract<PartsDecision, { kind: 'unavailable' }>;

/** Attempts when the stock read for the decision was taken by someone else before it was applied. */
const attempts = 3;

/**
 * Makes sure a ticket's part will be where the technician is: the parts planner (`sourcePart`) picks a
 * reservation (technician's van, a depot on the way, the warehouse's delivery) or a transfer that
 * arrives before the appointment, from the stock free right now; the repositories apply it, refusing
 * any unit already promised. Nothing happens when the ticket already holds or awaits the part.
 */
export async function sourceTicketPart(
  data: PlanningData,
  request: PartRequest,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const { stock, transfers } = data.repositories;
  const ticketId = request.ticket.id;
  const [held, moving] = await Promise.all([
    stock.listReservations({ ticketId, status: 'reserved', limit: 100, offset: 0 }),
    transfers.listTransfers({ ticketId, status: 'in_transit', limit: 100, offset: 0 }),
  ]);
  if ([...held.items, ...moving.items].some((x) => x.sku === request.sku)) return { kind: 'already_sourced' };

  const job: PartsJob = {
    jobId: ticketId,
    sitePosition: request.sitePosition,
    sku: request.sku,
    quantity: request.quantity,
    appointmentStart: request.appointmentStart,
    priority: request.priority,
    technician: request.technician,
  };
  for (let attempt = 1; ; attempt++) {
    const decision = sourcePart(job, await data.stockFor(request.sku), { now: options.now });
    try {
      if (decision.kind === 'reserve') {
        const reservation = await stock.reservePart(ticketId, decision.sku, decision.locationId, {
          quantity: decision.quantity,
          actor: options.actor,
        });
        return { kind: 'reserved', reservation, handover: decision.handover };
      }
      if (decision.kind === 'transfer') {
        if (decision.toLocationId === null) {
          return { kind: 'no_destination', fromLocationId: decision.fromLocationId };
        }
        const transfer = await transfers.createTransfer(
          {
            fromLocationId: decision.fromLocationId,
            toLocationId: decision.toLocationId,
            sku: decision.sku,
            quantity: decision.quantity,
            ticketId,
            etaAt: Math.round(decision.arriveAt),
          },
          { actor: options.actor },
        );
        return { kind: 'transfer', transfer };
      }
      return decision;
    } catch (err) {
      // Another ticket took the units between our read and our write: decide again on fresh stock.
      const taken = err instanceof InsufficientStockError || err instanceof ConflictError;
      if (!taken || attempt >= attempts) throw err;
    }
  }
}
