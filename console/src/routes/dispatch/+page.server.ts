import { fail } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, ApiUnavailableError, apiFor } from '$lib/server/api.ts';
import { applyForm, lateForm, parseForm, previewForm, replanForm } from '$lib/server/form-schemas.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import {
  addDays,
  assignTicket,
  loadDispatchDay,
  previewMove,
  replanDay,
  runningLate,
} from '$lib/server/planning.ts';
import { buildBoard } from '$lib/server/planning-board.ts';
import { isPlanningDate } from '$lib/server/planning-date.ts';
import type { Actions, PageServerLoad } from './$types';

/** The dispatch board: one day of technicians × hours, the jobs on it, and the jobs waiting. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
  // Reloaded live when a ticket changes (the automation books, a technician starts a job).
  depends(ticketsDependency);
  const asked = url.searchParams.get('date');
  // A day the API would refuse (2026-02-30 as much as "tomorrow") gets the notice, not an error page.
  const date = isPlanningDate(asked) ? asked : null;
  try {
    const api = apiFor(locals);
    const day = await loadDispatchDay(api, date);
    return {
      title: 'Dispatch board',
      day,
      board: buildBoard(day),
      previous: addDays(day.date, -1),
      next: addDays(day.date, 1),
      badDate: asked !== null && date === null ? asked : null,
    };
  } catch (err) {
    rethrowForPage(err);
  }
};

/** What the API refused, as the form shows it; a service that is down is said so, not thrown. */
function refused(err: unknown, what: string) {
  if (err instanceof ApiError && err.status !== 401 && err.status < 500)
    return fail(err.status, { action: what, message: err.sentence });
  if (err instanceof ApiUnavailableError) return fail(503, { action: what, message: err.message });
  rethrowForPage(err);
}

export const actions: Actions = {
  preview: async ({ locals, request }) => {
    const form = parseForm(previewForm, await request.formData());
    if (!form.ok) return fail(400, { action: 'preview', message: form.message });
    try {
      const preview = await previewMove(apiFor(locals), form.data);
      return { action: 'preview', preview };
    } catch (err) {
      return refused(err, 'preview');
    }
  },

  apply: async ({ locals, request }) => {
    const form = parseForm(applyForm, await request.formData());
    if (!form.ok) return fail(400, { action: 'apply', message: form.message });
    const { ticketId, technicianId, appointment, version } = form.data;
    try {
      const ticket = await assignTicket(apiFor(locals), ticketId, {
        technicianId,
        appointment,
        version,
        reason: 'moved by hand on the dispatch board',
      });
      return { action: 'apply', applied: { ticketId: ticket.id, technicianId, start: appointment.start } };
    } catch (err) {
      return refused(err, 'apply');
    }
  },

  replan: async ({ locals, request }) => {
    const form = parseForm(replanForm, await request.formData());
    if (!form.ok) return fail(400, { action: 'replan', message: form.message });
    const { body, at } = form.data;
    try {
      const replan = await replanDay(apiFor(locals), body);
      return { action: 'replan', replan, technicianId: body.technicianId, at };
    } catch (err) {
      return refused(err, 'replan');
    }
  },

  late: async ({ locals, request }) => {
    const form = parseForm(lateForm, await request.formData());
    if (!form.ok) return fail(400, { action: 'late', message: form.message });
    const { body, endsAt } = form.data;
    try {
      const replan = await runningLate(apiFor(locals), body);
      return { action: 'late', replan, ticketId: body.ticketId, endsAt };
    } catch (err) {
      return refused(err, 'late');
    }
  },
};
