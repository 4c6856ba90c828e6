import { AftercareError, type Ticket } from '@aftercare/core';
import type { Actor } from '../principal.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import { deliveriesMissingTheVisit } from './late-parts.ts';
import { moveReservedPartsToTechnician, type PartMove } from './parts-follow-technician.ts';
import type { PlanningData } from './planning-data.ts';
import { sourceTicketPart } from './source-ticket-part.ts';
import { type PartOutcome, partRequestsFor, partsOfTicket } from './ticket-part-sourcing.ts';

/** What `tickets.assign` takes: the technician, the appointment, and optionally why and on which version. */
export type ReassignInput = Parameters<TicketRepository['assign']>[1];

export interface Reassignment {
  /** The ticket as it is now, after the assignment and whatever its parts did. */
  ticket: Ticket;
  /** Who had the job just before this assignment (as its audit entry says); null when nobody did. */
  previousTechnicianId: string | null;
  /**
   * What became of each part that was with another technician than the ticket's, one entry a part:
   * moved (`reserved`, `transfer`, `redirected`), or not and why (`kept_on_previous_van`,
   * `unavailable`, `no_destination`, `refused`). Empty when nothing had to move.
   */
  moves: PartMove[];
  /**
   * Why some parts could not follow (a unit taken or a reservation ended by someone else meanwhile),
   * one reason a refused part; null when none was refused. The job is with its new technician all the
   * same, the parts that could move did, and the next sourcing of a refused part moves it.
   */
  partsRefused: string | null;
  /**
   * Deliveries on their way that miss the new appointment (too late, or bound for the van the job
   * left), one entry a part: replaced by a unit that arrives in time (`reserved`, `transfer`), or
   * still missing it (`unavailable`, with when the part can be there). Empty when every part is in time.
   */
  lateParts: { sku: string; outcome: PartOutcome }[];
}

/**
 * Rounds of making the parts follow the ticket's technician. Another round is taken only when a
 * concurrent reassignment landed while this one moved parts; three cover any realistic race.
 */
const rounds = 3;

/**
 * (Re)assigns a ticket through `tickets.assign` (which checks status, skill and certification) and
 * makes its parts follow the technician the ticket ends up with (`moveReservedPartsToTechnician`):
 * a reservation on another technician's van is sourced again for them, a transfer on the road to that
 * van is sent on when it still arrives in time. Only the assignment can refuse: a refusal of a part
 * (stock taken meanwhile) is reported in `moves` and `partsRefused`, the job stays moved. Giving the
 * same technician a new appointment moves no reservation (their parts are already on their van). A
 * delivery still on its way that now misses the visit (it lands too late for the new time, or at the
 * van of the technician the job left and could not be sent on in time) is replaced when a unit can be
 * there in time (`lateParts`).
 */
export async function reassignTicket(
  data: PlanningData,
  ticketId: string,
  input: ReassignInput,
  actor: Actor,
  options: { now: number },
): Promise<Reassignment> {
  const { tickets } = data.repositories;
  const assigned = await tickets.assign(ticketId, input, actor);
  // Who had the job before comes from the audit entry the assignment wrote in its own transaction
  // (numbered with the version it produced): a read of the ticket beforehand could be overtaken.
  const previous = (await tickets.auditEntry(ticketId, assigned.version))?.data?.previousTechnicianId;
  const previousTechnicianId = typeof previous === 'string' ? previous : null;
  // The parts go to whoever holds the ticket now, not to whoever this call assigned, nor judged by who
  // had it before: a concurrent reassignment may land before or while ours moves parts, or read the
  // parts before our moves land. So after moving, read the ticket again and, if its technician changed
  // meanwhile, move again towards the new one: every call checks its own moves against the ticket's
  // technician last, so whichever call finishes last leaves the parts with that technician.
  const moves: PartMove[] = [];
  const reasons: string[] = [];
  let ticket: Ticket = assigned;
  for (let round = 1; ; round++) {
    try {
      moves.push(...(await moveReservedPartsToTechnician(data, ticket, { now: options.now, actor })));
    } catch (err) {
      if (!(err instanceof AftercareError)) throw err;
      reasons.push(err.message);
    }
    // The parts' changes are written on the ticket too (audit, version): hand back what it is now.
    const current = (await tickets.get(ticketId)) ?? ticket;
    const settled = current.technicianId === ticket.technicianId;
    ticket = current;
    if (settled || round === rounds) break;
  }
  for (const move of moves)
    if (move.outcome.kind === 'refused') reasons.push(`${move.sku}: ${move.outcome.reason}`);
  const lateParts = await replaceLateParts(data, ticket, { now: options.now, actor });
  if (lateParts.length > 0) ticket = (await tickets.get(ticketId)) ?? ticket;
  return {
    ticket,
    previousTechnicianId,
    moves,
    partsRefused: reasons.length > 0 ? reasons.join('; ') : null,
    lateParts,
  };
}

/**
 * Deliveries on their way that miss the visit as it now stands (`deliveriesMissingTheVisit`): each such
 * part is sourced again for the appointment (`sourceTicketPart`), which takes a unit that arrives in
 * time and calls the other back, or keeps it and says when it reaches the technician.
 */
async function replaceLateParts(
  data: PlanningData,
  ticket: Ticket,
  options: { now: number; actor: Actor },
): Promise<Reassignment['lateParts']> {
  if (ticket.appointment === null || ticket.technicianId === null) return [];
  const { held, moving } = await partsOfTicket(data, ticket.id);
  const late = (
    await deliveriesMissingTheVisit(
      data,
      moving,
      { technicianId: ticket.technicianId, visitStart: ticket.appointment.start },
      options.now,
    )
  )
    .map((m) => m.transfer)
    .filter((t) => !held.some((r) => r.sku === t.sku));
  if (late.length === 0) return [];
  const request = await partRequestsFor(data, ticket);
  if (request === null) return [];
  const found: Reassignment['lateParts'] = [];
  for (const sku of new Set(late.map((t) => t.sku))) {
    const outcome = await sourceTicketPart(data, request(sku, 1), options);
    if (outcome.kind !== 'already_sourced') found.push({ sku, outcome });
  }
  return found;
}
