import { error } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { addNote, markPartArrived, recordPartUsed, transitionTicket } from '$lib/server/ticket-actions.ts';
import { loadTicketCommands, remoteCommandsView, sendTicketCommand } from '$lib/server/ticket-commands.ts';
import { loadTicketView } from '$lib/server/ticket-view.ts';
import { stepsFor } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

/** One job on the technician's phone: what to do, the parts, notes, and the next step. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends(ticketsDependency);
  if (!locals.user?.technicianId) error(403, 'This account is not linked to a technician.');
  const notFound = `There is no job "${params.id}" assigned to you.`;
  try {
    const job = await loadTicketView(apiFor(locals), params.id).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 400) error(404, notFound);
      throw err;
    });
    const commands = await loadTicketCommands(apiFor(locals), params.id);
    // The service lets the technician the job is assigned to send its commands; this page shows only their jobs.
    const own = job.technicianId === locals.user.technicianId;
    return {
      title: job.title,
      job,
      steps: stepsFor(job.status, 'technician'),
      commands: commands && remoteCommandsView(commands, job, own),
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
};

export const actions: Actions = {
  transition: async ({ locals, params, request }) =>
    transitionTicket(apiFor(locals), params.id, await request.formData()),
  note: async ({ locals, params, request }) => addNote(apiFor(locals), params.id, await request.formData()),
  part: async ({ locals, params, request }) =>
    recordPartUsed(apiFor(locals), params.id, await request.formData()),
  arrived: async ({ locals, params, request }) =>
    markPartArrived(apiFor(locals), params.id, await request.formData()),
  command: async ({ locals, params, request }) =>
    sendTicketCommand(apiFor(locals), params.id, await request.formData()),
};
