import {
  deliveryMissesVisit,
  type PartSourcing,
  partSourcingSchema,
  type StockLocation,
  type TicketDetail,
  ticketDetailSchema,
  ticketSchema,
} from '@aftercare/core';
import { type ActionFailure, fail } from '@sveltejs/kit';
import { formatDateTime } from '$lib/format.ts';
import { type ApiClient, ApiError, ApiUnavailableError } from './api.ts';
import {
  assignForm,
  jobForm,
  loosePartUsedForm,
  noteForm,
  parseForm,
  partArrivedForm,
  partUsedForm,
  transitionForm,
} from './form-schemas.ts';
import { log } from './log.ts';
import { redirectToLogin } from './login-redirect.ts';
import { stockLocationsById } from './ticket-view.ts';

/**
 * The ticket pages' form actions: each reads its form through its schema (form-schemas.ts), calls
 * one API route with the user's token and answers either `{ ok, message }` or a failure naming what
 * to fix. What the API refused comes back in its own words (a 409 says the ticket changed meanwhile).
 */

export interface ActionResult {
  /** Which form answered, so a page with several forms shows the message at the right one. */
  form: string;
  ok: boolean;
  message: string;
  /** Done, but with something left for the person to settle (a part that will arrive too late). */
  warning?: boolean;
}

type Outcome = ActionResult | ActionFailure<ActionResult>;

/**
 * Runs one API call for a form and turns what can go wrong into a message at that form. The call
 * answers with what was done, or `{ refused }` when the service answered but left the person work to
 * do (a part that cannot be found), which reads as a refusal, or `{ warning }` when it was done but
 * leaves something to settle (the visit booked before its part can arrive).
 */
export async function perform(
  form: string,
  call: () => Promise<string | { refused: string } | { warning: string }>,
): Promise<Outcome> {
  try {
    const done = await call();
    if (typeof done === 'string') return { form, ok: true, message: done };
    if ('warning' in done) return { form, ok: true, warning: true, message: done.warning };
    return fail(409, { form, ok: false, message: done.refused });
  } catch (err) {
    if (err instanceof ApiUnavailableError)
      return fail(503, {
        form,
        ok: false,
        message: 'The Aftercare service is not answering; try again shortly.',
      });
    if (err instanceof ApiError) {
      if (err.status === 401) redirectToLogin();
      if (err.status === 409)
        return fail(409, {
          form,
          ok: false,
          message:
            err.code === 'CONFLICT'
              ? `${err.sentence}.`
              : `${capitalise(err.message)}. The page now shows the ticket as it is; check and try again.`,
        });
      if (err.status === 404)
        return fail(404, { form, ok: false, message: 'This ticket is not one you can change.' });
      if (err.status === 400 || err.status === 403)
        return fail(err.status, { form, ok: false, message: err.sentence });
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
  const form = parseForm(transitionForm, data);
  if (!form.ok) return invalid('transition', form.message);
  return perform('transition', async () => {
    const ticket = await api.request(`/api/tickets/${encodeURIComponent(id)}/transitions`, ticketSchema, {
      method: 'POST',
      body: form.data,
    });
    return stepDone[ticket.status] ?? `The ticket is now ${ticket.status.replace(/_/g, ' ')}.`;
  });
}

/** What a step did, in the words of whoever took it. */
const stepDone: Partial<Record<string, string>> = {
  scheduled: 'Scheduled.',
  dispatched: 'Accepted.',
  on_site: 'Started: on site.',
  resolved: 'Resolved.',
  closed: 'Closed.',
  cancelled: 'Cancelled.',
  open: 'Back to open: it waits for a technician.',
  flagged_for_review: 'Flagged for review.',
};

/** A step from the technician's job list, where the form also names the job (`ticketId`). */
export async function transitionJob(api: ApiClient, data: FormData): Promise<Outcome> {
  const job = parseForm(jobForm, data);
  if (!job.ok) return invalid('transition', job.message);
  return transitionTicket(api, job.data.ticketId, data);
}

/**
 * PUT …/assignment: a technician and an appointment (date, start time, duration in minutes, on the
 * console's clock, whose zone the form names as `timezone`).
 */
export async function assignTicket(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const form = parseForm(assignForm, data);
  if (!form.ok) return invalid('assign', form.message);
  return perform('assign', async () => {
    const path = `/api/tickets/${encodeURIComponent(id)}`;
    await api.request(`${path}/assignment`, ticketSchema, { method: 'PUT', body: form.data });
    const assigned = 'Assigned: the technician sees the job in their list.';
    // The service replaces a part on its way that misses the new visit (the new time outruns it, or it
    // is bound for the van of the technician the job left) when a unit can be there in time; one that
    // still misses it is the planner's to settle before the technician sets off. The assignment is
    // saved by now: a failed look at its parts must not be reported as a failed assignment.
    let found: [TicketDetail, Map<string, StockLocation>];
    try {
      found = await Promise.all([api.get(path, ticketDetailSchema), stockLocationsById(api)]);
    } catch (err) {
      log().warn({ err, ticketId: id }, 'assigned; its parts could not be checked');
      return assigned;
    }
    const [ticket, locations] = found;
    const moving = ticket.transfers.filter((t) => t.status === 'in_transit');
    const missing = moving.flatMap((t) => {
      const misses = deliveryMissesVisit(t, ticket, (id) => locations.get(id)?.technicianId);
      if (misses === null) return [];
      const to = locations.get(t.toLocationId)?.name ?? t.toLocationId;
      return [
        misses === 'too_late'
          ? `${t.sku} arrives ${formatDateTime(t.etaAt)}, too late for this visit`
          : `${t.sku} is bound for ${to}, which the job has left`,
      ];
    });
    if (missing.length === 0) return assigned;
    return {
      warning: `${assigned} But ${missing.join('; ')}, and no unit can be there in time: move the visit, or bring the part by hand.`,
    };
  });
}

/** POST …/parts-sourcing: the platform finds the job's part, as its automation does when it plans the job. */
export async function findPart(api: ApiClient, id: string): Promise<Outcome> {
  return perform('find-part', async () => {
    const found = await api.request(
      `/api/tickets/${encodeURIComponent(id)}/parts-sourcing`,
      partSourcingSchema,
      {
        method: 'POST',
      },
    );
    const words = partSourcingWords(found);
    return stillMissing.has(found.outcome) ? { refused: words } : words;
  });
}

/** Outcomes after which the job still has no part coming: the planner has to act. */
const stillMissing = new Set<PartSourcing['outcome']>([
  'unavailable',
  'no_destination',
  'kept_on_previous_van',
]);

/** What finding the part did, on the console's clock. */
export function partSourcingWords(found: PartSourcing): string {
  switch (found.outcome) {
    case 'reserved':
      return `Reserved ${found.sku} for this job.`;
    case 'transfer':
    case 'redirected':
      return found.transfer
        ? `${found.sku} is on its way, expected ${formatDateTime(found.transfer.etaAt)}.`
        : `${found.sku} is on its way.`;
    case 'already_sourced':
      return `This job already holds ${found.sku} or has it on the way.`;
    case 'unavailable':
      if (found.earliestAt !== null)
        return `No ${found.sku} can reach the job before the appointment; the earliest is ${formatDateTime(found.earliestAt)}. Move the appointment after it.`;
      return `No ${found.sku} is free anywhere: order it from the supplier.`;
    case 'no_destination':
    case 'kept_on_previous_van':
      return found.message;
  }
}

/** POST …/notes */
export async function addNote(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const form = parseForm(noteForm, data);
  if (!form.ok) return invalid('note', form.message);
  return perform('note', async () => {
    await api.raw(`/api/tickets/${encodeURIComponent(id)}/notes`, { method: 'POST', body: form.data });
    return 'Note added.';
  });
}

/** POST …/parts-used for one reservation of the ticket, with the serial of the part taken out. */
export async function recordPartUsed(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const form = parseForm(partUsedForm, data);
  if (!form.ok) return invalid('part', form.message);
  return perform('part', async () => {
    await api.raw(`/api/tickets/${encodeURIComponent(id)}/parts-used`, { method: 'POST', body: form.data });
    return 'Part recorded as fitted.';
  });
}

/**
 * POST …/parts-used for a part the job had not reserved: units taken from the technician's van or a
 * depot (the service refuses another technician's van, a part not for this model, and a returnable
 * part without the serial of the one taken out).
 */
export async function recordLoosePartUsed(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const form = parseForm(loosePartUsedForm, data);
  if (!form.ok) return invalid('loose-part', form.message);
  return perform('loose-part', async () => {
    await api.raw(`/api/tickets/${encodeURIComponent(id)}/parts-used`, { method: 'POST', body: form.data });
    return `Recorded: ${form.data.quantity} × ${form.data.sku} fitted.`;
  });
}

/**
 * POST /api/transfers/:id/arrival for a part on its way to this job: the technician has it in hand,
 * and on arrival the service reserves it for the ticket. Only a transfer of this ticket that is still
 * in transit is accepted.
 */
export async function markPartArrived(api: ApiClient, id: string, data: FormData): Promise<Outcome> {
  const form = parseForm(partArrivedForm, data);
  if (!form.ok) return invalid('part', form.message);
  const { transferId } = form.data;
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
