import { ConflictError, partArrivesInTime, type Transfer } from '@aftercare/core';
import type { Actor } from '../principal.ts';
import type { PlanningData } from './planning-data.ts';
import { type PartOutcome, type PartRequest, sourceFresh } from './ticket-part-sourcing.ts';

/**
 * A delivery on its way to a job can be too late for it: the visit was moved earlier (by a planner, or
 * the job changed hands) after the part was sent for the old time. Such a part is not "sourced": the
 * technician would stand at the site without it.
 */

/** The ticket's deliveries on the road that reach the technician after the visit needs them. */
export function lateTransfers(moving: readonly Transfer[], visitStart: number): Transfer[] {
  return moving.filter((t) => !partArrivesInTime(t.etaAt, visitStart));
}

/**
 * Replaces a delivery that arrives too late for the visit: when a unit from the stock free now reaches
 * the job in time (`sourceFresh`), it is taken and the late delivery called back. When none does, the
 * late delivery stays (it is still the part's way to the job) and the answer is `unavailable`, with the
 * earliest the part can be there: the late delivery's arrival, or a sooner unit's. A late delivery that
 * lands while this runs keeps its unit and the fresh one goes back: the job never ends up with two.
 */
export async function replaceLateTransfer(
  data: PlanningData,
  request: PartRequest,
  late: Transfer,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const fresh = await sourceFresh(data, { ...request, quantity: late.quantity }, options);
  if (fresh.kind === 'reserved' || fresh.kind === 'transfer') {
    try {
      await data.repositories.transfers.cancelTransfer(late.id, { actor: options.actor });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await giveBack(data, fresh, options.actor);
      return { kind: 'already_sourced' };
    }
    return fresh;
  }
  if (fresh.kind === 'unavailable' && fresh.earliestAt < late.etaAt) return fresh;
  return {
    kind: 'unavailable',
    jobId: request.ticket.id,
    sku: late.sku,
    quantity: late.quantity,
    reason: 'too_late',
    earliestAt: late.etaAt,
    fromLocationId: late.fromLocationId,
  };
}

async function giveBack(
  data: PlanningData,
  taken: Extract<PartOutcome, { kind: 'reserved' | 'transfer' }>,
  actor: Actor,
): Promise<void> {
  const { stock, transfers } = data.repositories;
  if (taken.kind === 'reserved')
    await stock.releaseReservation(taken.reservation.id, {
      actor,
      reason: 'the delivery it was to replace arrived meanwhile',
    });
  else await transfers.cancelTransfer(taken.transfer.id, { actor });
}
