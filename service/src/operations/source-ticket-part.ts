import type { Position } from '../automation/geo.ts';
import { MINUTE_MS } from '../automation/work.ts';
import type { Actor } from '../principal.ts';
import { rankOfTicketPriority } from '../repositories/predictive-ticket-repository.ts';
import { deliveriesMissingTheVisit, replaceLateTransfer } from './late-parts.ts';
import {
  moveReservation,
  redirectTransfersOnTheRoad,
  strandedOnOtherVans,
} from './parts-follow-technician.ts';
import type { PlanningData } from './planning-data.ts';
import { type PartOutcome, type PartRequest, partsOfTicket, sourceFresh } from './ticket-part-sourcing.ts';

/**
 * Sources one unit of `sku` for a ticket as it stands: for its technician (if any) by its appointment,
 * or, unbooked, by the latest start that still meets the SLA (`durationMinutes` before it, not before
 * `earliest`). What the automation's ticket work and a planner's "find the part" both ask.
 */
export async function sourcePartForTicket(
  data: PlanningData,
  ticket: PartRequest['ticket'],
  part: { sku: string; sitePosition: Position; durationMinutes: number; earliest: number },
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const technician = ticket.technicianId === null ? null : await data.technician(ticket.technicianId);
  return sourceTicketPart(
    data,
    {
      ticket,
      sku: part.sku,
      quantity: 1,
      sitePosition: part.sitePosition,
      appointmentStart:
        ticket.appointment?.start ??
        Math.max(part.earliest, ticket.slaDueAt - part.durationMinutes * MINUTE_MS),
      priority: rankOfTicketPriority[ticket.priority],
      technician: technician ? { id: technician.id, homeBase: technician.home } : null,
    },
    options,
  );
}

/**
 * Makes sure a ticket's part will be where the technician is: the parts planner (`sourcePart`) picks a
 * reservation (technician's van, a depot on the way, the warehouse's delivery) or a transfer that
 * arrives before the appointment, from the stock free right now; the repositories apply it, refusing
 * any unit already promised. Nothing happens when the ticket already holds the part or awaits it in
 * time; a delivery that would arrive too late for the appointment, or at a van the job has left, is
 * replaced by a unit that does not (`replaceLateTransfer`), or kept, answering `unavailable` with when
 * it reaches the technician.
 */
export async function sourceTicketPart(
  data: PlanningData,
  request: PartRequest,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const { held, moving } = await partsOfTicket(data, request.ticket.id);
  const stranded = await strandedOnOtherVans(data, held, request.technician?.id ?? null);
  const left = stranded.find((r) => r.sku === request.sku);
  if (left) return moveReservation(data, request, left, options);
  const redirected = await redirectTransfersOnTheRoad(
    data,
    { technicianId: request.technician?.id ?? null, appointmentStart: request.appointmentStart },
    moving,
    options,
  );
  const onItsWay = redirected.find((r) => r.transfer.sku === request.sku);
  if (onItsWay) return { kind: 'redirected', transfer: onItsWay.transfer };
  if (held.some((r) => r.sku === request.sku)) return { kind: 'already_sourced' };
  const coming = moving.filter((t) => t.sku === request.sku);
  if (coming.length === 0) return sourceFresh(data, request, options);
  // On its way, but after the visit needs it (the visit moved earlier) or to a van the job left: a
  // unit in time replaces it.
  const missed = await deliveriesMissingTheVisit(
    data,
    coming,
    {
      technicianId: request.technician?.id ?? null,
      visitStart: request.appointmentStart,
      sitePosition: request.sitePosition,
    },
    options.now,
  );
  if (missed.length < coming.length) return { kind: 'already_sourced' };
  return replaceLateTransfer(data, request, missed[0]!, options);
}
