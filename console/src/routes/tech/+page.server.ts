import {
  listedTicketSchema,
  pageSchema,
  ticketPageSchema,
  visitDayHasCome,
  visitDayStart,
} from '@aftercare/core';
import { error } from '@sveltejs/kit';
import { displayTimeZone } from '$lib/format.ts';
import { ticketsDependency } from '$lib/live-keys.ts';
import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { startOnVisitDay, technicianTimeZone } from '$lib/server/start-day.ts';
import { transitionJob } from '$lib/server/ticket-actions.ts';
import { jobPlaceLine } from '$lib/server/ticket-place.ts';
import { toTicketRow } from '$lib/server/ticket-view.ts';
import { stepsFor } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

const jobPageSchema = pageSchema(listedTicketSchema);

/**
 * A technician's jobs, in appointment order: today's first, then those coming up, and what was
 * finished today. The API lists only the jobs assigned to this technician.
 */
export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(ticketsDependency);
  const technicianId = locals.user?.technicianId;
  if (!technicianId) error(403, 'This account is not linked to a technician.');
  const api = apiFor(locals);
  try {
    const [active, finished, timeZone] = await Promise.all([
      // With each job's customer and site: the list says where to go without opening every job.
      api.getIfAvailable('/api/tickets', jobPageSchema, {
        status: 'scheduled,dispatched,on_site',
        sort: 'appointment',
        dir: 'asc',
        limit: 200,
        include: 'place',
      }),
      api.getIfAvailable('/api/tickets', ticketPageSchema, {
        status: 'resolved,verified,flagged_for_review,closed',
        sort: 'updated',
        dir: 'desc',
        limit: 20,
      }),
      technicianTimeZone(api, technicianId),
    ]);
    if (active === null) return { title: 'My jobs', available: false as const };
    const noNames = new Map<string, string>();
    const now = Date.now();
    // "Today" on the technician's own calendar, as the service decides when work may start.
    const calendar = timeZone ?? displayTimeZone();
    const jobs = active.items.map((t) => ({
      ...toTicketRow(t, noNames),
      ...startOnVisitDay(
        stepsFor(t.status, 'technician').filter((s) => !s.reasonRequired),
        t.appointment,
        timeZone,
        now,
      ),
      today:
        t.status === 'on_site' ||
        (t.appointment !== null && visitDayHasCome(t.appointment.start, calendar, now)),
      version: t.version,
      what: t.failureMode ? t.failureMode.replace(/_/g, ' ') : null,
      place: jobPlaceLine(t.place),
    }));
    // Finished today: since midnight on the technician's calendar, not in the last 24 hours.
    const since = visitDayStart(now, calendar);
    return {
      title: 'My jobs',
      available: true as const,
      jobs,
      done: (finished?.items ?? [])
        .filter((t) => (t.resolvedAt ?? 0) >= since)
        .map((t) => toTicketRow(t, noNames)),
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

export const actions: Actions = {
  /** Accept or start a job straight from the list; the form names the job. */
  transition: async ({ locals, request }) => transitionJob(apiFor(locals), await request.formData()),
};
