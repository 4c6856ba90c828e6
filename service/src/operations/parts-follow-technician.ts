import { AftercareError, ConflictError, type Reservation, type Ticket, type Transfer } from '@aftercare/core';
import { driveMinutes, type Position, roadKm } from '../automation/geo.ts';
import { defaultSourcing } from '../automation/parts-sourcing.ts';
import { MINUTE_MS } from '../automation/work.ts';
import { InsufficientStockError } from '../errors.ts';
import type { Actor } from '../principal.ts';
import type { PlanningData } from './planning-data.ts';
import {
  type PartOutcome,
  type PartRequest,
  partRequestsFor,
  partsOfTicket,
  sourceFresh,
} from './ticket-part-sourcing.ts';

/**
 * The ticket's reservations that sit on another technician's van than `technicianId`'s: left behind
 * when the job changed hands. Reservations at depots and the warehouse stay: anyone picks those up.
 */
export async function strandedOnOtherVans(
  data: PlanningData,
  held: readonly Reservation[],
  technicianId: string | null,
): Promise<Reservation[]> {
  if (technicianId === null || held.length === 0) return [];
  const vans = new Map((await data.stockLocations()).filter((l) => l.kind === 'van').map((l) => [l.id, l]));
  return held.filter((r) => {
    const van = vans.get(r.locationId);
    return van !== undefined && van.technicianId !== null && van.technicianId !== technicianId;
  });
}

/**
 * When a part bound for `from` is at `to` if it is sent on from there: once it lands (not before now),
 * then the drive. Both the decision to send a part on and the time a part that misses its visit is
 * said to reach the job come from this, so they cannot disagree.
 */
export function sentOnAt(etaAt: number, now: number, from: Position, to: Position): number {
  return Math.round(Math.max(etaAt, now) + driveMinutes(roadKm(from, to)) * MINUTE_MS);
}

/**
 * Transfers still on the road to another technician's van than the one now doing the job: sent on to
 * the new technician's van when they still arrive there before the appointment (their ETA plus the
 * drive between the two vans, and the handover time); otherwise they carry on, and the unit, once it
 * lands, is a reservation stranded on the old van (`moveReservation`).
 */
export async function redirectTransfersOnTheRoad(
  data: PlanningData,
  job: { technicianId: string | null; appointmentStart: number },
  moving: readonly Transfer[],
  options: { now: number; actor: Actor },
): Promise<{ transfer: Transfer; previousLocationId: string }[]> {
  const { technicianId } = job;
  if (technicianId === null || moving.length === 0) return [];
  const vans = (await data.stockLocations()).filter((l) => l.kind === 'van' && l.technicianId !== null);
  const target = vans.find((v) => v.technicianId === technicianId);
  if (!target) return [];
  const redirected: { transfer: Transfer; previousLocationId: string }[] = [];
  for (const transfer of moving) {
    const previous = vans.find((v) => v.id === transfer.toLocationId && v.technicianId !== technicianId);
    if (!previous) continue;
    const etaAt = sentOnAt(transfer.etaAt, options.now, previous, target);
    if (etaAt + defaultSourcing.handoverMinutes * MINUTE_MS > job.appointmentStart) continue;
    try {
      const sent = await data.repositories.transfers.redirectTransfer(
        transfer.id,
        {
          toLocationId: target.id,
          etaAt,
          reason: `the job moved to technician ${technicianId}: the part goes to their van`,
        },
        { actor: options.actor },
      );
      redirected.push({ transfer: sent, previousLocationId: previous.id });
    } catch (err) {
      // Arrived in the meantime: the reservation it became is moved as a stranded one instead.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return redirected;
}

/**
 * Moves a part left on the previous technician's van to the new one: the reservation is released (the
 * unit is that van's own stock again) and the part sourced anew for the technician of `request`. When
 * nothing else reaches the job in time, or the sourcing is refused, the reservation is put back where
 * it was: the ticket never ends up with less than it had.
 */
export async function moveReservation(
  data: PlanningData,
  request: PartRequest,
  reservation: Reservation,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const { stock } = data.repositories;
  const technicianId = request.technician?.id ?? 'nobody';
  await stock.releaseReservation(reservation.id, {
    actor: options.actor,
    reason: `the job moved to technician ${technicianId}: the part is sourced for them`,
  });
  let outcome: PartOutcome | AftercareError;
  try {
    outcome = await sourceFresh(data, { ...request, quantity: reservation.quantity }, options);
  } catch (err) {
    // Refused after the release (stock taken on every attempt, a transfer refused): the unit goes back
    // as when nothing arrives in time, or the ticket would lose a part it had.
    if (!(err instanceof AftercareError)) throw err;
    outcome = err;
  }
  if (
    !(outcome instanceof AftercareError) &&
    outcome.kind !== 'unavailable' &&
    outcome.kind !== 'no_destination'
  )
    return outcome;
  try {
    await stock.reservePart(request.ticket.id, reservation.sku, reservation.locationId, {
      quantity: reservation.quantity,
      actor: options.actor,
    });
  } catch (err) {
    // Taken by another job in the meantime: the ticket is without the part, as the outcome says.
    if (!(err instanceof InsufficientStockError || err instanceof ConflictError)) throw err;
    if (outcome instanceof AftercareError) throw outcome;
    return outcome;
  }
  return {
    kind: 'kept_on_previous_van',
    locationId: reservation.locationId,
    reason:
      outcome instanceof AftercareError
        ? `the move was refused (${outcome.message})`
        : outcome.kind === 'unavailable'
          ? `no other unit reaches the job in time (${outcome.reason.replace(/_/g, ' ')})`
          : 'no location to send a unit to',
  };
}

/** What became of a part left on the previous technician's van when the ticket changed hands. */
export interface PartMove {
  sku: string;
  quantity: number;
  /** The previous technician's van, where the reservation was. */
  fromLocationId: string;
  /** `refused`: the move was refused (the reservation ended meanwhile, the unit taken), with why. */
  outcome: PartOutcome | { kind: 'refused'; reason: string };
}

/**
 * Makes a ticket's parts follow its technician after a reassignment: a transfer still on the road to
 * another technician's van is sent on to the new one's when it still arrives in time; each reservation
 * on another technician's van is released and the part sourced for the ticket's technician through the
 * parts planner (their van, a depot on the way, the warehouse, or a transfer arriving before the
 * appointment), kept on the previous van when nothing else can reach the job in time. Nothing to do
 * for an unassigned ticket, or one whose parts are already with its technician or at a depot.
 * Each part is moved on its own: one refused is reported as `refused` and the others still move,
 * so the caller learns what did move. A reassignment goes through `reassignTicket`.
 */
export async function moveReservedPartsToTechnician(
  data: PlanningData,
  ticket: Ticket,
  options: { now: number; actor: Actor },
): Promise<PartMove[]> {
  if (ticket.technicianId === null) return [];
  const { held, moving } = await partsOfTicket(data, ticket.id);
  const stranded = await strandedOnOtherVans(data, held, ticket.technicianId);
  if (stranded.length === 0 && moving.length === 0) return [];
  const request = await partRequestsFor(data, ticket);
  if (request === null) return [];
  const moves: PartMove[] = [];
  const job = {
    technicianId: ticket.technicianId,
    appointmentStart: ticket.appointment?.start ?? ticket.slaDueAt,
  };
  for (const { transfer, previousLocationId } of await redirectTransfersOnTheRoad(data, job, moving, options))
    moves.push({
      sku: transfer.sku,
      quantity: transfer.quantity,
      fromLocationId: previousLocationId,
      outcome: { kind: 'redirected', transfer },
    });
  for (const reservation of stranded) {
    const { sku, quantity, locationId: fromLocationId } = reservation;
    try {
      const outcome = await moveReservation(data, request(sku, quantity), reservation, options);
      moves.push({ sku, quantity, fromLocationId, outcome });
    } catch (err) {
      if (!(err instanceof AftercareError)) throw err;
      moves.push({ sku, quantity, fromLocationId, outcome: { kind: 'refused', reason: err.message } });
    }
  }
  return moves;
}
