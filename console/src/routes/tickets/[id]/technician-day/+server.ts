import { error, json } from '@sveltejs/kit';
import { ApiError, ApiUnavailableError, apiFor } from '$lib/server/api.ts';
import { loadTechnicianDay, technicianDayQuerySchema } from '$lib/server/technician-day.ts';
import type { RequestHandler } from './$types';

/**
 * The ticket page's assign form asks here, as the planner picks a technician and a date, for what
 * that technician already has booked that day. The browser never calls the API itself; this route
 * does, with the session's token.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  const query = technicianDayQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success)
    error(400, query.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  try {
    return json({ items: await loadTechnicianDay(apiFor(locals), query.data) });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, 'no such technician');
    if (err instanceof ApiError && err.status === 401) error(401, 'Your session has ended; sign in again.');
    if (err instanceof ApiUnavailableError) error(503, err.message);
    throw err;
  }
};
