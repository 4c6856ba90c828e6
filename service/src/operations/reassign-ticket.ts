import { AftercareError, type Ticket } from '@aftercare/core';
import type { Actor } from '../principal.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import type { PlanningData } from './planning-data.ts';
import { moveReservedPartsToTechnician, type PartMove } from './source-ticket-part.ts';

/** What `tickets.assign` takes: the technician, the appointment, and optionally why and on which version. */
export type ReassignInput = Parameters<TicketRepository['assign']>[1];

export interface Reassignment {
  /** The ticket as it is now, after the assignment and whatever its parts did. */
  ticket: Ticket;
  /** Who had the job before; null when nobody did. */
  previousTechnicianId: string | null;
  /** What became of the parts that were with the previous technician; empty when nothing had to move. */
  moves: PartMove[];
  /**
   * Why the parts could not follow (a unit taken or a reservation ended by someone else meanwhile):
   * the job is with its new technician all the same, and the next sourcing of the part moves it.
   */
  partsRefused: string | null;
}

/**
 * (Re)assigns a ticket through `tickets.assign` (which checks status, skill and certification) and,
 * when the job changed hands from one technician to another, makes its parts follow it
 * (`moveReservedPartsToTechnician`): a reservation on the previous technician's van is sourced again
 * for the new one, a transfer on the road to that van is sent on when it still arrives in time.
 * Only the assignment can refuse: a refusal of the parts (stock taken meanwhile) is reported in
 * `partsRefused`, the job stays moved. Giving the same technician a new appointment moves nothing.
 */
export async function reassignTicket(
  data: PlanningData,
  ticketId: string,
  input: ReassignInput,
  actor: Actor,
  options: { now: number },
): Promise<Reassignment> {
  const { tickets } = data.repositories;
  const before = await tickets.get(ticketId);
  const assigned = await tickets.assign(ticketId, input, actor);
  const previousTechnicianId = before?.technicianId ?? null;
  const unchanged = { ticket: assigned, previousTechnicianId, moves: [], partsRefused: null };
  if (previousTechnicianId === null || previousTechnicianId === assigned.technicianId) return unchanged;
  let moves: PartMove[] = [];
  let partsRefused: string | null = null;
  try {
    moves = await moveReservedPartsToTechnician(data, assigned, { now: options.now, actor });
  } catch (err) {
    if (!(err instanceof AftercareError)) throw err;
    partsRefused = err.message;
  }
  if (moves.length === 0 && partsRefused === null) return unchanged;
  // The parts' changes are written on the ticket too (audit, version): hand back what it is now.
  const ticket = (await tickets.get(ticketId)) ?? assigned;
  return { ticket, previousTechnicianId, moves, partsRefused };
}
