import { ticketSchema } from '@aftercare/core';
import { error, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import { ApiError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import type { PageServerLoad } from './$types';

/**
 * A link to one of the customer's tickets (the office's or the technician's address, passed on):
 * customers follow their work on the device's page, so it takes them there, to the visit. Another
 * customer's ticket is "not found", as the API answers it.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
  const notFound = `There is no visit "${params.id}" that you can see.`;
  try {
    const ticket = await apiFor(locals).get(`/api/tickets/${encodeURIComponent(params.id)}`, ticketSchema);
    redirect(
      303,
      `/my/devices/${encodeURIComponent(ticket.deviceId)}#visit-${encodeURIComponent(ticket.id)}`,
    );
  } catch (err) {
    if (isRedirect(err) || isHttpError(err)) throw err;
    // An id the API refuses as malformed cannot name a ticket either.
    if (err instanceof ApiError && err.status === 400) error(404, notFound);
    rethrowForPage(err, notFound);
  }
};
