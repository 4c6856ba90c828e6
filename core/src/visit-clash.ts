import { driveMinutes, type Position, roadKm } from './travel.ts';

/*
 * Whether a technician can make a visit beside the ones already booked: the rule the service holds a
 * person's booking to (409 when it breaks), and the one the console's assign form warns by before
 * sending. One rule in one place, so the form never flags what the service accepts or the reverse.
 */

const MINUTE_MS = 60_000;

/** A visit as the rule reads it: its ticket, its time, and where it is. */
export interface PlacedVisit {
  ticketId: string;
  start: number;
  end: number;
  siteId: string | null;
  position: Position | null;
}

/** Whole minutes to drive between two places; 0 when either is unknown (nobody can say). */
export function driveMinutesBetween(a: Position | null, b: Position | null): number {
  return a && b ? Math.ceil(driveMinutes(roadKm(a, b))) : 0;
}

/**
 * The earliest booked visit a new one collides with, and the drive between them; null when none. A
 * technician is at one place at a time and needs the drive between places: a visit clashes when it
 * overlaps the new one, or, elsewhere, leaves less than the drive between them (the dispatch board
 * draws the day with the same drives and one job after another). Visits at the same site may follow
 * each other with no gap: one trip that sees to several devices. Where a position is unknown, only an
 * overlap counts. The new visit's own booking is not in its way.
 */
export function visitClash<V extends PlacedVisit>(
  booked: readonly V[],
  visit: PlacedVisit,
): { visit: V; driveMinutes: number } | null {
  let first: { visit: V; driveMinutes: number } | null = null;
  for (const b of booked) {
    if (b.ticketId === visit.ticketId) continue;
    const sameSite = b.siteId !== null && b.siteId === visit.siteId;
    const drive = sameSite ? 0 : driveMinutesBetween(b.position, visit.position);
    const gap = drive * MINUTE_MS;
    const clashes = b.start < visit.end + gap && visit.start < b.end + gap;
    if (clashes && (first === null || b.start < first.visit.start)) first = { visit: b, driveMinutes: drive };
  }
  return first;
}
