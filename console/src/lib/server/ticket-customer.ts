import { feedbackSchema, pageSchema, ticketSchema } from '@aftercare/core';
import { fail } from '@sveltejs/kit';
import { formatDate } from '../format.ts';
import { type ApiClient, ApiError } from './api.ts';
import { parseForm, rateForm, reportForm } from './form-schemas.ts';
import { perform } from './ticket-actions.ts';

/**
 * What a customer does about tickets: report a problem with one of their devices, and rate a visit.
 * What /my lists of them is `customer-tickets.ts`'s.
 */

const feedbackPageSchema = pageSchema(feedbackSchema);

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
