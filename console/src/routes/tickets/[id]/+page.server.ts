import { error } from '@sveltejs/kit';
import { ticketsDependency } from '$lib/live-keys.ts';
import { ApiError, apiFor } from '$lib/server/api.ts';
import { rethrowForPage } from '$lib/server/http-errors.ts';
import { addNote, assignTicket, transitionTicket } from '$lib/server/ticket-actions.ts';
import { loadTicketCommands, remoteCommandsView, sendTicketCommand } from '$lib/server/ticket-commands.ts';
import { loadTicketView, technicianOptions } from '$lib/server/ticket-view.ts';
import { stepsFor } from '$lib/server/ticket-words.ts';
import type { Actions, PageServerLoad } from './$types';

/** One ticket for a planner: its evidence, work, people and history, and what can be done next. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
  depends(ticketsDependency);
  const api = apiFor(locals);
  const notFound = `There is no ticket "${params.id}" that you can see.`;
  try {
    const { view: ticket } = await loadTicketView(api, params.id).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 400) error(404, notFound);
      throw err;
    });
    const assignable = ['open', 'scheduled', 'dispatched'].includes(ticket.status);
    const role = locals.user?.role ?? '';
    const [technicians, commands] = await Promise.all([
      assignable ? technicianOptions(api) : [],
      loadTicketCommands(api, params.id),
    ]);
    return {
      title: ticket.title,
      ticket,
      steps: stepsFor(ticket.status, role),
      assignable,
      technicians,
      commands: commands && remoteCommandsView(commands, ticket, role === 'planner' || role === 'admin'),
    };
  } catch (err) {
    rethrowForPage(err, notFound);
  }
};

export const actions: Actions = {
  transition: ({ locals, params, request }) =>
    request.formData().then((data) => transitionTicket(apiFor(locals), params.id, data)),
  assign: ({ locals, params, request }) =>
    request.formData().then((data) => assignTicket(apiFor(locals), params.id, data)),
  note: ({ locals, params, request }) =>
    request.formData().then((data) => addNote(apiFor(locals), params.id, data)),
  command: ({ locals, params, request }) =>
    request.formData().then((data) => sendTicketCommand(apiFor(locals), params.id, data)),
};
