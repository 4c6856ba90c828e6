import { ticketDetailSchema, ticketSchema, ticketStatuses } from '@aftercare/core';
import { type ActionFailure, fail, redirect } from '@sveltejs/kit';
import { type ApiClient, ApiError, ApiUnavailableError } from './api.ts';
import { log } from './log.ts';

/**
 * The ticket pages' form actions: each reads its form, calls one API route with the user's token
 * and answers either `{ ok, message }` or a failure naming what to fix. What the API refused comes
 * back in its own words (a 409 says the ticket changed meanwhile).
 */

export interface ActionResult {
  /** Which form answered, so a page with several forms shows the message at the right one. */
  form: string;
  ok: boolean;
  message: string;
}

type Outcome = ActionResult | ActionFailure<ActionResult>;

function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function int(data: FormData, name: string): number | undefined {
  const value = Number(text(data, name));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Runs one API call for a form and turns what can go wrong into a message at that form. */
export async function perform(form: string, call: () => Promise<string>): Promise<Outcome> {
  try {
    return { form, ok: true, message: await call() };
  } catch (err) {
    if (err instanceof ApiUnavailableError)
      return fail(503, {
        form,
        ok: false,
        message: 'The Aftercare service is not answering; try again shortly.',
      });
    if (err instanceof ApiError) {
      if (err.status === 401) redirect(303, '/login');
      if (err.status === 409)
        return fail(409, {
          form,
          ok: false,
          message: `${capitalise(err.message)}. The page now shows the ticket as it is; check and try again.`,
        });
      if (err.status === 404)
        return fail(404, { form, ok: false, message: 'This ticket is not one you can change.' });
      if (err.status === 400 || err.status === 403)
        return fail(err.status, { form, ok: false, message: capitalise(err.message) });
    }
    log().error({ err, form }, 'ticket action failed');
    return fail(500, {
      form,
      ok: false,
      message: 'Something went wrong on the console server; nothing was changed.',
    });
  }
}

function capitalise(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

const invalid = (form: string, message: string) => fail(400, { form, ok: false, message });

/** POST …/transitions with `to`, `reason` and the version the user saw. */
export async function transitionTicket(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const to = text(data, 'to');
  if (!(ticketStatuses as readonly string[]).includes(to)) return invalid('transition', 'Choose a step.');
  const reason = text(data, 'reason');
  if (data.get('reasonRequired') === 'true' && !reason)
    return invalid('transition', 'Say why: this step needs a reason for the audit log.');
  return perform('transition', async () => {
    const ticket = await api.request(`/api/tickets/${encodeURIComponent(id)}/transitions`, ticketSchema, {
      method: 'POST',
      body: {
        to,
        ...(reason ? { reason } : {}),
        ...(int(data, 'version') ? { version: int(data, 'version') } : {}),
      },
    });
    return `The ticket is now ${ticket.status.replace(/_/g, ' ')}.`;
  });
}

/** PUT …/assignment: a technician and an appointment (date, start time, duration in minutes). */
export async function assignTicket(
  api: ApiClient,
  id: string,
  data: FormData,
  utcOffsetMinutes: number,
): Promise<Outcome> {
  const technicianId = text(data, 'technicianId');
  const date = text(data, 'date');
  const time = text(data, 'time');
  const minutes = Number(text(data, 'minutes') || '90');
  if (!technicianId) return invalid('assign', 'Choose a technician.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time))
    return invalid('assign', 'Give the appointment date and start time.');
  if (!Number.isInteger(minutes) || minutes < 15 || minutes > 12 * 60)
    return invalid('assign', 'The visit lasts between 15 minutes and 12 hours.');
  // The form's date and time are the planner's wall clock; the browser said how far that is from UTC.
  const start = Date.parse(`${date}T${time}:00Z`) + utcOffsetMinutes * 60_000;
  if (!Number.isFinite(start)) return invalid('assign', 'That date and time do not exist.');
  const reason = text(data, 'reason');
  return perform('assign', async () => {
    await api.request(`/api/tickets/${encodeURIComponent(id)}/assignment`, ticketSchema, {
      method: 'PUT',
      body: {
        technicianId,
        appointment: { start, end: start + minutes * 60_000 },
        ...(reason ? { reason } : {}),
        ...(int(data, 'version') ? { version: int(data, 'version') } : {}),
      },
    });
    return 'Assigned: the technician sees the job in their list.';
  });
}

/** POST …/notes */
export async function addNote(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const note = text(data, 'text');
  if (!note) return invalid('note', 'Write the note first.');
  if (note.length > 4000) return invalid('note', 'A note holds up to 4,000 characters.');
  return perform('note', async () => {
    await api.raw(`/api/tickets/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { text: note } });
    return 'Note added.';
  });
}

/** POST …/parts-used for one reservation of the ticket, with the serial of the part taken out. */
export async function recordPartUsed(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const reservationId = text(data, 'reservationId');
  if (!reservationId) return invalid('part', 'Choose the reserved part you fitted.');
  const removedSerial = text(data, 'removedSerial');
  return perform('part', async () => {
    await api.raw(`/api/tickets/${encodeURIComponent(id)}/parts-used`, {
      method: 'POST',
      body: { reservationId, ...(removedSerial ? { removedSerial } : {}) },
    });
    return 'Part recorded as fitted.';
  });
}

/**
 * POST /api/transfers/:id/arrival for a part on its way to this job: the technician has it in hand,
 * and on arrival the service reserves it for the ticket. Only a transfer of this ticket that is still
 * in transit is accepted.
 */
export async function markPartArrived(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const transferId = text(data, 'transferId');
  if (!transferId) return invalid('part', 'Which delivery is it?');
  return perform('part', async () => {
    const path = `/api/tickets/${encodeURIComponent(id)}`;
    const ticket = await api.get(path, ticketDetailSchema);
    if (!ticket.transfers.some((t) => t.id === transferId && t.status === 'in_transit'))
      throw new ApiError(
        409,
        'TRANSFER_NOT_IN_TRANSIT',
        'that delivery is not on its way to this job any more',
        path,
      );
    await api.raw(`/api/transfers/${encodeURIComponent(transferId)}/arrival`, { method: 'POST' });
    return 'Part received: it is reserved for this job.';
  });
}
