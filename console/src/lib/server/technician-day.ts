import {
  isTimeZone,
  planningDateSchema,
  recordIdSchema,
  type TechnicianVisit,
  technicianVisitsSchema,
} from '@aftercare/core';
import { z } from 'zod';
import type { ApiClient } from './api.ts';
import { wallTimeToEpoch } from './wall-clock.ts';

/** What the assign form asks: whose day, which date, on which clock (the form's, the console's zone). */
export const technicianDayQuerySchema = z.strictObject({
  technicianId: recordIdSchema,
  date: planningDateSchema,
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
});
export type TechnicianDayQuery = z.infer<typeof technicianDayQuerySchema>;

/**
 * The technician's booked visits on a date of the form's clock (its local midnight to the next), as
 * the service lists them: what a planner looks at before choosing a time, since the service refuses
 * one that overlaps a visit at another site.
 */
export async function loadTechnicianDay(
  api: ApiClient,
  query: TechnicianDayQuery,
): Promise<TechnicianVisit[]> {
  const from = wallTimeToEpoch(query.date, 0, query.timezone);
  const to = wallTimeToEpoch(query.date, 24 * 60, query.timezone);
  const { items } = await api.get(
    `/api/technicians/${encodeURIComponent(query.technicianId)}/visits`,
    technicianVisitsSchema,
    { from, to },
  );
  return items;
}
