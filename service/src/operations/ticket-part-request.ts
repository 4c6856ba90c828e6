import {
  ConflictError,
  failureMode,
  notBegunStatuses,
  type PartSourcing,
  type Reservation,
  type Ticket,
  type Transfer,
} from '@aftercare/core';
import { InvalidTransitionError } from '../errors.ts';
import type { Actor } from '../principal.ts';
import type { PlanningData } from './planning-data.ts';
import { sourcePartForTicket } from './source-ticket-part.ts';
import { type PartOutcome, partsOfTicket } from './ticket-part-sourcing.ts';

/** A job whose part may still be found: nobody has finished or given up on it. */
const stillToDo = new Set<Ticket['status']>(notBegunStatuses);

/**
 * Finds a job's part as the automation does when it plans the job (`sourceTicketPart`), on a planner's
 * word: after a transfer was called back, stock came in, or the job changed hands. The part is the one
 * the knowledge base gives the ticket's failure mode; it must be with the technician by the appointment
 * (or, unbooked, by the latest start that still meets the SLA). A job that already holds the part, or
 * awaits it in time, is left as it is; one awaiting it too late gets a unit in time when one can be had.
 */
export async function findTicketPart(
  data: PlanningData,
  ticket: Ticket,
  options: { now: number; actor: Actor },
): Promise<PartSourcing> {
  if (!stillToDo.has(ticket.status))
    throw new InvalidTransitionError(
      `the ticket is ${ticket.status}: only a job not yet started has a part to find`,
    );
  const device = await data.repositories.devices.get(ticket.deviceId);
  const mode = device && ticket.failureMode ? failureMode(device.model, ticket.failureMode) : undefined;
  if (!mode?.part)
    throw new ConflictError(
      mode
        ? `${mode.label} is fixed without a spare part`
        : 'the ticket names no failure mode, so no part is known to be needed; reserve one by hand',
    );
  const position = await data.positionOf(ticket);
  if (!position)
    throw new ConflictError('the device has neither a site nor a location: nowhere to bring the part');
  const outcome = await sourcePartForTicket(
    data,
    ticket,
    { sku: mode.part, sitePosition: position, durationMinutes: mode.repairMinutes, earliest: options.now },
    options,
  );
  const { held, moving } = await partsOfTicket(data, ticket.id);
  const reservation = reservationOf(outcome) ?? held.find((r) => r.sku === mode.part) ?? null;
  const transfer = transferOf(outcome) ?? moving.find((t) => t.sku === mode.part) ?? null;
  return {
    ticketId: ticket.id,
    sku: mode.part,
    outcome: outcome.kind,
    reservation,
    transfer,
    earliestAt: outcome.kind === 'unavailable' && outcome.reason === 'too_late' ? outcome.earliestAt : null,
    message: describeOutcome(outcome, mode.part),
  };
}

function reservationOf(outcome: PartOutcome): Reservation | null {
  return outcome.kind === 'reserved' ? outcome.reservation : null;
}

function transferOf(outcome: PartOutcome): Transfer | null {
  return outcome.kind === 'transfer' || outcome.kind === 'redirected' ? outcome.transfer : null;
}

const handoverWords: Record<string, string> = {
  on_van: "on the technician's van",
  pickup_on_route: 'at a depot on the way, for pick-up',
  warehouse_delivery: 'at the warehouse, delivered to the site',
};

function describeOutcome(outcome: PartOutcome, sku: string): string {
  switch (outcome.kind) {
    case 'already_sourced':
      return `The job already holds ${sku} or has it on the way: nothing changed.`;
    case 'reserved':
      return `Reserved ${sku} ${handoverWords[outcome.handover] ?? outcome.handover}.`;
    case 'transfer':
      return `${sku} is on its way, due ${new Date(outcome.transfer.etaAt).toISOString()}, before the appointment.`;
    case 'redirected':
      return `${sku} on the road to the previous technician's van was sent on to the new one's.`;
    case 'kept_on_previous_van':
      return `${sku} stays on the previous technician's van: ${outcome.reason}.`;
    case 'no_destination':
      return `${sku} is in stock, but the network has no van or depot to send it to.`;
    case 'unavailable':
      return outcome.reason === 'out_of_stock'
        ? `No ${sku} is free anywhere: order it from the supplier.`
        : `No ${sku} can reach the job before the appointment; the earliest is ${new Date(outcome.earliestAt).toISOString()}: move the appointment after it.`;
  }
}
