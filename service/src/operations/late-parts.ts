import { ConflictError, deliveryMissesVisit, type Transfer } from '@aftercare/core';
import type { Position } from '../automation/geo.ts';
import type { Actor } from '../principal.ts';
import { sentOnAt } from './parts-follow-technician.ts';
import type { PlanningData } from './planning-data.ts';
import { type PartOutcome, type PartRequest, sourceFresh } from './ticket-part-sourcing.ts';

/**
 * A delivery on its way to a job can miss it: the visit was moved earlier (by a planner, or the job
 * changed hands) after the part was sent for the old time, or the job went to another technician and
 * the part, bound for the previous one's van, could not be sent on in time. Such a part is not
 * "sourced": the technician would stand at the site without it.
 */

/** A delivery that does not serve the visit, and when the part would reach the job's technician. */
export interface MissedDelivery {
  transfer: Transfer;
  /** Its arrival; for one bound for another technician's van, plus the drive on to the job's van. */
  reachesAt: number;
}

/**
 * The deliveries among `moving` that will not be in the hands of the job's technician for the visit
 * (`deliveryMissesVisit`), the one that would reach them first first.
 */
export async function deliveriesMissingTheVisit(
  data: PlanningData,
  moving: readonly Transfer[],
  job: { technicianId: string | null; visitStart: number; sitePosition?: Position },
  now: number,
): Promise<MissedDelivery[]> {
  if (moving.length === 0) return [];
  const vans = new Map(
    (await data.stockLocations()).filter((l) => l.kind === 'van').map((l) => [l.id, l] as const),
  );
  const ownVan = [...vans.values()].find(
    (v) => v.technicianId !== null && v.technicianId === job.technicianId,
  );
  const visit = { appointment: { start: job.visitStart }, technicianId: job.technicianId };
  return moving
    .flatMap((transfer): MissedDelivery[] => {
      const missed = deliveryMissesVisit(transfer, visit, (id) => vans.get(id)?.technicianId);
      if (missed === null) return [];
      const bound = vans.get(transfer.toLocationId);
      // Bound for another van: sent on to the technician's own, or, without one, to the site itself.
      const onward = ownVan ?? job.sitePosition;
      const reachesAt =
        missed === 'other_van' && bound !== undefined && onward !== undefined
          ? sentOnAt(transfer.etaAt, now, bound, onward)
          : transfer.etaAt;
      return [{ transfer, reachesAt }];
    })
    .sort((a, b) => a.reachesAt - b.reachesAt);
}

/**
 * Replaces a delivery that misses the visit (`deliveriesMissingTheVisit`): when a unit from the stock free now reaches
 * the job in time (`sourceFresh`), it is taken and the late delivery called back. When none does, the
 * late delivery stays (it is still the part's way to the job) and the answer is `unavailable`, with the
 * earliest the part can be there: when the late delivery reaches the technician, or a sooner unit's. A
 * late delivery that lands while this runs keeps its unit and the fresh one goes back: the job never
 * ends up with two.
 */
export async function replaceLateTransfer(
  data: PlanningData,
  request: PartRequest,
  missed: MissedDelivery,
  options: { now: number; actor: Actor },
): Promise<PartOutcome> {
  const late = missed.transfer;
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
  if (fresh.kind === 'unavailable' && fresh.earliestAt < missed.reachesAt) return fresh;
  return {
    kind: 'unavailable',
    jobId: request.ticket.id,
    sku: late.sku,
    quantity: late.quantity,
    reason: 'too_late',
    earliestAt: missed.reachesAt,
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
