import type { TechnicianVisit } from '@aftercare/core';
import { aWorkingVisit, day, hour } from './factories.ts';
import type { ServiceHarness } from './harness.ts';

/**
 * The first working-hours visit of `minutes` from `earliest` that overlaps none of the technician's
 * booked visits, as their schedule (`GET /api/technicians/:id/visits`) says: what a planner books when
 * a test gives one technician several jobs.
 */
export async function aFreeVisit(
  service: ServiceHarness,
  technicianId: string,
  minutes = 60,
  earliest = Date.now() + hour,
): Promise<{ start: number; end: number }> {
  const from = aWorkingVisit(minutes, earliest).start;
  const res = await service.api(`/api/technicians/${technicianId}/visits?from=${from}&to=${from + 14 * day}`);
  if (res.status !== 200) throw new Error(`technician ${technicianId}'s visits: ${res.status} ${res.text}`);
  const booked = (res.body as { items: TechnicianVisit[] }).items;
  let visit = aWorkingVisit(minutes, from);
  for (;;) {
    const clash = booked.find((b) => b.start < visit.end && visit.start < b.end);
    if (!clash) return visit;
    visit = aWorkingVisit(minutes, clash.end);
  }
}
