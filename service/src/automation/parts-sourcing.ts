import { PART_HANDOVER_MINUTES } from '@aftercare/core';
import { driveMinutes, type Position, roadKm } from './geo.ts';
import { DAY_MS, MINUTE_MS, type Priority } from './work.ts';

/**
 * Where the part for a job comes from. Rules, in order:
 *   1. reserve on the assigned technician's van;
 *   2. reserve at a depot on the technician's way to the site (a pickup detour of at most
 *      `maxPickupDetourKm`), the smallest detour first;
 *   3. reserve at the warehouse when its delivery arrives before the appointment;
 *   4. transfer (pre-position) from the nearest location with stock to the technician's van (or, with no
 *      technician yet, the depot nearest the site) so that it arrives `handoverMinutes` before the
 *      appointment;
 *   5. otherwise unavailable, with the earliest time the part could be there.
 * A job's quantity comes from one location (no split shipments). Other technicians' vans are never a
 * source: that stock is their own day's work.
 */

export type StockLocationKind = 'warehouse' | 'depot' | 'van';

export interface StockLocation {
  id: string;
  kind: StockLocationKind;
  name: string;
  position: Position;
  partnerId: string | null;
  /** The technician who drives a van; null for warehouses and depots. */
  technicianId: string | null;
  /** Units free to promise per SKU: on hand minus already reserved. */
  available: Readonly<Record<string, number>>;
}

export interface PartsJob {
  jobId: string;
  sitePosition: Position;
  sku: string;
  quantity: number;
  /** Epoch ms. */
  appointmentStart: number;
  priority: Priority;
  /** The technician assigned or planned, with where their day starts; null when nobody is assigned yet. */
  technician: { id: string; homeBase: Position } | null;
}

export type PartsDecision =
  | {
      kind: 'reserve';
      jobId: string;
      sku: string;
      quantity: number;
      locationId: string;
      handover: 'on_van' | 'pickup_on_route' | 'warehouse_delivery';
      /** When the part is in the technician's hands (epoch ms). */
      readyAt: number;
    }
  | {
      kind: 'transfer';
      jobId: string;
      sku: string;
      quantity: number;
      fromLocationId: string;
      /** Null: straight to the site (no technician and no depot known). */
      toLocationId: string | null;
      departAt: number;
      arriveAt: number;
    }
  | {
      kind: 'unavailable';
      jobId: string;
      sku: string;
      quantity: number;
      reason: 'too_late' | 'out_of_stock';
      /** The earliest the part could be at the job: reschedule the appointment to after it. */
      earliestAt: number;
      /** The location that would supply it then; null when it must come from the supplier. */
      fromLocationId: string | null;
    };

/** Minutes to move stock from one location to another `km` of road apart. */
export type TransferLead = (from: StockLocationKind, to: StockLocationKind | 'site', km: number) => number;

/**
 * The default lead times: the warehouse ships on the overnight line haul (next day, 24 h); a depot or van
 * sends by same-day courier (90 min to book and pick, then the drive at urban speed).
 */
export const defaultTransferLead: TransferLead = (from, _to, km) =>
  from === 'warehouse' ? 24 * 60 : 90 + driveMinutes(km);

export interface SourcingOptions {
  /** Epoch ms: transfers leave now at the earliest. */
  now: number;
  maxPickupDetourKm?: number;
  handoverMinutes?: number;
  transferLead?: TransferLead;
  /** When no location has the part: days for the supplier to restock the warehouse. */
  supplierLeadDays?: number;
}

export const defaultSourcing = {
  maxPickupDetourKm: 4,
  handoverMinutes: PART_HANDOVER_MINUTES,
  supplierLeadDays: 7,
} as const;

/** Decides how one job gets its part, without changing `stock`. */
export function sourcePart(
  job: PartsJob,
  stock: readonly StockLocation[],
  options: SourcingOptions,
): PartsDecision {
  const lead = options.transferLead ?? defaultTransferLead;
  const maxDetour = options.maxPickupDetourKm ?? defaultSourcing.maxPickupDetourKm;
  const deadline =
    job.appointmentStart - (options.handoverMinutes ?? defaultSourcing.handoverMinutes) * MINUTE_MS;
  const { now } = options;
  const base = { jobId: job.jobId, sku: job.sku, quantity: job.quantity };
  const has = (l: StockLocation) => (l.available[job.sku] ?? 0) >= job.quantity;

  const van = job.technician
    ? stock.find((l) => l.kind === 'van' && l.technicianId === job.technician!.id)
    : undefined;
  if (van && has(van)) {
    return { ...base, kind: 'reserve', locationId: van.id, handover: 'on_van', readyAt: now };
  }

  const detour = (depot: StockLocation): number => {
    if (!job.technician) return 2 * roadKm(depot.position, job.sitePosition);
    const home = job.technician.homeBase;
    return (
      roadKm(home, depot.position) + roadKm(depot.position, job.sitePosition) - roadKm(home, job.sitePosition)
    );
  };
  const onRoute = stock
    .filter((l) => l.kind === 'depot' && has(l))
    .map((l) => ({ l, km: detour(l) }))
    .filter((x) => x.km <= maxDetour)
    .sort((a, b) => a.km - b.km || a.l.id.localeCompare(b.l.id))[0];
  if (onRoute) {
    return { ...base, kind: 'reserve', locationId: onRoute.l.id, handover: 'pickup_on_route', readyAt: now };
  }

  const destination =
    van ??
    stock
      .filter((l) => l.kind === 'depot')
      .sort((a, b) => roadKm(a.position, job.sitePosition) - roadKm(b.position, job.sitePosition))[0];
  const destPosition = destination?.position ?? job.sitePosition;
  const destKind = destination?.kind ?? 'site';
  const arrival = (from: StockLocation) =>
    now + lead(from.kind, destKind, roadKm(from.position, destPosition)) * MINUTE_MS;

  const warehouse = stock
    .filter((l) => l.kind === 'warehouse' && has(l))
    .sort((a, b) => arrival(a) - arrival(b))[0];
  if (warehouse && arrival(warehouse) <= deadline) {
    return {
      ...base,
      kind: 'reserve',
      locationId: warehouse.id,
      handover: 'warehouse_delivery',
      readyAt: arrival(warehouse),
    };
  }

  const sources = stock
    .filter((l) => has(l) && l.id !== destination?.id && (l.kind !== 'van' || l.technicianId === null))
    .sort(
      (a, b) =>
        roadKm(a.position, destPosition) - roadKm(b.position, destPosition) || a.id.localeCompare(b.id),
    );
  const inTime = sources.find((l) => arrival(l) <= deadline);
  if (inTime) {
    return {
      ...base,
      kind: 'transfer',
      fromLocationId: inTime.id,
      toLocationId: destination?.id ?? null,
      departAt: now,
      arriveAt: arrival(inTime),
    };
  }

  const soonest = [...sources].sort((a, b) => arrival(a) - arrival(b))[0];
  if (soonest) {
    return {
      ...base,
      kind: 'unavailable',
      reason: 'too_late',
      earliestAt: arrival(soonest),
      fromLocationId: soonest.id,
    };
  }
  const restock = (options.supplierLeadDays ?? defaultSourcing.supplierLeadDays) * DAY_MS;
  const fromWarehouse = lead('warehouse', destKind, 0) * MINUTE_MS;
  return {
    ...base,
    kind: 'unavailable',
    reason: 'out_of_stock',
    earliestAt: now + restock + fromWarehouse,
    fromLocationId: null,
  };
}

/** The location a decision takes stock from, if any. */
export function sourceLocationOf(decision: PartsDecision): string | null {
  if (decision.kind === 'reserve') return decision.locationId;
  if (decision.kind === 'transfer') return decision.fromLocationId;
  return null;
}

export interface PartsPlan {
  /** One decision per job, in the order the jobs were given. */
  decisions: PartsDecision[];
  /** The stock after every reservation and transfer of the plan (the input is left as it was). */
  remaining: StockLocation[];
}

/**
 * Sources parts for several jobs together: earliest appointment first (then higher priority), each job
 * drawing from a shared copy of the availability, so two jobs never get the same unit and no location
 * is ever promised more than it has.
 */
export function planParts(
  jobs: readonly PartsJob[],
  stock: readonly StockLocation[],
  options: SourcingOptions,
): PartsPlan {
  const remaining = stock.map((l) => ({ ...l, available: { ...l.available } }));
  const byId = new Map(remaining.map((l) => [l.id, l]));
  const order = jobs
    .map((job, index) => ({ job, index }))
    .sort(
      (a, b) =>
        a.job.appointmentStart - b.job.appointmentStart ||
        a.job.priority - b.job.priority ||
        a.job.jobId.localeCompare(b.job.jobId),
    );
  const decisions: PartsDecision[] = new Array(jobs.length);
  for (const { job, index } of order) {
    const decision = sourcePart(job, remaining, options);
    const from = sourceLocationOf(decision);
    if (from) {
      const location = byId.get(from)!;
      location.available[job.sku] = (location.available[job.sku] ?? 0) - job.quantity;
    }
    decisions[index] = decision;
  }
  return { decisions, remaining };
}
