import {
  contractVisitSchema,
  feedbackSchema,
  listedTicketSchema,
  pageSchema,
  ticketSchema,
} from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import { formatDate } from '../format.ts';
import { type ApiClient, ApiError } from './api.ts';
import { parseForm, rateForm, reportForm } from './form-schemas.ts';
import { waitsForRating } from './rating-window.ts';
import { perform } from './ticket-actions.ts';
import { kindLabels } from './ticket-words.ts';

/**
 * The customer's side of tickets: their own tickets and AMC visits (the API answers only with the
 * signed-in customer's), which closed visits still wait for a rating, reporting a problem with one
 * of their devices, and rating a visit.
 */

const feedbackPageSchema = pageSchema(feedbackSchema);
const visitPageSchema = pageSchema(contractVisitSchema);
/** The customer's tickets, each with the name of who is coming. */
const listedPageSchema = pageSchema(listedTicketSchema);

const openStatuses = new Set(['open', 'scheduled', 'dispatched', 'on_site']);

export interface CustomerTicket {
  id: string;
  title: string;
  kindLabel: string;
  status: string;
  deviceId: string;
  appointment: { start: number; end: number } | null;
  createdAt: number;
  closedAt: number | null;
  rating: { csat: number; nps: number } | null;
}

export interface UpcomingVisit {
  key: string;
  deviceId: string;
  what: string;
  /** A booked appointment, or the window the AMC visit is due in. */
  from: number;
  to: number;
  booked: boolean;
  /** Who is coming, by name, once a technician holds the visit. */
  who: string | null;
}

/** Null when the service has no tickets yet. */
export async function loadCustomerTickets(api: ApiClient, now = Date.now()) {
  const [tickets, feedback, visits] = await Promise.all([
    api.getIfAvailable('/api/tickets', listedPageSchema, { limit: 200, include: 'technician' }),
    api.getIfAvailable('/api/feedback', feedbackPageSchema, { limit: 500 }),
    // AMC visits whose window has not passed yet (dueFrom filters on the end of the window).
    api.getIfAvailable('/api/contract-visits', visitPageSchema, { dueFrom: String(now), limit: 200 }),
  ]);
  if (tickets === null) return null;
  const ratings = new Map((feedback?.items ?? []).map((f) => [f.ticketId, { csat: f.csat, nps: f.nps }]));
  const all: CustomerTicket[] = tickets.items.map((t) => ({
    id: t.id,
    title: t.title,
    kindLabel: kindLabels[t.kind],
    status: t.status,
    deviceId: t.deviceId,
    appointment: t.appointment,
    createdAt: t.createdAt,
    closedAt: t.closedAt,
    rating: ratings.get(t.id) ?? null,
  }));
  const upcoming: UpcomingVisit[] = [];
  const ticketIds = new Set<string>();
  for (const t of tickets.items) {
    if (openStatuses.has(t.status) && t.appointment && t.appointment.end >= now) {
      upcoming.push({
        key: t.id,
        deviceId: t.deviceId,
        what: t.title,
        from: t.appointment.start,
        to: t.appointment.end,
        booked: true,
        who: t.technicianName ?? null,
      });
      ticketIds.add(t.id);
    }
  }
  for (const v of visits?.items ?? []) {
    if ((v.status !== 'planned' && v.status !== 'scheduled') || v.dueTo < now) continue;
    if (v.ticketId && ticketIds.has(v.ticketId)) continue;
    upcoming.push({
      key: v.id,
      deviceId: v.deviceId,
      what: 'Maintenance visit (AMC)',
      from: v.dueFrom,
      to: v.dueTo,
      booked: false,
      who: null,
    });
  }
  upcoming.sort((a, b) => a.from - b.from);
  const rateable = (t: CustomerTicket) => waitsForRating(t, now);
  return {
    open: all.filter((t) => openStatuses.has(t.status)),
    toRate: all.filter(rateable),
    past: all.filter((t) => !openStatuses.has(t.status) && !rateable(t)),
    upcoming: upcoming.slice(0, 10),
  };
}

/** POST /api/tickets: a corrective ticket for one of the customer's own devices. */
export async function reportProblem(api: ApiClient, data: FormData) {
  const form = parseForm(reportForm, data);
  if (!form.ok) return fail(400, { form: 'report', ok: false, message: form.message });
  const outcome = await perform('report', async () => {
    const ticket = await api.request('/api/tickets', ticketSchema, { method: 'POST', body: form.data });
    // Booking takes the automation a minute: the date promised is the service terms', the visit's own
    // date is shown under the open ticket once it is booked (it can fall later, on a day nobody works).
    return `Thank you: we have your report. A technician is booked within minutes; your service terms ask for a visit by ${formatDate(ticket.slaDueAt)}, and "Open tickets" shows the visit's date once it is booked.`;
  });
  // The API answers 404 for a device that is not this customer's: say so in their words.
  if ('status' in outcome && outcome.status === 404)
    return fail(404, { form: 'report', ok: false, message: 'That device is not one of yours.' });
  if ('status' in outcome && outcome.status === 409)
    return fail(409, {
      form: 'report',
      ok: false,
      message:
        'You have already reported a problem with this device and we are on it: its visit is under "Open tickets". Call us if something new has come up.',
    });
  return outcome;
}

/** POST /api/tickets/:id/feedback: CSAT 1–5 and NPS 0–10 for a closed ticket of the customer's. */
export async function rateVisit(api: ApiClient, data: FormData) {
  const form = parseForm(rateForm, data);
  if (!form.ok) return fail(400, { form: 'rate', ok: false, message: form.message });
  const { ticketId, ...feedback } = form.data;
  return perform('rate', async () => {
    try {
      await api.raw(`/api/tickets/${encodeURIComponent(ticketId)}/feedback`, {
        method: 'POST',
        body: feedback,
      });
    } catch (err) {
      // Rated already (from another tab, or a page left open): the visit has the customer's rating,
      // which is what they came to give, and the page loads again without the form. Any other
      // refusal (the visit not closed, or closed too long ago) keeps the service's words.
      if (err instanceof ApiError && err.status === 409 && (await hasRating(api, ticketId)))
        return 'You have already rated this visit — thank you.';
      throw err;
    }
    return 'Thank you for rating the visit.';
  });
}

/** Whether the customer's feedback (the API lists only theirs) has a rating of this ticket. */
async function hasRating(api: ApiClient, ticketId: string): Promise<boolean> {
  const feedback = await api
    .getIfAvailable('/api/feedback', feedbackPageSchema, { limit: 500 })
    .catch(() => null);
  return feedback?.items.some((f) => f.ticketId === ticketId) ?? false;
}
