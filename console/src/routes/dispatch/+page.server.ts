import { fail } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, ApiUnavailableError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import {
  addDays,
  assignTicket,
  isDate,
  loadDispatchDay,
  previewMove,
  replanDay,
} from '$lib/server/planning.ts';
import { buildBoard } from '$lib/server/planning-board.ts';
import type { Actions, PageServerLoad } from './$types';

/** The dispatch board: one day of technicians × hours, the jobs on it, and the jobs waiting. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
  // Reloaded live when a ticket changes (the automation books, a technician starts a job).
  depends(ticketsDependency);
  const asked = url.searchParams.get('date');
  const date = isDate(asked) ? asked : null;
  try {
    const day = await loadDispatchDay(apiFor(locals), date);
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

/** "14:30" on the board's day → epoch ms; null when not a time. */
function timeOnDay(dayStart: number, value: FormDataEntryValue | null): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(String(value ?? ''));
  if (!match) return null;
  return dayStart + (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** What the API refused, as the form shows it; a service that is down is said so, not thrown. */
function refused(err: unknown, what: string) {
  if (err instanceof ApiError && err.status !== 401 && err.status < 500)
    return fail(err.status, { action: what, message: err.message });
  if (err instanceof ApiUnavailableError) return fail(503, { action: what, message: err.message });
  rethrowForPage(err);
}

export const actions: Actions = {
  preview: async ({ locals, request }) => {
    const form = await request.formData();
    const date = String(form.get('date') ?? '');
    const ticketId = String(form.get('ticketId') ?? '');
    const technicianId = String(form.get('technicianId') ?? '');
    const dayStart = Number(form.get('dayStart'));
    const startText = String(form.get('start') ?? '');
    if (!isDate(date) || !ticketId)
      return fail(400, { action: 'preview', message: 'Pick a job on the board first.' });
    if (!technicianId)
      return fail(400, { action: 'preview', message: 'Pick the technician to give the job to.' });
    const start = startText ? timeOnDay(dayStart, startText) : null;
    if (startText && start === null)
      return fail(400, { action: 'preview', message: 'The start time must be a time of day such as 14:30.' });
    try {
      const preview = await previewMove(apiFor(locals), {
        date,
        ticketId,
        technicianId,
        ...(start === null ? {} : { start }),
      });
      return { action: 'preview', preview };
    } catch (err) {
      return refused(err, 'preview');
    }
  },

  apply: async ({ locals, request }) => {
    const form = await request.formData();
    const ticketId = String(form.get('ticketId') ?? '');
    const technicianId = String(form.get('technicianId') ?? '');
    const start = Number(form.get('start'));
    const end = Number(form.get('end'));
    const version = Number(form.get('version'));
    if (!ticketId || !technicianId || !(end > start) || !Number.isInteger(version))
      return fail(400, { action: 'apply', message: 'Preview the move first, then apply it.' });
    try {
      const ticket = await assignTicket(apiFor(locals), ticketId, {
        technicianId,
        appointment: { start, end },
        version,
        reason: 'moved by hand on the dispatch board',
      });
      return { action: 'apply', applied: { ticketId: ticket.id, technicianId, start } };
    } catch (err) {
      return refused(err, 'apply');
    }
  },

  replan: async ({ locals, request }) => {
    const form = await request.formData();
    const date = String(form.get('date') ?? '');
    const technicianId = String(form.get('technicianId') ?? '');
    const dayStart = Number(form.get('dayStart'));
    const atText = String(form.get('at') ?? '');
    const at = atText ? timeOnDay(dayStart, atText) : null;
    const apply = form.get('apply') === 'true';
    if (!isDate(date) || !technicianId)
      return fail(400, { action: 'replan', message: 'Pick the technician who is out.' });
    if (atText && at === null)
      return fail(400, {
        action: 'replan',
        message: 'The time they are out from must be a time of day such as 14:30.',
      });
    try {
      const replan = await replanDay(apiFor(locals), {
        date,
        technicianId,
        apply,
        ...(at === null ? {} : { at }),
      });
      return { action: 'replan', replan, technicianId, at: atText };
    } catch (err) {
      return refused(err, 'replan');
    }
  },
};
