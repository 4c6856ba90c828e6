import { error } from '@sveltejs/kit';
import { apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { listTickets } from '$lib/server/tickets.ts';
import type { PageServerLoad } from './$types';

/** A technician's jobs, in appointment order: what to do today, on a phone. */
export const load: PageServerLoad = async ({ locals }) => {
  const technicianId = locals.user?.technicianId;
  if (!technicianId) error(403, 'This account is not linked to a technician.');
  try {
    const tickets = await listTickets(apiFor(locals), {
      technicianId,
      status: 'scheduled,dispatched,on_site',
    });
    const jobs = tickets?.items.sort(
      (a, b) => (a.appointment?.start ?? a.slaDueAt) - (b.appointment?.start ?? b.slaDueAt),
    );
    return { title: 'My jobs', jobs: jobs ?? null };
  } catch (err) {
    rethrowForPage(err);
  }
};
