import { ConflictError, type Reservation, type Ticket, type Transfer } from '@aftercare/core';
import { type PartsDecision, type PartsJob, sourcePart } from '../automation/parts-sourcing.ts';
import { InsufficientStockError } from '../errors.ts';
import type { Actor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import type { PlanningData } from './planning-data.ts';

/*
 * A ticket's part as the parts planner sources it, and what the ticket holds and awaits: shared by
 * the sourcing of a ticket's part (source-ticket-part.ts) and the parts that follow a technician
 * when the ticket changes hands (parts-follow-technician.ts).
 */

/** The parts planner's job (`PartsJob`) for a ticket: its id is the ticket's. */
export interface PartRequest extends Omit<PartsJob, 'jobId'> {
  ticket: Ticket;
}

export type PartOutcome =
  /** The ticket already holds the part, or it is already on its way. */
  | { kind: 'already_sourced' }
  | { kind: 'reserved'; reservation: Reservation; handover: string }
  | { kind: 'transfer'; transfer: Transfer }
  /** A transfer on its way to the previous technician's van was sent on to the new technician's. */
  | { kind: 'redirected'; transfer: Transfer }
  /** Stock exists, but the network has no van or depot to send it to (only possible without depots). */
  | { kind: 'no_destination'; fromLocationId: string }
  /**
   * The part was on the previous technician's van and nothing else reaches the new one in time: the
   * reservation stays on that van, to be handed over by hand.
   */
  | { kind: 'kept_on_previous_van'; locationId: string; reason: string }
  | Extract<PartsDecision, { kind: 'unavailable' }>;

/**
 * The parts planner's requests for a booked or assigned ticket's parts: for its technician (from their
 * home base), by its appointment (unbooked: its SLA). Null when it has no technician, or no place or
 * technician record to plan from.
 */
export async function partRequestsFor(
  data: PlanningData,
  ticket: Ticket,
): Promise<((sku: string, quantity: number) => PartRequest) | null> {
  if (ticket.technicianId === null) return null;
  const [position, technician] = await Promise.all([
    data.positionOf(ticket),
    data.technician(ticket.technicianId),
  ]);
  if (position === null || technician === null) return null;
  const appointmentStart = ticket.appointment?.start ?? ticket.slaDueAt;
  return (sku, quantity) => ({
    ticket,
    sku,
    quantity,
    sitePosition: position,
    appointmentStart,
    priority: rankOfTicketPriority[ticket.priority],
    technician: { id: technician.id, homeBase: technician.home },
  });
}

/** Attempts when the stock read for the decision was taken by someone else before it was applied. */
const attempts = 3;

/** What a ticket holds (its reservations) and awaits (its transfers on the road). */
export async function partsOfTicket(
  data: PlanningData,
  ticketId: string,
): Promise<{ held: Reservation[]; moving: Transfer[] }> {
  const [held, moving] = await Promise.all([
    data.repositories.stock.listReservations({ ticketId, status: 'reserved', limit: 100, offset: 0 }),
    data.repositories.transfers.listTransfers({ ticketId, status: 'in_transit', limit: 100, offset: 0 }),
  ]);
  return { held: held.items, moving: moving.items };
}

/** Sources the part from the stock free right now, whatever the ticket holds. */
export async function sourceFresh(
  data: PlanningData,
  request: PartRequest,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const { stock, transfers } = data.repositories;
  const ticketId = request.ticket.id;
  const { ticket: _ticket, ...rest } = request;
  const job: PartsJob = { ...rest, jobId: ticketId };
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
